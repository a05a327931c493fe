public import LibPQ
public import OrdersDomain

/// The outbox as the relay sees it: claim a batch of unpublished events under a lease, then mark
/// them published (after the broker confirmed them) or release them (when it did not).
///
/// The lease instead of a held row lock keeps transactions short and lets `attempts` count every
/// try: a published event with `attempts > 1` may have reached the broker more than once.
public struct OutboxStore: Sendable {
    /// How long a claim protects events from other relays; longer than a publish may take.
    public var lease: Duration

    public init(lease: Duration = .seconds(30)) { self.lease = lease }

    public struct Claimed: Sendable {
        public let outboxID: Int64
        public let event: OrderEvent
    }

    /// Claims up to `limit` unpublished events, oldest first, skipping those other relays hold.
    /// An entry whose rows cannot be read as an event (it should not happen) is returned in `unreadable`.
    public func claim(
        limit: Int, on connection: PostgresConnection
    ) throws(PostgresError) -> (events: [Claimed], unreadable: [Int64]) {
        let result = try connection.execute(OutboxSQL.claim, [.int(limit), .int(lease.components.seconds)])
        var events: [Claimed] = []
        var unreadable: [Int64] = []
        for row in 0..<result.count {
            guard let id = result.int64(row, "id") else { continue }
            if let event = Self.event(result, row) {
                events.append(Claimed(outboxID: id, event: event))
            } else {
                unreadable.append(id)
            }
        }
        return (events, unreadable)
    }

    /// The event as the relay publishes it, rebuilt from today's rows; nil when no outbox row has the id.
    public func event(_ eventID: String, on connection: PostgresConnection) throws(PostgresError) -> OrderEvent? {
        let result = try connection.execute(OutboxSQL.find, [.text(eventID)])
        return result.isEmpty ? nil : Self.event(result, 0)
    }

    public func markPublished(_ ids: [Int64], on connection: PostgresConnection) throws(PostgresError) {
        guard !ids.isEmpty else { return }
        _ = try connection.execute(OutboxSQL.markPublished, [.text(Self.array(ids))])
    }

    /// Gives claimed events back for the next attempt, with what went wrong.
    public func release(_ ids: [Int64], error: String, on connection: PostgresConnection) throws(PostgresError) {
        guard !ids.isEmpty else { return }
        _ = try connection.execute(OutboxSQL.release, [.text(Self.array(ids)), .text(error)])
    }

    /// Unpublished events and the age of the oldest, in seconds (0 when there are none).
    public func backlog(
        on connection: PostgresConnection
    ) throws(PostgresError) -> (count: Int64, oldestAgeSeconds: Double) {
        let result = try connection.execute(OutboxSQL.backlog)
        return (result.int64(0, "count") ?? 0, result[0, "age"].flatMap(Double.init) ?? 0)
    }

    static func array(_ ids: [Int64]) -> String { "{" + ids.map(String.init).joined(separator: ",") + "}" }

    private static func event(_ r: PostgresResult, _ row: Int) -> OrderEvent? {
        func timestamp(_ column: String) -> UTCTimestamp? {
            r.int64(row, column).map(UTCTimestamp.init(epochMilliseconds:))
        }
        guard let eventId = r[row, "event_id"], let kind = r[row, "type"].flatMap(OrderEvent.Kind.init(rawValue:)),
            let occurredAt = timestamp("created_ms"), let channel = r[row, "channel"],
            let externalId = r[row, "external_id"],
            let placedAt = timestamp("placed_ms"), let currency = r[row, "currency"].flatMap(Currency.init(code:)),
            let grand = r.int64(row, "grand_total_minor")
        else { return nil }
        var event = OrderEvent(
            eventId: eventId, kind: kind, occurredAt: occurredAt,
            order: .init(
                channel: channel, externalId: externalId, number: r[row, "number"], placedAt: placedAt,
                shipBy: timestamp("ship_by_ms"), currency: currency,
                grandTotal: Money(minorUnits: grand, currency: currency),
                country: r[row, "country"]),
            customer: .init(
                email: r[row, "customer_email"], name: r[row, "customer_name"], locale: r[row, "customer_locale"])
        )
        switch kind {
        case .shipmentDispatched:
            guard let shipmentId = r[row, "shipment_id"] else { return nil }
            event.parcel = .init(
                shipmentId: shipmentId, carrier: r[row, "carrier"], trackingNumber: r[row, "tracking_number"],
                trackingUrl: r[row, "tracking_url"], shippedAt: timestamp("shipped_ms"),
                items: parcelItems(r[row, "items"]))
        case .voucherIssued:
            guard let code = r[row, "code"], let reason = r[row, "reason"].flatMap(VoucherReason.init(rawValue:)),
                let voucherCurrency = r[row, "voucher_currency"].flatMap(Currency.init(code:)),
                let expiresAt = timestamp("expires_ms")
            else { return nil }
            let kind: VoucherTerms.Kind
            if let percent = r.int64(row, "percent") {
                kind = .percent(Int(percent))
            } else if let amount = r.int64(row, "amount_minor") {
                kind = .amount(Money(minorUnits: amount, currency: voucherCurrency))
            } else {
                return nil
            }
            let terms = VoucherTerms(
                kind: kind, currency: voucherCurrency,
                minimumOrder: r.int64(row, "min_order_minor").map { Money(minorUnits: $0, currency: voucherCurrency) },
                expiresAt: expiresAt)
            event.voucher = .init(
                code: code, reason: reason, terms: terms, note: r[row, "note"],
                customerMessages: Self.textObject(r[row, "customer_messages"]))
        case .orderDelayed:
            break
        }
        return event
    }

    /// The parcel's lines as stored (`[{"sku", "title", "quantity"}]`).
    private static func parcelItems(_ text: String?) -> [OrderEvent.Parcel.Item] {
        guard let text, let root = try? JSON.parse(Array(text.utf8)), case .array(let items) = root else { return [] }
        return items.compactMap { item in
            guard let quantity = item["quantity"].flatMap(Self.integer) else { return nil }
            return .init(sku: item["sku"]?.stringValue, title: item["title"]?.stringValue, quantity: quantity)
        }
    }

    /// A JSON object of strings (`{"de": "…"}`); anything else in it is left out.
    private static func textObject(_ text: String?) -> [String: String] {
        guard let text, let root = try? JSON.parse(Array(text.utf8)), case .object(let object) = root else {
            return [:]
        }
        var result: [String: String] = [:]
        for (key, value) in object.pairs { if let string = value.stringValue { result[key] = string } }
        return result
    }

    private static func integer(_ value: JSONValue) -> Int64? {
        if case .number(let text) = value { return Int64(text) }
        return nil
    }
}

enum OutboxSQL {
    /// Everything an event body needs, for the outbox rows in `claimed` (id, event_id, type, order_id,
    /// shipment_id, voucher_code, created_at).
    static let events = """
        SELECT c.id, c.event_id::text AS event_id, c.type, \(ms("c.created_at")) AS created_ms,
               o.channel, o.external_id, o.number, \(ms("o.placed_at")) AS placed_ms, \(ms("o.ship_by")) AS \
        ship_by_ms,
               o.currency, o.grand_total_minor, o.shipping_address->>'country' AS country,
               o.customer_email, o.customer_name, o.customer_locale,
               s.shipment_id, s.carrier, s.tracking_number, s.tracking_url, \(ms("s.shipped_at")) AS shipped_ms,
               (SELECT jsonb_agg(jsonb_build_object(
                           'sku', l->>'sku',
                           'title', (SELECT ol.title FROM order_lines ol
                                     WHERE ol.order_id = o.id AND (ol.line_id = l->>'lineId' OR ol.sku = l->>'sku')
                                     ORDER BY (ol.line_id = l->>'lineId') DESC NULLS LAST, ol.line_no LIMIT 1),
                           'quantity', (l->>'quantity')::bigint))
                FROM jsonb_array_elements(s.lines) AS l)::text AS items,
               v.code, v.reason, v.percent, v.amount_minor, v.currency AS voucher_currency, v.min_order_minor,
               \(ms("v.expires_at")) AS expires_ms, v.note,
               v.customer_messages::text AS customer_messages
        FROM claimed c
        JOIN orders o ON o.id = c.order_id
        LEFT JOIN shipments s ON s.id = c.shipment_id
        LEFT JOIN vouchers v ON v.code = c.voucher_code
        """

    /// Claims a batch under a lease and reads everything the event bodies need in the same statement.
    static let claim = PreparedStatement(
        name: "orderflow_outbox_claim",
        sql: """
            WITH claimed AS (
                UPDATE outbox SET attempts = attempts + 1, claimed_until = clock_timestamp() + make_interval(secs => \
            $2::bigint)
                WHERE id IN (
                    SELECT id FROM outbox
                    WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < clock_timestamp())
                    ORDER BY id LIMIT $1::integer
                    FOR UPDATE SKIP LOCKED)
                RETURNING id, event_id, type, order_id, shipment_id, voucher_code, created_at
            )
            \(events)
            ORDER BY c.id
            """)

    /// One event, published or not, by its id (`orderflow emails resend`).
    static let find = PreparedStatement(
        name: "orderflow_outbox_find",
        sql: """
            WITH claimed AS (
                SELECT id, event_id, type, order_id, shipment_id, voucher_code, created_at FROM outbox
                WHERE event_id = $1::uuid
            )
            \(events)
            """)

    static let markPublished = PreparedStatement(
        name: "orderflow_outbox_published",
        sql: """
            UPDATE outbox SET published_at = clock_timestamp(), claimed_until = NULL, last_error = NULL WHERE id = \
            ANY($1::bigint[])
            """)

    static let release = PreparedStatement(
        name: "orderflow_outbox_release",
        sql: """
            UPDATE outbox SET claimed_until = NULL, last_error = left($2, 500) WHERE id = ANY($1::bigint[])
            """)

    static let backlog = PreparedStatement(
        name: "orderflow_outbox_backlog",
        sql: """
            SELECT count(*) AS count, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age
            FROM outbox WHERE published_at IS NULL
            """)

    /// Milliseconds since the epoch, what `UTCTimestamp` holds.
    static func ms(_ column: String) -> String { "(extract(epoch FROM \(column)) * 1000)::bigint" }
}
