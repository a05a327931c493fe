public import LibPQ
import OrdersDomain

/// The SQL of the ingest path. Every item of a batch is one statement of one pipelined
/// transaction; each statement is idempotent on its own:
///
/// - the message id goes into `processed_messages` first, and nothing else happens for an id
///   seen before (a redelivery after a crash between commit and ack is a no-op);
/// - an order is upserted on `(channel, external_id)` and only overwrites a stored order whose
///   channel `updatedAt` (else `placedAt`) is older: a stale or replayed update changes nothing;
/// - its lines are upserted by line number and the surplus deleted, in the same statement, so
///   lines are never duplicated and always match the stored order;
/// - each new parcel (and each parcel that waited for its order) gets a `shipment.dispatched` row
///   in the outbox, in the same transaction; a replayed notice adds no parcel and so no event;
/// - each discount code that is an issued voucher's (compared case-insensitively; the voucher's
///   order from the same channel or the same customer e-mail) is recorded in `voucher_redemptions`
///   once per voucher and order; a newer version updates the amount and drops codes it no longer
///   carries. This only reads `vouchers` (a key-share lock at most): no lock beyond the order's.
///
/// Batches written at once by several workers neither deadlock nor miss each other's rows. A
/// transaction first takes one advisory lock per order it touches (`orderflow_lock_orders`, in
/// ascending key order, the same in every worker), so two batches that share orders wait for each
/// other in one direction, never in a cycle; and since each later statement starts after those
/// locks are held, it sees what the other batch committed: a parcel stored beside its order's
/// first version is always linked to it. The items then go in one canonical order (`lockOrder`).
public struct OrderStore: Sendable {
    /// How much of a rejected body is kept.
    public var rejectBodyCap: Int
    /// A parcel shipped longer ago than this (an imported history) is stored without a
    /// `shipment.dispatched` event, so nobody is mailed about last year's parcel.
    public var eventHorizonSeconds: Int64

    public init(rejectBodyCap: Int = 64 * 1024, eventHorizonSeconds: Int64 = 7 * 86_400) {
        self.rejectBodyCap = rejectBodyCap
        self.eventHorizonSeconds = eventHorizonSeconds
    }

    /// Writes the batch in one transaction (one round trip). Throws without side effects.
    /// `clearingSuspects`: message ids whose suspect record goes in the same transaction.
    /// `beforeCommit`: called after the statements ran and before COMMIT (a crash point of the
    /// reliability suite); with it the transaction takes one more round trip.
    public func write(
        _ items: [IngestItem], clearingSuspects suspects: [String] = [], on connection: PostgresConnection,
        beforeCommit: (() -> Void)? = nil
    ) throws {
        guard !items.isEmpty else { return }
        let statements =
            [Self.lockOrders(of: items)] + items.sorted(by: IngestItem.lockOrder).map(statement)
            + suspects.sorted().map(Self.clearSuspect)
        guard let beforeCommit else {
            try connection.pipeline(statements, transaction: true)
            return
        }
        try connection.transaction { connection in
            try connection.pipeline(statements, transaction: false)
            beforeCommit()
        }
    }

    /// Writes the batch like `write`; when the database refuses it for good (a value the schema
    /// does not take), writes it item by item instead and keeps each refused item as a reject,
    /// so that one odd message never blocks the queue. Returns that refusal, nil when the batch
    /// went in whole. Passing failures (connection lost) are thrown: the caller retries.
    public func storeIsolatingRefusals(
        _ items: [IngestItem], clearingSuspects suspects: [String] = [],
        on connection: PostgresConnection,
        beforeCommit: (() -> Void)? = nil
    ) throws -> PostgresError? {
        do {
            try write(items, clearingSuspects: suspects, on: connection, beforeCommit: beforeCommit)
            return nil
        } catch {
            guard let refusal = error as? PostgresError, !refusal.isTransient else { throw error }
            for item in items.sorted(by: IngestItem.lockOrder) { try writeAloneOrReject(item, on: connection) }
            if !suspects.isEmpty {
                try connection.pipeline(suspects.sorted().map(Self.clearSuspect), transaction: true)
            }
            return refusal
        }
    }

    /// One item in a transaction of its own; kept as a reject naming the reason when the database refuses it.
    private func writeAloneOrReject(_ item: IngestItem, on connection: PostgresConnection) throws(PostgresError) {
        do {
            try writeAlone(item, on: connection)
        } catch {
            guard !error.isTransient else { throw error }
            let reject = IngestItem(
                messageID: item.messageID, routingKey: item.routingKey, body: item.body,
                content: .reject(reason: "refused by the database: \(error.description)", field: nil))
            try writeAlone(reject, on: connection)
        }
    }

    private static func clearSuspect(_ messageID: String) -> PostgresStatement {
        PostgresStatement(SQL.clearSuspect, [.text(messageID)])
    }

    /// Records one more attempt at storing a redelivered message (committed at once, before the
    /// attempt) and returns how many attempts there have been.
    public func markSuspect(_ messageID: String, on connection: PostgresConnection) throws(PostgresError) -> Int {
        Int(try connection.execute(SQL.markSuspect, [.text(messageID)]).int64(0, "attempts") ?? 1)
    }

    /// Writes one item in a transaction of its own (used to isolate an item the database refuses).
    public func writeAlone(_ item: IngestItem, on connection: PostgresConnection) throws(PostgresError) {
        try connection.pipeline([Self.lockOrders(of: [item]), statement(for: item)], transaction: true)
    }

    /// The advisory locks of the items' orders, ascending (a statement of its own, so that the
    /// statements after it see what a batch that held a lock before committed).
    static func lockOrders(of items: [IngestItem]) -> PostgresStatement {
        let keys = Set(items.compactMap(\.orderLockKey)).sorted()
        return PostgresStatement(SQL.lockOrders, [.text(OutboxStore.array(keys))])
    }

    public func statement(for item: IngestItem) -> PostgresStatement {
        switch item.content {
        case .order(let order): orderStatement(order, item)
        case .shipment(let shipment): shipmentStatement(shipment, item)
        case .reject(let reason, let field): rejectStatement(reason: reason, field: field, item)
        }
    }

    private func orderStatement(_ order: CanonicalOrder, _ item: IngestItem) -> PostgresStatement {
        let lines = JSONValue.array(
            order.lines.enumerated().map { index, line in
                .object(
                    JSONObject([
                        ("line_no", .number(String(index + 1))),
                        ("line_id", .optional(line.lineId)),
                        ("sku", .optional(line.sku)),
                        ("title", .optional(line.title)),
                        ("quantity", .number(String(line.quantity))),
                        ("unit_price_minor", .number(String(line.unitPrice.minorUnits))),
                        ("total_minor", .number(String(line.total.minorUnits))),
                    ]))
            })
        let parcels = JSONValue.array(order.shipments.map(Self.parcelJSON))
        return PostgresStatement(
            SQL.upsertOrder,
            [
                .text(item.messageID), .text(order.channel), .text(order.externalId), .optional(order.number),
                .text(order.status.rawValue), .optional(order.cancelledBy?.rawValue), .text(order.currency.code),
                .int(order.totals.items.minorUnits), .int(order.totals.shipping.minorUnits),
                .int(order.totals.discount.minorUnits),
                .int(order.totals.tax.minorUnits), .int(order.totals.grand.minorUnits),
                .optional(order.customer.email), .optional(order.customer.name), .optional(order.customer.locale),
                .optional(order.shippingAddress.map { JSON.serialize($0.json) }),
                .optional(order.billingAddress.map { JSON.serialize($0.json) }),
                .text(JSON.serialize(.object(order.channelStatus))),
                .text(order.placedAt.rfc3339), .optional(order.shipBy?.rfc3339), .optional(order.updatedAt?.rfc3339),
                .optional(order.apiVersion), .bytes(item.body), .text(JSON.serialize(lines)), .int(order.lines.count),
                .text(JSON.serialize(parcels)), .int(eventHorizonSeconds),
                .optional(order.linesDiscrepancy?.minorUnits), .text(JSON.serialize(Self.codesJSON(order))),
            ])
    }

    /// `[{"code": ..., "amount_minor": ...}]` of the order's discount codes.
    static func codesJSON(_ order: CanonicalOrder) -> JSONValue {
        .array(
            order.discountCodes.map { entry in
                .object(
                    JSONObject([
                        ("code", .string(entry.code)),
                        ("amount_minor", entry.amount.map { .number(String($0.minorUnits)) } ?? .null),
                    ]))
            })
    }

    private func shipmentStatement(_ shipment: CanonicalShipment, _ item: IngestItem) -> PostgresStatement {
        let parcel = Self.parcelJSON(shipment)
        // Line quantities are capped by the normaliser; saturate rather than wrap all the same.
        let quantity = shipment.lines.reduce(Int64(0)) { sum, line in
            let (total, overflow) = sum.addingReportingOverflow(line.quantity)
            return overflow ? .max : total
        }
        return PostgresStatement(
            SQL.insertShipment,
            [
                .text(item.messageID), .text(shipment.channel), .text(shipment.externalId),
                .text(JSON.serialize(parcel)), .int(quantity),
                .int(eventHorizonSeconds),
            ])
    }

    private func rejectStatement(reason: String, field: String?, _ item: IngestItem) -> PostgresStatement {
        let truncated = item.body.count > rejectBodyCap
        return PostgresStatement(
            SQL.insertReject,
            [
                .text(item.messageID), .text(item.routingKey), .text(reason), .optional(field),
                .bytes(truncated ? Array(item.body.prefix(rejectBodyCap)) : item.body), .bool(truncated),
            ])
    }

    static func parcelJSON(_ shipment: CanonicalShipment) -> JSONValue {
        .object(
            JSONObject([
                ("shipment_id", .string(shipment.shipmentId)),
                ("carrier", .optional(shipment.carrier)),
                ("tracking_number", .optional(shipment.trackingNumber)),
                ("tracking_url", .optional(shipment.trackingUrl)),
                ("shipped_at", .optional(shipment.shippedAt?.rfc3339)),
                (
                    "lines",
                    .array(
                        shipment.lines.map { line in
                            .object(
                                JSONObject([
                                    ("sku", .optional(line.sku)), ("lineId", .optional(line.lineId)),
                                    ("quantity", .number(String(line.quantity))),
                                ]))
                        })
                ),
            ]))
    }
}

enum SQL {
    /// Array order is lock order: unnest yields the elements in order, and nothing sorts them.
    static let lockOrders = PreparedStatement(
        name: "orderflow_lock_orders",
        sql: """
            SELECT count(pg_advisory_xact_lock(key)) FROM unnest($1::bigint[]) AS key
            """)

    static let upsertOrder = PreparedStatement(
        name: "orderflow_upsert_order",
        sql: """
            WITH first AS (
                INSERT INTO processed_messages (message_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING message_id
            ), up AS (
                INSERT INTO orders (channel, external_id, number, status, cancelled_by, currency, items_total_minor, \
            shipping_minor,
                    discount_minor, tax_minor, grand_total_minor, customer_email, customer_name, customer_locale,
                    shipping_address, billing_address, channel_status, placed_at, ship_by, updated_at, api_version, \
            raw_body, message_id, lines_discrepancy_minor, discount_codes)
                SELECT $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, $17::jsonb, $18::jsonb,
                       $19::timestamptz, $20::timestamptz, $21::timestamptz, $22, $23, $1, $28::bigint,
                       NULLIF($29::jsonb, '[]'::jsonb)
                FROM first
                ON CONFLICT (channel, external_id) DO UPDATE SET
                    number = EXCLUDED.number, status = EXCLUDED.status, cancelled_by = EXCLUDED.cancelled_by,
                    currency = EXCLUDED.currency, items_total_minor = EXCLUDED.items_total_minor,
                    shipping_minor = EXCLUDED.shipping_minor, discount_minor = EXCLUDED.discount_minor,
                    tax_minor = EXCLUDED.tax_minor, grand_total_minor = EXCLUDED.grand_total_minor,
                    customer_locale = EXCLUDED.customer_locale, channel_status = EXCLUDED.channel_status,
                    placed_at = EXCLUDED.placed_at, ship_by = EXCLUDED.ship_by, updated_at = EXCLUDED.updated_at,
                    api_version = EXCLUDED.api_version, message_id = EXCLUDED.message_id,
                    lines_discrepancy_minor = EXCLUDED.lines_discrepancy_minor,
                    discount_codes = EXCLUDED.discount_codes, changed_at = now(),
                    \(PersonalData.upsertKeepingErasure)
                WHERE COALESCE(EXCLUDED.updated_at, EXCLUDED.placed_at) > COALESCE(orders.updated_at, orders.placed_at)
                RETURNING id
            ), lines AS (
                INSERT INTO order_lines (order_id, line_no, line_id, sku, title, quantity, unit_price_minor, \
            total_minor)
                SELECT up.id, l.line_no, l.line_id, l.sku, l.title, l.quantity, l.unit_price_minor, l.total_minor
                FROM up CROSS JOIN jsonb_to_recordset($24::jsonb)
                    AS l(line_no integer, line_id text, sku text, title text, quantity bigint, unit_price_minor \
            bigint, total_minor bigint)
                ON CONFLICT (order_id, line_no) DO UPDATE SET
                    line_id = EXCLUDED.line_id, sku = EXCLUDED.sku, title = EXCLUDED.title, quantity = \
            EXCLUDED.quantity,
                    unit_price_minor = EXCLUDED.unit_price_minor, total_minor = EXCLUDED.total_minor
            ), surplus AS (
                DELETE FROM order_lines USING up WHERE order_lines.order_id = up.id AND order_lines.line_no > \
            $25::integer
            ), parcels AS (
                INSERT INTO shipments (order_id, channel, external_id, shipment_id, carrier, tracking_number, \
            tracking_url,
                                       shipped_at, lines, message_id)
                SELECT up.id, $2, $3, p.shipment_id, p.carrier, p.tracking_number, p.tracking_url, p.shipped_at, \
            p.lines, $1
                FROM up CROSS JOIN jsonb_to_recordset($26::jsonb)
                    AS p(shipment_id text, carrier text, tracking_number text, tracking_url text, shipped_at \
            timestamptz, lines jsonb)
                ON CONFLICT (channel, external_id, shipment_id) DO NOTHING
                RETURNING id, order_id, shipped_at
            ), linked AS (
                UPDATE shipments SET order_id = up.id FROM up
                WHERE shipments.channel = $2 AND shipments.external_id = $3 AND shipments.order_id IS NULL
                RETURNING shipments.id, shipments.order_id, shipments.shipped_at
            ), parcel_events AS (
                INSERT INTO outbox (type, subject, order_id, shipment_id)
                SELECT 'shipment.dispatched', 'shipment:' || p.id, p.order_id, p.id
                FROM (SELECT * FROM parcels UNION ALL SELECT * FROM linked) AS p
                WHERE p.shipped_at IS NULL OR p.shipped_at > now() - make_interval(secs => $27::bigint)
                ON CONFLICT (subject) DO NOTHING
            ), codes AS (
                SELECT DISTINCT ON (upper(d.code)) d.code, upper(d.code) AS key, d.amount_minor
                FROM jsonb_to_recordset($29::jsonb) AS d(code text, amount_minor bigint)
            ), redeemed AS (
                INSERT INTO voucher_redemptions (voucher_code, order_id, code_as_used, amount_minor, currency)
                SELECT v.code, up.id, c.code, c.amount_minor, $7
                FROM up CROSS JOIN codes c
                JOIN vouchers v ON v.code = c.key
                JOIN orders issuer ON issuer.id = v.order_id
                WHERE issuer.id <> up.id
                  AND (issuer.channel = $2 OR lower(issuer.customer_email) = lower($13::text))
                ON CONFLICT (voucher_code, order_id) DO UPDATE SET
                    code_as_used = EXCLUDED.code_as_used, amount_minor = EXCLUDED.amount_minor,
                    currency = EXCLUDED.currency
            ), dropped AS (
                DELETE FROM voucher_redemptions r USING up
                WHERE r.order_id = up.id AND NOT EXISTS (SELECT 1 FROM codes c WHERE c.key = r.voucher_code)
            )
            SELECT (SELECT count(*) FROM first) AS fresh, (SELECT count(*) FROM up) AS changed
            """)

    /// A parcel; when its order is known and still open, the order moves to partially_shipped or
    /// shipped by comparing shipped with ordered quantities (this parcel included).
    static let insertShipment = PreparedStatement(
        name: "orderflow_insert_shipment",
        sql: """
            WITH first AS (
                INSERT INTO processed_messages (message_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING message_id
            ), parcel AS (
                INSERT INTO shipments (order_id, channel, external_id, shipment_id, carrier, tracking_number, \
            tracking_url,
                                       shipped_at, lines, message_id)
                SELECT (SELECT id FROM orders WHERE channel = $2 AND external_id = $3), $2, $3,
                       p->>'shipment_id', p->>'carrier', p->>'tracking_number', p->>'tracking_url',
                       (p->>'shipped_at')::timestamptz, p->'lines', $1
                FROM first CROSS JOIN (SELECT $4::jsonb AS p) AS input
                ON CONFLICT (channel, external_id, shipment_id) DO NOTHING
                RETURNING id, order_id, shipped_at
            ), parcel_event AS (
                INSERT INTO outbox (type, subject, order_id, shipment_id)
                SELECT 'shipment.dispatched', 'shipment:' || id, order_id, id FROM parcel
                WHERE order_id IS NOT NULL AND (shipped_at IS NULL OR shipped_at > now() - make_interval(secs => \
            $6::bigint))
                ON CONFLICT (subject) DO NOTHING
            )
            UPDATE orders o SET
                status = CASE WHEN shipped.qty + $5::bigint >= ordered.qty THEN 'shipped' ELSE 'partially_shipped' END,
                changed_at = now()
            FROM parcel,
                 LATERAL (SELECT COALESCE(sum(quantity), 0) AS qty FROM order_lines WHERE order_id = parcel.order_id) \
            AS ordered,
                 LATERAL (SELECT COALESCE(sum((l->>'quantity')::bigint), 0) AS qty
                          FROM shipments s CROSS JOIN jsonb_array_elements(s.lines) AS l WHERE s.order_id = \
            parcel.order_id) AS shipped
            WHERE o.id = parcel.order_id AND o.status IN ('received', 'paid', 'in_fulfilment', 'partially_shipped')
            """)

    static let markSuspect = PreparedStatement(
        name: "orderflow_mark_suspect",
        sql: """
            INSERT INTO ingest_suspects (message_id, attempts) VALUES ($1, 1)
            ON CONFLICT (message_id) DO UPDATE SET attempts = ingest_suspects.attempts + 1, last_at = now()
            RETURNING attempts
            """)

    static let clearSuspect = PreparedStatement(
        name: "orderflow_clear_suspect",
        sql: """
            DELETE FROM ingest_suspects WHERE message_id = $1
            """)

    static let insertReject = PreparedStatement(
        name: "orderflow_insert_reject",
        sql: """
            WITH first AS (
                INSERT INTO processed_messages (message_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING message_id
            )
            INSERT INTO rejects (message_id, routing_key, reason, field, body, body_truncated)
            SELECT $1, $2, $3, $4, $5, $6::boolean FROM first
            """)
}
