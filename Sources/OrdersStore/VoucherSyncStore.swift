public import LibPQ
public import OrdersDomain

/// The shop side of vouchers (SPEC 3.6): claims vouchers waiting to be created in their shop and
/// records what the shop said. A claim is a lease (`sync_claimed_until`) taken under
/// `FOR UPDATE SKIP LOCKED`, so every worker can sync at once; each settle only changes a voucher
/// still `issued`, and its event's subject is unique, so no voucher is announced twice.
public struct VoucherSyncStore: Sendable {
    public init() {}

    /// A voucher to create in its shop.
    public struct Pending: Sendable, Equatable {
        public let code: String
        public let channel: String
        public let reason: String
        public let email: String?
        public let terms: VoucherTerms
        public let issuedAt: UTCTimestamp
        /// Counting this one: above 1, an earlier attempt may have reached the shop.
        public let attempts: Int
        /// The Shopware sales channel the order was placed in (a promotion is valid only in those it names).
        public let salesChannel: String?
    }

    /// Leases up to `limit` vouchers of `channels` that are due, oldest first, for `lease`.
    public func claim(
        channels: [String], limit: Int, lease: Duration, on connection: PostgresConnection
    ) throws(PostgresError) -> [Pending] {
        let result = try connection.execute(
            VoucherSyncSQL.claim,
            [
                .text(VoucherStore.textArray(channels)), .int(limit),
                .text(String(max(1, lease.components.seconds))),
            ])
        return (0..<result.count).compactMap { row in
            guard let code = result[row, "code"], let channel = result[row, "channel"],
                let reason = result[row, "reason"], let terms = Self.terms(result, row),
                let issuedAt = result.int64(row, "issued_ms").map(UTCTimestamp.init(epochMilliseconds:))
            else { return nil }
            return Pending(
                code: code, channel: channel, reason: reason, email: result[row, "customer_email"], terms: terms,
                issuedAt: issuedAt, attempts: Int(result.int64(row, "sync_attempts") ?? 1),
                salesChannel: result[row, "sales_channel"])
        }
    }

    /// The shop has the code: `synced`, and the voucher.issued event written in the same transaction.
    /// False when the voucher was no longer `issued` (another worker settled it).
    @discardableResult
    public func markSynced(
        code: String, reference: String, on connection: PostgresConnection
    ) throws(PostgresError)
        -> Bool
    {
        try connection.execute(VoucherSyncSQL.synced, [.text(code), .text(reference)]).count == 1
    }

    /// A passing failure: try again after `delay`, keeping the reason for `vouchers list`.
    public func retryLater(
        code: String, delay: Duration, error: String, on connection: PostgresConnection
    ) throws(PostgresError) {
        let milliseconds = max(
            0, delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)
        try connection.execute(VoucherSyncSQL.retry, [.text(code), .int(milliseconds), .text(error)])
    }

    /// The shop refused for good: `failed` with its message; other vouchers go on.
    public func markFailed(code: String, error: String, on connection: PostgresConnection) throws(PostgresError) {
        try connection.execute(VoucherSyncSQL.failed, [.text(code), .text(error)])
    }

    /// `vouchers sync --retry-failed`: failed vouchers (of `channel`, or all) back to `issued`, due now.
    public func retryFailed(channel: String?, on connection: PostgresConnection) throws(PostgresError) -> Int64 {
        let result = try connection.execute(VoucherSyncSQL.retryFailed, [.optional(channel)])
        return Int64(result.count)
    }

    static func terms(_ result: PostgresResult, _ row: Int) -> VoucherTerms? {
        guard let currency = result[row, "currency"].flatMap(Currency.init(code:)),
            let expires = result.int64(row, "expires_ms")
        else { return nil }
        let kind: VoucherTerms.Kind
        if let percent = result.int64(row, "percent") {
            kind = .percent(Int(percent))
        } else if let amount = result.int64(row, "amount_minor") {
            kind = .amount(Money(minorUnits: amount, currency: currency))
        } else {
            return nil
        }
        return VoucherTerms(
            kind: kind, currency: currency,
            minimumOrder: result.int64(row, "min_order_minor").map { Money(minorUnits: $0, currency: currency) },
            expiresAt: UTCTimestamp(epochMilliseconds: expires))
    }
}

enum VoucherSyncSQL {
    static func ms(_ column: String) -> String { "(extract(epoch FROM \(column)) * 1000)::bigint" }

    static let claim = PreparedStatement(
        name: "orderflow_voucher_sync_claim",
        sql: """
            UPDATE vouchers v
            SET sync_claimed_until = now() + make_interval(secs => $3::integer), sync_attempts = v.sync_attempts + 1
            FROM orders o
            WHERE o.id = v.order_id AND v.code IN (
                SELECT w.code FROM vouchers w JOIN orders wo ON wo.id = w.order_id
                WHERE w.shop_state = 'issued' AND wo.channel = ANY($1::text[])
                  AND (w.next_sync_at IS NULL OR w.next_sync_at <= now())
                  AND (w.sync_claimed_until IS NULL OR w.sync_claimed_until < now())
                ORDER BY w.issued_at, w.code
                LIMIT $2::integer
                FOR UPDATE OF w SKIP LOCKED)
            RETURNING v.code, o.channel, v.reason, o.customer_email, v.percent, v.amount_minor, v.currency,
                      v.min_order_minor, \(ms("v.expires_at")) AS expires_ms, \(ms("v.issued_at")) AS issued_ms,
                      v.sync_attempts,
                      -- The order's Shopware sales channel, read from the body as the shop sent it.
                      CASE WHEN o.channel = 'shopware' THEN substring(convert_from(o.raw_body, 'UTF8') \
            FROM '"salesChannelId"\\s*:\\s*"([0-9a-f]{32})"') END AS sales_channel
            """)

    static let synced = PreparedStatement(
        name: "orderflow_voucher_synced",
        sql: """
            WITH voucher AS (
                UPDATE vouchers SET shop_state = 'synced', shop_reference = $2, synced_at = now(), sync_error = NULL,
                       sync_claimed_until = NULL, next_sync_at = NULL
                WHERE code = $1 AND shop_state = 'issued'
                RETURNING code, order_id
            ), event AS (
                INSERT INTO outbox (type, subject, order_id, voucher_code)
                SELECT 'voucher.issued', 'voucher:' || code, order_id, code FROM voucher
                ON CONFLICT (subject) DO NOTHING
                RETURNING 1
            )
            SELECT code FROM voucher
            """)

    static let retry = PreparedStatement(
        name: "orderflow_voucher_sync_retry",
        sql: """
            UPDATE vouchers SET next_sync_at = now() + make_interval(secs => $2::bigint / 1000.0),
                   sync_error = $3, sync_claimed_until = NULL
            WHERE code = $1 AND shop_state = 'issued'
            """)

    static let failed = PreparedStatement(
        name: "orderflow_voucher_sync_failed",
        sql: """
            UPDATE vouchers SET shop_state = 'failed', sync_error = $2, sync_claimed_until = NULL
            WHERE code = $1 AND shop_state = 'issued'
            """)

    static let retryFailed = PreparedStatement(
        name: "orderflow_voucher_sync_retry_failed",
        sql: """
            UPDATE vouchers v SET shop_state = 'issued', next_sync_at = NULL, sync_claimed_until = NULL
            FROM orders o
            WHERE o.id = v.order_id AND v.shop_state = 'failed' AND ($1::text IS NULL OR o.channel = $1)
            RETURNING v.code
            """)
}

/// A voucher as `vouchers list` and `vouchers export` show it.
public struct ListedVoucher: Sendable, Equatable {
    public let code: String
    public let channel: String
    public let externalId: String
    public let number: String?
    public let email: String?
    public let reason: String
    /// issued, synced, announced (synced and its event published), unsynced or failed.
    public let status: String
    /// Whether its voucher.issued event has been published.
    public let announced: Bool
    public let terms: VoucherTerms
    public let issuedAt: UTCTimestamp
    public let syncedAt: UTCTimestamp?
    public let attempts: Int64
    public let shopReference: String?
    public let error: String?
}

extension VoucherSyncStore {
    /// Vouchers newest first, filtered by status, channel and reason (nil: all).
    public func list(
        status: String?, channel: String?, reason: String?, limit: Int?, on connection: PostgresConnection
    ) throws(PostgresError) -> [ListedVoucher] {
        let result = try connection.execute(
            VoucherSyncSQL.list,
            [.optional(status), .optional(channel), .optional(reason), .optional(limit.map(Int64.init))])
        return (0..<result.count).compactMap { row in
            guard let code = result[row, "code"], let channel = result[row, "channel"],
                let externalId = result[row, "external_id"], let reason = result[row, "reason"],
                let status = result[row, "status"], let terms = Self.terms(result, row),
                let issued = result.int64(row, "issued_ms")
            else { return nil }
            return ListedVoucher(
                code: code, channel: channel, externalId: externalId, number: result[row, "number"],
                email: result[row, "customer_email"], reason: reason, status: status,
                announced: result[row, "announced"] == "t", terms: terms,
                issuedAt: UTCTimestamp(epochMilliseconds: issued),
                syncedAt: result.int64(row, "synced_ms").map(UTCTimestamp.init(epochMilliseconds:)),
                attempts: result.int64(row, "sync_attempts") ?? 0, shopReference: result[row, "shop_reference"],
                error: result[row, "sync_error"])
        }
    }
}

extension VoucherSyncSQL {
    static let list = PreparedStatement(
        name: "orderflow_vouchers_list",
        sql: """
            SELECT * FROM (
                SELECT v.code, o.channel, o.external_id, o.number, o.customer_email, v.reason,
                       CASE WHEN v.shop_state = 'synced' AND e.published_at IS NOT NULL THEN 'announced'
                            ELSE v.shop_state END AS status,
                       (e.published_at IS NOT NULL) AS announced,
                       v.percent, v.amount_minor, v.currency, v.min_order_minor,
                       \(ms("v.expires_at")) AS expires_ms, \(ms("v.issued_at")) AS issued_ms,
                       \(ms("v.synced_at")) AS synced_ms, v.sync_attempts, v.shop_reference, v.sync_error
                FROM vouchers v JOIN orders o ON o.id = v.order_id
                LEFT JOIN outbox e ON e.subject = 'voucher:' || v.code
            ) listed
            WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR channel = $2)
              AND ($3::text IS NULL OR reason = $3)
            ORDER BY issued_ms DESC, code
            LIMIT $4::bigint
            """)
}
