public import LibPQ

/// `orderflow customers erase EMAIL`: replaces one customer's personal data (`PersonalData`) by
/// `PersonalData.erasedMarker` wherever it is stored, keeps amounts and ids, and records the erasure in
/// `erasures` (who, when, which orders, how many rows per table; no personal data).
///
/// One transaction per customer. It takes the ingest worker's locks in the worker's order: first the
/// advisory lock of every order concerned (`orderflow_lock_orders`, ascending keys, as every batch does),
/// then the order rows by channel and external id, then the rows that hang off them. A worker storing
/// a new version of one of these orders meanwhile waits for the erasure, or the erasure for it, never
/// both. An order of the customer that arrives between the lookup and the locks makes the erasure start
/// over, so every order it changes is one whose lock it holds.
public struct CustomerEraser: Sendable {
    public struct Outcome: Sendable, Equatable {
        /// The erased orders as `channel external_id`, sorted.
        public var orders: [String]
        /// Rows changed (or, dry, to be changed) per table, in the order they are written.
        public var rows: [(table: String, count: Int)]
        /// The `erasures` row, nil on a dry run.
        public var erasureID: Int64?
        public var erasedAt: String?

        public var total: Int { rows.reduce(0) { $0 + $1.count } }

        public static func == (a: Outcome, b: Outcome) -> Bool {
            a.orders == b.orders && a.rows.map(\.table) == b.rows.map(\.table)
                && a.rows.map(\.count) == b.rows.map(\.count) && a.erasureID == b.erasureID
        }
    }

    struct Target {
        let table: String
        let columns: [PersonalData.Column]
        /// Which rows are the customer's: $1 the email address, $2 the order ids, $3 a pattern naming
        /// an order's external id in a raw body (NULL when there are no orders).
        let rows: String
        /// Set besides the columns.
        let also: String
    }

    static let targets: [Target] = [
        Target(
            table: "orders", columns: PersonalData.orders, rows: "id = ANY($2::bigint[])", also: "erased_at = now()"),
        Target(
            table: "vouchers", columns: PersonalData.vouchers, rows: "order_id = ANY($2::bigint[])", also: ""),
        // Before `emails`, whose recipient finds them.
        Target(
            table: "email_attempts", columns: PersonalData.emailAttempts,
            rows: """
                event_id IN (SELECT event_id FROM emails WHERE lower(recipient) = lower($1))
                OR event_id IN (SELECT event_id FROM outbox WHERE order_id = ANY($2::bigint[]))
                """,
            also: ""),
        Target(
            table: "emails", columns: PersonalData.emails,
            rows: """
                lower(recipient) = lower($1)
                OR event_id IN (SELECT event_id FROM outbox WHERE order_id = ANY($2::bigint[]))
                """,
            also: "redacted_at = now()"),
        // A rejected message that names the address, or one of the orders' ids (as `orders show` finds them).
        Target(
            table: "rejects", columns: PersonalData.rejects,
            rows: """
                (strpos(lower(encode(body, 'escape')), lower(encode(convert_to($1, 'UTF8'), 'escape'))) > 0
                 OR ($3::text IS NOT NULL AND (routing_key LIKE 'order.%' OR routing_key LIKE 'shipment.%')
                     AND encode(body, 'escape') ~ $3))
                AND body <> convert_to('\(PersonalData.erasedMarker)', 'UTF8')
                """,
            also: "redacted_at = now()"),
    ].filter { !$0.columns.isEmpty }

    struct OrdersChanged: Error {}

    public init() {}

    /// Erases (or with `dryRun`, counts) the customer's data. `by` names the operator in the record.
    public func erase(
        email: String, by operatorName: String, dryRun: Bool, on db: PostgresConnection
    ) throws
        -> Outcome
    {
        guard dryRun else {
            // An order of the customer that arrived between the lookup and the locks: start over (a few
            // times; a customer whose orders keep arriving gets the last attempt's error).
            for _ in 1..<5 {
                do {
                    return try db.transaction { try erase(email: email, by: operatorName, in: $0) }
                } catch is OrdersChanged {}
            }
            return try db.transaction { try erase(email: email, by: operatorName, in: $0) }
        }
        let orders = try customerOrders(email, lock: false, on: db)
        let parameters = Self.parameters(email, orders)
        var rows: [(String, Int)] = []
        for target in Self.targets {
            let count = try db.execute(
                "SELECT count(*) AS n FROM \(target.table) WHERE \(Self.scoped(target.rows))", parameters)
            rows.append((target.table, Int(count.int64(0, "n") ?? 0)))
        }
        return Outcome(orders: orders.map(\.name), rows: rows, erasureID: nil, erasedAt: nil)
    }

    private func erase(email: String, by operatorName: String, in db: PostgresConnection) throws -> Outcome {
        try db.execute("SET LOCAL lock_timeout = '10s'")
        let orders = try customerOrders(email, lock: false, on: db)
        let keys = Set(orders.map { IngestItem.orderLockKey(channel: $0.channel, externalId: $0.externalID) }).sorted()
        _ = try db.pipeline([PostgresStatement(SQL.lockOrders, [.text(OutboxStore.array(keys))])], transaction: false)
        let locked = try customerOrders(email, lock: true, on: db)
        guard locked.map(\.id) == orders.map(\.id) else { throw OrdersChanged() }

        let parameters = Self.parameters(email, orders)
        var rows: [(String, Int)] = []
        for target in Self.targets {
            let set = [PersonalData.assignments(target.columns, marker: PersonalData.erasedMarker), target.also]
                .filter { !$0.isEmpty }.joined(separator: ", ")
            let result = try db.execute(
                "UPDATE \(target.table) SET \(set) WHERE \(Self.scoped(target.rows))", parameters)
            rows.append((target.table, result.affectedRows))
        }
        let counts = "{" + rows.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
        let names = orders.map(\.name)
        let record = try db.execute(
            """
            INSERT INTO erasures (erased_by, orders, rows) VALUES ($1, $2::text[], $3::jsonb)
            RETURNING id, to_char(erased_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS erased_at
            """, [.text(operatorName), .text(Self.textArray(names)), .text(counts)])
        return Outcome(
            orders: names, rows: rows, erasureID: record.int64(0, "id"), erasedAt: record[0, "erased_at"])
    }

    struct Order {
        let id: Int64
        let channel: String
        let externalID: String
        var name: String { "\(channel) \(externalID)" }
    }

    /// The customer's orders not yet erased, in the worker's lock order (channel, external id).
    private func customerOrders(
        _ email: String, lock: Bool, on db: PostgresConnection
    ) throws(PostgresError)
        -> [Order]
    {
        let result = try db.execute(
            """
            SELECT id, channel, external_id FROM orders WHERE lower(customer_email) = lower($1)
            ORDER BY channel, external_id \(lock ? "FOR UPDATE" : "")
            """, [.text(email)])
        return (0..<result.count).compactMap { row in
            guard let id = result.int64(row, "id"), let channel = result[row, "channel"],
                let externalID = result[row, "external_id"]
            else { return nil }
            return Order(id: id, channel: channel, externalID: externalID)
        }
    }

    /// Every statement types all three parameters, used or not (PostgreSQL refuses one it cannot type).
    static func scoped(_ rows: String) -> String {
        "(\(rows)) AND num_nulls($1::text, $2::bigint[], $3::text) >= 0"
    }

    private static func parameters(_ email: String, _ orders: [Order]) -> [PostgresValue] {
        let ids = orders.map { RejectStore.regexEscaped($0.externalID) }
        let any = "(" + ids.joined(separator: "|") + ")"
        let pattern = ids.isEmpty ? nil : #"("\#(any)"|:\s*\#(any)\s*[,}\]])"#
        return [.text(email), .text(OutboxStore.array(orders.map(\.id))), pattern.map { .text($0) } ?? .null]
    }

    /// A PostgreSQL text[] literal, each element quoted.
    static func textArray(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingBackslashesAndQuotes() + "\"" }.joined(separator: ",") + "}"
    }
}

extension String {
    fileprivate func replacingBackslashesAndQuotes() -> String {
        var out = ""
        for character in self {
            if character == "\\" || character == "\"" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
