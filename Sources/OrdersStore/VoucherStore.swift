public import LibPQ
public import OrdersDomain

/// Issues apology vouchers and delay notices, each with its outbox event in the same transaction.
///
/// At most one voucher per order and reason is the database's rule (`UNIQUE (order_id, reason)`):
/// an insert that would break it does nothing and emits nothing. Sweeps lock the orders they handle
/// with `FOR UPDATE SKIP LOCKED`, so every worker can sweep at once without waiting on the others.
public struct VoucherStore: Sendable {
    public var policy: VoucherPolicy
    public var shops: ShopSync

    public init(policy: VoucherPolicy, shops: ShopSync = ShopSync()) {
        self.policy = policy
        self.shops = shops
    }

    /// Which channels have a shop connection, and whether a voucher may be announced without one.
    public struct ShopSync: Sendable, Equatable {
        /// Channels whose vouchers are created in the shop before their event is written.
        public var connectedChannels: Set<String>
        /// ORDERFLOW_VOUCHERS_REQUIRE_SYNC: a voucher no shop knows is never announced.
        public var requireSync: Bool

        public init(connectedChannels: Set<String> = [], requireSync: Bool = false) {
            self.connectedChannels = connectedChannels
            self.requireSync = requireSync
        }

        /// The state a new voucher starts in, and whether its event is written with it.
        func start(channel: String) -> (state: String, announce: Bool) {
            connectedChannels.contains(channel) ? ("issued", false) : ("unsynced", !requireSync)
        }
    }

    /// What one sweep or campaign batch did.
    public struct Outcome: Sendable, Equatable {
        public var vouchers: [IssuedVoucher] = []
        public var delayNotices = 0
        /// Orders that already had a voucher for the reason.
        public var alreadyIssued = 0
        /// Orders the policy could not price (e.g. an amount in a currency it cannot express).
        public var failures: [String] = []

        public init() {}
    }

    public struct IssuedVoucher: Sendable, Equatable {
        public let reason: VoucherReason
        public let orderID: Int64
        public let channel: String
        public let externalId: String
        public let number: String?
        public let email: String?
        public let code: String
        public let terms: VoucherTerms
    }

    /// One batch of overdue orders: vouchers (or delay notices on marketplace channels) for open orders
    /// whose ship-by has passed within the history horizon. Returns what it did; call again while
    /// it finds `limit` orders.
    public func sweepDelays(limit: Int, on connection: PostgresConnection) throws -> (outcome: Outcome, examined: Int) {
        try connection.transaction { connection in
            let due = try connection.execute(
                VoucherSQL.overdue,
                [.int(Int64(policy.handlingHours)), .int(Int64(policy.delayHorizonHours)), .int(limit)])
            var outcome = Outcome()
            var batch = IssueBatch()
            for row in 0..<due.count {
                guard let candidate = Candidate(due, row) else { continue }
                if policy.givesVouchers(toChannel: candidate.channel) {
                    batch.add(
                        voucherFor: candidate, reason: .delay, note: nil, policy: policy, shops: shops,
                        outcome: &outcome)
                } else {
                    batch.add(PostgresStatement(VoucherSQL.delayNotice, [.int(candidate.id)]))
                    outcome.delayNotices += 1
                }
            }
            let ids = (0..<due.count).compactMap { due.int64($0, "id") }
            batch.add(PostgresStatement(VoucherSQL.markDelayHandled, [.text(OutboxStore.array(ids))]))
            try batch.run(on: connection, into: &outcome)
            return (outcome, due.count)
        }
    }

    /// One batch of merchant-cancelled orders without a cancellation voucher (never the customer's own
    /// cancellations, never marketplace orders), cancelled within the history horizon.
    public func sweepCancellations(
        limit: Int, on connection: PostgresConnection
    ) throws -> (outcome: Outcome, examined: Int) {
        try connection.transaction { connection in
            let due = try connection.execute(
                VoucherSQL.merchantCancelled,
                [
                    .int(Int64(policy.delayHorizonHours)),
                    .text(Self.textArray(policy.channelsWithoutVouchers.sorted())), .int(limit),
                ])
            var outcome = Outcome()
            var batch = IssueBatch()
            for row in 0..<due.count {
                guard let candidate = Candidate(due, row) else { continue }
                batch.add(
                    voucherFor: candidate, reason: .cancellation, note: nil, policy: policy, shops: shops,
                    outcome: &outcome)
            }
            try batch.run(on: connection, into: &outcome)
            return (outcome, due.count)
        }
    }

    /// An incident campaign: a voucher for every order placed in `[from, to)` on a channel that gets
    /// vouchers, after order id `afterID`. Returns the batch's outcome and the last order id seen
    /// (nil when there is nothing more). Running a campaign again issues nothing new.
    public func issueIncident(
        from: UTCTimestamp, to: UTCTimestamp, note: String, customerMessages: [String: String] = [:],
        validUntil: UTCTimestamp?, afterID: Int64, limit: Int, on connection: PostgresConnection
    ) throws -> (outcome: Outcome, lastID: Int64?) {
        try connection.transaction { connection in
            let orders = try connection.execute(
                VoucherSQL.placedIn,
                [
                    .text(from.rfc3339), .text(to.rfc3339), .int(afterID),
                    .text(Self.textArray(policy.channelsWithoutVouchers.sorted())), .int(limit),
                ])
            var outcome = Outcome()
            var batch = IssueBatch()
            for row in 0..<orders.count {
                guard let candidate = Candidate(orders, row) else { continue }
                batch.add(
                    voucherFor: candidate, reason: .incident, note: note, customerMessages: customerMessages,
                    validUntil: validUntil, policy: policy, shops: shops, outcome: &outcome)
            }
            try batch.run(on: connection, into: &outcome)
            return (outcome, orders.count == 0 ? nil : orders.int64(orders.count - 1, "id"))
        }
    }

    /// What an incident campaign over the window would do, per channel, issuing nothing: the orders
    /// that would get a voucher and those that already have one (on channels that get none: all of
    /// them under `withoutVouchers`).
    public struct ChannelCount: Sendable, Equatable {
        public let channel: String
        public let getsVouchers: Bool
        public let orders: Int64
        public let alreadyIssued: Int64
    }

    public func incidentPreview(
        from: UTCTimestamp, to: UTCTimestamp, on connection: PostgresConnection
    ) throws(PostgresError) -> [ChannelCount] {
        let result = try connection.execute(VoucherSQL.countByChannel, [.text(from.rfc3339), .text(to.rfc3339)])
        return (0..<result.count).compactMap { row in
            guard let channel = result[row, "channel"] else { return nil }
            return ChannelCount(
                channel: channel, getsVouchers: policy.givesVouchers(toChannel: channel),
                orders: result.int64(row, "orders") ?? 0, alreadyIssued: result.int64(row, "issued") ?? 0)
        }
    }

    /// How many orders placed in the window are on channels that get no vouchers.
    public func countWithoutVouchers(
        from: UTCTimestamp, to: UTCTimestamp, on connection: PostgresConnection
    ) throws(PostgresError) -> Int64 {
        let result = try connection.execute(
            VoucherSQL.countExcluded,
            [
                .text(from.rfc3339), .text(to.rfc3339), .text(Self.textArray(policy.channelsWithoutVouchers.sorted())),
            ])
        return result.int64(0, "count") ?? 0
    }

    // MARK: - Building blocks

    struct Candidate {
        let id: Int64
        let channel: String
        let externalId: String
        let number: String?
        let email: String?
        let currency: Currency

        init?(_ result: PostgresResult, _ row: Int) {
            guard let id = result.int64(row, "id"), let channel = result[row, "channel"],
                let externalId = result[row, "external_id"],
                let currency = result[row, "currency"].flatMap(Currency.init(code:))
            else { return nil }
            self.id = id
            self.channel = channel
            self.externalId = externalId
            number = result[row, "number"]
            email = result[row, "customer_email"]
            self.currency = currency
        }
    }

    /// A text[] literal; elements quoted so commas or braces in a channel name cannot split it.
    /// `{"de": "…", "en": "…"}`, keys sorted, written by the project's JSON writer.
    static func jsonObject(_ members: [String: String]) -> String {
        JSON.serialize(.object(JSONObject(members.sorted { $0.key < $1.key }.map { ($0, .string($1)) })))
    }

    static func textArray(_ items: [String]) -> String {
        let quoted = items.map { item in
            var text = "\""
            for character in item {
                if character == "\\" || character == "\"" { text.append("\\") }
                text.append(character)
            }
            return text + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }
}

/// The statements of one sweep or campaign batch, sent in one round trip inside its transaction;
/// remembers which statement issues which voucher to report what was actually inserted.
private struct IssueBatch {
    private var statements: [PostgresStatement] = []
    private var vouchers: [(statementIndex: Int, voucher: VoucherStore.IssuedVoucher)] = []

    mutating func add(_ statement: PostgresStatement) { statements.append(statement) }

    mutating func add(
        voucherFor candidate: VoucherStore.Candidate, reason: VoucherReason, note: String?,
        customerMessages: [String: String] = [:], validUntil: UTCTimestamp? = nil,
        policy: VoucherPolicy, shops: VoucherStore.ShopSync, outcome: inout VoucherStore.Outcome
    ) {
        let terms: VoucherTerms
        do {
            terms = try policy.terms(currency: candidate.currency, issuedAt: .now(), validUntil: validUntil)
        } catch {
            outcome.failures.append("\(candidate.channel) \(candidate.externalId): \(error)")
            return
        }
        let code = VoucherCode.make()
        let start = shops.start(channel: candidate.channel)
        var percent = PostgresValue.null
        var amount = PostgresValue.null
        switch terms.kind {
        case .percent(let value): percent = .int(Int64(value))
        case .amount(let money): amount = .int(money.minorUnits)
        }
        vouchers.append(
            (
                statements.count,
                VoucherStore.IssuedVoucher(
                    reason: reason, orderID: candidate.id, channel: candidate.channel, externalId: candidate.externalId,
                    number: candidate.number,
                    email: candidate.email, code: code, terms: terms)
            ))
        statements.append(
            PostgresStatement(
                VoucherSQL.issue,
                [
                    .text(code), .int(candidate.id), .text(reason.rawValue), .text(terms.kindName), percent, amount,
                    .text(terms.currency.code), .optional(terms.minimumOrder?.minorUnits),
                    .text(terms.expiresAt.rfc3339), .optional(note),
                    .optional(customerMessages.isEmpty ? nil : VoucherStore.jsonObject(customerMessages)),
                    .text(start.state), .bool(start.announce),
                ]))
    }

    /// Runs the statements (inside the caller's transaction). An issue statement returns a row only when
    /// the voucher was inserted; none means the order already had one for that reason.
    func run(on connection: PostgresConnection, into outcome: inout VoucherStore.Outcome) throws(PostgresError) {
        guard !statements.isEmpty else { return }
        let results = try connection.pipeline(statements, transaction: false)
        for (index, voucher) in vouchers {
            if results[index].count == 1 { outcome.vouchers.append(voucher) } else { outcome.alreadyIssued += 1 }
        }
    }
}

enum VoucherSQL {
    static let candidateColumns = "o.id, o.channel, o.external_id, o.number, o.customer_email, o.currency"

    static let overdue = PreparedStatement(
        name: "orderflow_overdue_orders",
        sql: """
            SELECT \(candidateColumns) FROM orders o
            WHERE o.delay_handled_at IS NULL AND o.status IN ('received','paid','in_fulfilment','partially_shipped')
              AND NOT (o.channel_status ? 'placedAtGuessed')  -- a guessed placedAt makes no promise to judge
              AND ((o.ship_by < now() AND o.ship_by > now() - make_interval(hours => $2::integer))
                   OR (o.ship_by IS NULL AND o.placed_at + make_interval(hours => $1::integer) < now()
                       AND o.placed_at + make_interval(hours => $1::integer) > now() - make_interval(hours => \
            $2::integer)))
            ORDER BY o.ship_by NULLS LAST, o.id
            LIMIT $3::integer
            FOR UPDATE OF o SKIP LOCKED
            """)

    static let merchantCancelled = PreparedStatement(
        name: "orderflow_merchant_cancelled_orders",
        sql: """
            SELECT \(candidateColumns) FROM orders o
            WHERE o.status = 'cancelled' AND o.cancelled_by = 'merchant'
              AND COALESCE(o.updated_at, o.placed_at) > now() - make_interval(hours => $1::integer)
              AND NOT (o.channel = ANY($2::text[]))
              AND NOT EXISTS (SELECT 1 FROM vouchers v WHERE v.order_id = o.id AND v.reason = 'cancellation')
            ORDER BY o.id
            LIMIT $3::integer
            FOR UPDATE OF o SKIP LOCKED
            """)

    static let placedIn = PreparedStatement(
        name: "orderflow_orders_placed_in",
        sql: """
            SELECT \(candidateColumns) FROM orders o
            WHERE o.placed_at >= $1::timestamptz AND o.placed_at < $2::timestamptz AND o.id > $3::bigint
              AND NOT (o.channel = ANY($4::text[]))
            ORDER BY o.id
            LIMIT $5::integer
            """)

    static let countExcluded = PreparedStatement(
        name: "orderflow_orders_placed_in_excluded",
        sql: """
            SELECT count(*) FROM orders o
            WHERE o.placed_at >= $1::timestamptz AND o.placed_at < $2::timestamptz AND o.channel = ANY($3::text[])
            """)

    static let countByChannel = PreparedStatement(
        name: "orderflow_orders_placed_in_by_channel",
        sql: """
            SELECT o.channel, count(*) AS orders,
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM vouchers v WHERE v.order_id = o.id \
            AND v.reason = 'incident')) AS issued
            FROM orders o
            WHERE o.placed_at >= $1::timestamptz AND o.placed_at < $2::timestamptz
            GROUP BY o.channel ORDER BY o.channel
            """)

    /// The voucher in its first shop state ($12) and, when $13 says so, its event; nothing when the
    /// order already has one for the reason. Returns the code when the voucher was inserted.
    static let issue = PreparedStatement(
        name: "orderflow_issue_voucher_v5",
        sql: """
            WITH voucher AS (
                INSERT INTO vouchers (code, order_id, reason, kind, percent, amount_minor, currency, min_order_minor, \
            expires_at, note, customer_messages, shop_state)
                VALUES ($1, $2::bigint, $3, $4, $5::integer, $6::bigint, $7, $8::bigint, $9::timestamptz, $10, \
            $11::jsonb, $12)
                ON CONFLICT (order_id, reason) DO NOTHING
                RETURNING code, order_id
            ), event AS (
                INSERT INTO outbox (type, subject, order_id, voucher_code)
                SELECT 'voucher.issued', 'voucher:' || code, order_id, code FROM voucher WHERE $13::boolean
                RETURNING 1
            )
            SELECT code FROM voucher
            """)

    static let delayNotice = PreparedStatement(
        name: "orderflow_delay_notice",
        sql: """
            INSERT INTO outbox (type, subject, order_id) VALUES ('order.delayed', 'order.delayed:' || $1::bigint, \
            $1::bigint)
            ON CONFLICT (subject) DO NOTHING
            """)

    static let markDelayHandled = PreparedStatement(
        name: "orderflow_mark_delay_handled",
        sql: """
            UPDATE orders SET delay_handled_at = now() WHERE id = ANY($1::bigint[])
            """)
}
