/// The schema, as numbered migrations. A migration is never edited once released: add a new one.
/// Applied in order by `Migrator`, each in its own transaction.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
}

public enum Migrations {
    public static let all: [Migration] = [
        Migration(version: 1, name: "orders", sql: """
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
    ]
}
