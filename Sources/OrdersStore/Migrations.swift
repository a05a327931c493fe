/// The schema, as numbered migrations. A migration is never edited once released: add a new one.
/// Applied in order by `Migrator`, each in its own transaction.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

public enum Migrations {
    public static let all: [Migration] = [
        Migration(
            version: 1, name: "orders",
            sql: """
                CREATE TABLE orders (
                    id                 bigserial PRIMARY KEY,
                    channel            text        NOT NULL,
                    external_id        text        NOT NULL,
                    number             text,
                    status             text        NOT NULL CHECK (status IN ('received','paid','in_fulfilment',
                                           'partially_shipped','shipped','delivered','cancelled','refunded')),
                    cancelled_by       text        CHECK (cancelled_by IN ('merchant','customer')),
                    currency           char(3)     NOT NULL,
                    items_total_minor  bigint      NOT NULL,
                    shipping_minor     bigint      NOT NULL,
                    discount_minor     bigint      NOT NULL,
                    tax_minor          bigint      NOT NULL,
                    grand_total_minor  bigint      NOT NULL,
                    customer_email     text,
                    customer_name      text,
                    customer_locale    text,
                    shipping_address   jsonb,
                    billing_address    jsonb,
                    channel_status     jsonb       NOT NULL DEFAULT '{}',
                    placed_at          timestamptz NOT NULL,
                    ship_by            timestamptz,
                    updated_at         timestamptz,
                    api_version        text,
                    raw_body           bytea       NOT NULL,
                    message_id         text,
                    stored_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
                    changed_at         timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (channel, external_id)
                );
                CREATE INDEX orders_placed_at ON orders (placed_at);
                CREATE INDEX orders_ship_by_open ON orders (ship_by)
                    WHERE status IN ('received','paid','in_fulfilment','partially_shipped');

                CREATE TABLE order_lines (
                    order_id          bigint  NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
                    line_no           integer NOT NULL,
                    line_id           text,
                    sku               text,
                    title             text,
                    quantity          bigint  NOT NULL CHECK (quantity >= 0),
                    unit_price_minor  bigint  NOT NULL,
                    total_minor       bigint  NOT NULL,
                    PRIMARY KEY (order_id, line_no)
                );

                -- A parcel. Keyed by the order's channel and id, not by orders.id: a shipment notice
                -- that arrives before its order is kept and linked (order_id) when the order comes.
                CREATE TABLE shipments (
                    id               bigserial PRIMARY KEY,
                    order_id         bigint REFERENCES orders (id) ON DELETE CASCADE,
                    channel          text   NOT NULL,
                    external_id      text   NOT NULL,
                    shipment_id      text   NOT NULL,
                    carrier          text,
                    tracking_number  text,
                    tracking_url     text,
                    shipped_at       timestamptz,
                    lines            jsonb  NOT NULL DEFAULT '[]',
                    message_id       text,
                    stored_at        timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (channel, external_id, shipment_id)
                );
                CREATE INDEX shipments_order_id ON shipments (order_id);

                CREATE TABLE rejects (
                    id           bigserial PRIMARY KEY,
                    message_id   text,
                    routing_key  text        NOT NULL,
                    reason       text        NOT NULL,
                    field        text,
                    body         bytea       NOT NULL,
                    body_truncated boolean   NOT NULL DEFAULT false,
                    received_at  timestamptz NOT NULL DEFAULT now(),
                    replayed_at  timestamptz
                );
                CREATE INDEX rejects_received_at ON rejects (received_at);

                -- Message ids already stored: a redelivered or duplicated message is a no-op.
                CREATE TABLE processed_messages (
                    message_id    text PRIMARY KEY,
                    processed_at  timestamptz NOT NULL DEFAULT now()
                );
                """),
        Migration(
            version: 2, name: "vouchers, outbox and emails",
            sql: """
                -- Set when the sweeper has dealt with an overdue order (voucher or delay notice): once per order.
                ALTER TABLE orders ADD COLUMN delay_handled_at timestamptz;
                CREATE INDEX orders_overdue_candidates ON orders (ship_by)
                    WHERE delay_handled_at IS NULL AND status IN \
                ('received','paid','in_fulfilment','partially_shipped');
                CREATE INDEX orders_merchant_cancelled ON orders ((COALESCE(updated_at, placed_at)))
                    WHERE status = 'cancelled' AND cancelled_by = 'merchant';

                CREATE TABLE vouchers (
                    code             text        PRIMARY KEY CHECK (length(code) >= 12),
                    order_id         bigint      NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
                    reason           text        NOT NULL CHECK (reason IN ('delay','cancellation','incident')),
                    kind             text        NOT NULL CHECK (kind IN ('percent','amount')),
                    percent          integer     CHECK (percent BETWEEN 1 AND 100),
                    amount_minor     bigint      CHECK (amount_minor > 0),
                    currency         char(3)     NOT NULL,
                    min_order_minor  bigint      CHECK (min_order_minor >= 0),
                    expires_at       timestamptz NOT NULL,
                    issued_at        timestamptz NOT NULL DEFAULT now(),
                    note             text,
                    UNIQUE (order_id, reason),
                    CHECK ((kind = 'percent' AND percent IS NOT NULL AND amount_minor IS NULL)
                        OR (kind = 'amount' AND amount_minor IS NOT NULL AND percent IS NULL))
                );

                -- Transactional outbox: a row per event, written in the transaction of the state change and
                -- published by the relay. The event body is built from the referenced rows when published.
                -- subject is unique: one event per parcel, per voucher, per delayed order. A relay claims rows
                -- with a lease (claimed_until) and counts attempts: attempts > 1 on a published row means the
                -- event may have gone out more than once (a relay died between publishing and marking).
                CREATE TABLE outbox (
                    id            bigserial   PRIMARY KEY,
                    event_id      uuid        NOT NULL UNIQUE DEFAULT gen_random_uuid(),
                    type          text        NOT NULL CHECK (type IN \
                ('shipment.dispatched','voucher.issued','order.delayed')),
                    subject       text        NOT NULL UNIQUE,
                    order_id      bigint      NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
                    shipment_id   bigint      REFERENCES shipments (id) ON DELETE CASCADE,
                    voucher_code  text        REFERENCES vouchers (code) ON DELETE CASCADE,
                    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
                    published_at  timestamptz,
                    attempts      integer     NOT NULL DEFAULT 0,
                    claimed_until timestamptz,
                    last_error    text
                );
                CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

                -- The notifier's ledger: one row per event, claimed before sending.
                CREATE TABLE emails (
                    event_id     uuid        PRIMARY KEY,
                    event_type   text        NOT NULL,
                    recipient    text,
                    subject      text,
                    status       text        NOT NULL CHECK (status IN ('sending','sent','failed','skipped')),
                    attempts     integer     NOT NULL DEFAULT 0,
                    claimed_at   timestamptz NOT NULL DEFAULT now(),
                    sent_at      timestamptz,
                    smtp_reply   text,
                    message_id   text
                );
                CREATE INDEX emails_sent_at ON emails (sent_at);

                -- Redelivered messages being stored, one at a time: a message whose attempts keep ending in
                -- a crash is recognised here and kept as a reject instead of taking the worker down again.
                CREATE TABLE ingest_suspects (
                    message_id  text        PRIMARY KEY,
                    attempts    integer     NOT NULL,
                    last_at     timestamptz NOT NULL DEFAULT now()
                );
                """),
        Migration(
            version: 3, name: "orders whose lines do not add up",
            sql: """
                -- Sum of the line totals minus items_total_minor when they differ beyond rounding; NULL when they
                -- add up. The channel's figures are stored as given; this flags the order.
                ALTER TABLE orders ADD COLUMN lines_discrepancy_minor bigint;
                CREATE INDEX orders_lines_discrepancy ON orders (id) WHERE lines_discrepancy_minor IS NOT NULL;
                """),
        Migration(
            version: 4, name: "incident campaigns' customer messages",
            sql: """
                -- What an incident campaign tells its customers, by language ({"de": "...", "en": "..."}); the
                -- note stays the operators' reason and never reaches a customer.
                ALTER TABLE vouchers ADD COLUMN customer_messages jsonb
                    CHECK (customer_messages IS NULL OR jsonb_typeof(customer_messages) = 'object');
                """),
        Migration(
            version: 5, name: "vouchers created in the shops",
            sql: """
                -- Where a voucher stands with the shop of its order (SPEC 3.6): 'issued' (to be created there;
                -- its voucher.issued event waits), 'synced' (the shop has the code; the event is written),
                -- 'unsynced' (no connection for the channel: listed for export), 'failed' (the shop refused
                -- for good; sync_error keeps the shop's message). Earlier vouchers were announced at once and
                -- no shop was told: 'unsynced'. A worker claims a row by setting sync_claimed_until; attempts
                -- above one mean an earlier request may have reached the shop, so the code is looked up first.
                ALTER TABLE vouchers
                    ADD COLUMN shop_state text NOT NULL DEFAULT 'unsynced'
                        CHECK (shop_state IN ('issued','synced','unsynced','failed')),
                    ADD COLUMN shop_reference     text,
                    ADD COLUMN synced_at          timestamptz,
                    ADD COLUMN sync_attempts      integer NOT NULL DEFAULT 0,
                    ADD COLUMN sync_error         text,
                    ADD COLUMN next_sync_at       timestamptz,
                    ADD COLUMN sync_claimed_until timestamptz;
                CREATE INDEX vouchers_to_sync ON vouchers (issued_at) WHERE shop_state = 'issued';
                CREATE INDEX vouchers_sync_failed ON vouchers (issued_at) WHERE shop_state = 'failed';
                """),
        Migration(
            version: 6, name: "discount codes and voucher redemptions",
            sql: """
                -- The coupon and discount codes the order used (canonical discountCodes), as
                -- [{"code": "SORRY7KQ2M9XW", "amount_minor": 500}] (amount_minor null when the channel does not
                -- say); NULL when none.
                ALTER TABLE orders ADD COLUMN discount_codes jsonb
                    CHECK (discount_codes IS NULL OR jsonb_typeof(discount_codes) = 'array');

                -- An order that used an issued voucher's code (same shop or same customer), written with the order.
                -- One row per voucher and order: a redelivered or newer version of the order changes the amount,
                -- never adds a row. The first order stored with a code redeems the voucher (redeemed_vouchers);
                -- a later order with the same code is kept here too, not counted again.
                CREATE TABLE voucher_redemptions (
                    voucher_code  text        NOT NULL REFERENCES vouchers (code) ON DELETE CASCADE,
                    order_id      bigint      NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
                    code_as_used  text        NOT NULL,
                    amount_minor  bigint      CHECK (amount_minor >= 0),
                    currency      char(3)     NOT NULL,
                    redeemed_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
                    PRIMARY KEY (voucher_code, order_id)
                );
                CREATE INDEX voucher_redemptions_order_id ON voucher_redemptions (order_id);

                -- Each redeemed voucher once, with the order that redeemed it.
                CREATE VIEW redeemed_vouchers AS
                SELECT DISTINCT ON (r.voucher_code) r.voucher_code AS code, r.order_id, o.channel, o.external_id,
                       r.amount_minor, r.currency, r.redeemed_at
                FROM voucher_redemptions r JOIN orders o ON o.id = r.order_id
                ORDER BY r.voucher_code, r.redeemed_at, r.order_id;
                """),
        Migration(
            version: 7, name: "every attempt at an email",
            sql: """
                -- Each attempt at an event's email: the notifier's claims and the operator's resends. emails keeps
                -- the latest outcome and the count (emails.attempts is the highest attempt here). No address: the
                -- recipient stays in emails alone.
                CREATE TABLE email_attempts (
                    event_id     uuid        NOT NULL REFERENCES emails (event_id) ON DELETE CASCADE,
                    attempt      integer     NOT NULL,
                    origin       text        NOT NULL CHECK (origin IN ('notifier','resend')),
                    status       text        NOT NULL CHECK (status IN ('sending','sent','failed','skipped')),
                    started_at   timestamptz NOT NULL DEFAULT now(),
                    finished_at  timestamptz,
                    smtp_reply   text,
                    message_id   text,
                    PRIMARY KEY (event_id, attempt)
                );
                -- What the ledger knew before: the latest attempt of each email.
                INSERT INTO email_attempts (event_id, attempt, origin, status, started_at, finished_at, smtp_reply,
                                            message_id)
                    SELECT event_id, attempts, 'notifier', status, claimed_at,
                           CASE WHEN status <> 'sending' THEN COALESCE(sent_at, claimed_at) END, smtp_reply, message_id
                    FROM emails WHERE attempts > 0;
                """),
        Migration(
            version: 8, name: "retention and erasure",
            sql: """
                -- Set by `orderflow customers erase`: the order's personal data was replaced by a marker, and a
                -- later version of it (a redelivery, an update from the channel) keeps the marker.
                ALTER TABLE orders ADD COLUMN erased_at timestamptz;
                -- Set when a reject's body or an email's personal fields were removed (by `orderflow prune`
                -- after their retention period, or by an erasure): such rows are not looked at again.
                ALTER TABLE rejects ADD COLUMN redacted_at timestamptz;
                ALTER TABLE emails ADD COLUMN redacted_at timestamptz;

                -- Who erased a customer's data and when, and how many rows of each table changed. No personal
                -- data: the orders are named by channel and id, and they keep only the marker themselves.
                CREATE TABLE erasures (
                    id         bigserial   PRIMARY KEY,
                    erased_at  timestamptz NOT NULL DEFAULT now(),
                    erased_by  text        NOT NULL,
                    orders     text[]      NOT NULL,
                    rows       jsonb       NOT NULL CHECK (jsonb_typeof(rows) = 'object')
                );
                """),
    ]
}
