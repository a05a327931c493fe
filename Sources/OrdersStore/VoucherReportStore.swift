public import LibPQ
public import OrdersDomain

/// What the vouchers of one trigger, campaign and offer paid back (`orderflow vouchers report`).
public struct VoucherReportGroup: Sendable, Equatable {
    /// delay, cancellation or incident.
    public var trigger: String
    /// The incident campaign's reason (`vouchers incident --reason`); nil for the other triggers.
    public var campaign: String?
    /// "10 %" or "5.00 EUR".
    public var offer: String
    public var currency: Currency
    public var issued: Int64
    public var synced: Int64
    /// Vouchers an order redeemed (each once, whatever the number of orders that used its code).
    public var redeemed: Int64
    /// Orders that used a code already redeemed by an earlier order (the shop should have refused them).
    public var redeemedAgain: Int64
    /// Grand totals of the redeeming orders (not cancelled or refunded) in the group's currency.
    public var revenue: Money
    /// What the redeemed codes took off: the channel's amount, else the voucher's fixed amount, else its percent of
    /// the redeeming order's items total.
    public var discountCost: Money
    /// Delay vouchers: distinct customers (by e-mail) who got one, and those of them who placed another order while
    /// their voucher was valid; nil for the other triggers.
    public var customers: Int64?
    public var customersReordered: Int64?

    public init(
        trigger: String, campaign: String?, offer: String, currency: Currency, issued: Int64, synced: Int64,
        redeemed: Int64, redeemedAgain: Int64, revenue: Money, discountCost: Money, customers: Int64?,
        customersReordered: Int64?
    ) {
        self.trigger = trigger
        self.campaign = campaign
        self.offer = offer
        self.currency = currency
        self.issued = issued
        self.synced = synced
        self.redeemed = redeemed
        self.redeemedAgain = redeemedAgain
        self.revenue = revenue
        self.discountCost = discountCost
        self.customers = customers
        self.customersReordered = customersReordered
    }
}

/// The read behind `orderflow vouchers report`: vouchers issued in a window, grouped by trigger, campaign, offer and
/// currency, with what their redemptions (`voucher_redemptions`, written at ingest) brought in.
public struct VoucherReportStore: Sendable {
    public init() {}

    /// Vouchers issued in `[from, to)` (either end open when nil).
    public func report(
        from: UTCTimestamp?, to: UTCTimestamp?, on db: PostgresConnection
    ) throws(PostgresError) -> [VoucherReportGroup] {
        let result = try db.execute(
            VoucherReportSQL.report, [.optional(from?.rfc3339), .optional(to?.rfc3339)])
        return (0..<result.count).compactMap { row in
            guard let trigger = result[row, "reason"], let kind = result[row, "kind"],
                let currency = result[row, "currency"].flatMap(Currency.init(code:))
            else { return nil }
            let money = { (column: String) in Money(minorUnits: result.int64(row, column) ?? 0, currency: currency) }
            let offer =
                kind == "percent"
                ? "\(result.int64(row, "percent") ?? 0) %"
                : "\(money("face_minor").decimalString) \(currency.code)"
            let delay = trigger == "delay"
            return VoucherReportGroup(
                trigger: trigger, campaign: result[row, "campaign"], offer: offer, currency: currency,
                issued: result.int64(row, "issued") ?? 0, synced: result.int64(row, "synced") ?? 0,
                redeemed: result.int64(row, "redeemed") ?? 0, redeemedAgain: result.int64(row, "redeemed_again") ?? 0,
                revenue: money("revenue_minor"), discountCost: money("discount_cost_minor"),
                customers: delay ? result.int64(row, "customers") ?? 0 : nil,
                customersReordered: delay ? result.int64(row, "customers_reordered") ?? 0 : nil)
        }
    }
}

enum VoucherReportSQL {
    /// A voucher counts as synced once its shop has the code (state `synced`, and `announced`, which is
    /// synced with its event published); vouchers of channels without a connection (`unsynced`) never do.
    static let synced = "v.shop_state = 'synced'"

    /// Each voucher with its first redemption (the one that counts), the cost of that discount, and for delay
    /// vouchers whether the customer ordered again while it was valid; then summed per group.
    static let report = """
        WITH chosen AS (
            SELECT v.code, v.reason, CASE WHEN v.reason = 'incident' THEN v.note END AS campaign, v.kind, v.percent,
                   v.amount_minor AS face_minor, v.currency, v.issued_at, v.expires_at,
                   lower(o.customer_email) AS customer, \(synced) AS synced
            FROM vouchers v JOIN orders o ON o.id = v.order_id
            WHERE ($1::timestamptz IS NULL OR v.issued_at >= $1::timestamptz)
              AND ($2::timestamptz IS NULL OR v.issued_at < $2::timestamptz)
        ), first_use AS (
            SELECT DISTINCT ON (r.voucher_code) r.voucher_code, r.order_id, r.amount_minor
            FROM voucher_redemptions r JOIN chosen c ON c.code = r.voucher_code
            ORDER BY r.voucher_code, r.redeemed_at, r.order_id
        ), per_voucher AS (
            SELECT c.*, f.order_id AS redeemed_by,
                   (SELECT count(*) FROM voucher_redemptions r WHERE r.voucher_code = c.code) AS uses,
                   CASE WHEN ro.currency = c.currency AND ro.status NOT IN ('cancelled', 'refunded')
                        THEN ro.grand_total_minor ELSE 0 END AS revenue_minor,
                   CASE WHEN ro.currency = c.currency
                        THEN COALESCE(f.amount_minor, c.face_minor, (ro.items_total_minor * c.percent + 50) / 100)
                        ELSE 0 END AS cost_minor,
                   c.reason = 'delay' AND EXISTS (
                       SELECT 1 FROM orders again
                       WHERE lower(again.customer_email) = c.customer
                         AND again.placed_at >= c.issued_at AND again.placed_at <= c.expires_at) AS reordered
            FROM chosen c
            LEFT JOIN first_use f ON f.voucher_code = c.code
            LEFT JOIN orders ro ON ro.id = f.order_id
        )
        SELECT reason, campaign, kind, percent, face_minor, currency,
               count(*) AS issued, count(*) FILTER (WHERE synced) AS synced,
               count(redeemed_by) AS redeemed, COALESCE(sum(GREATEST(uses - 1, 0)), 0) AS redeemed_again,
               COALESCE(sum(revenue_minor), 0) AS revenue_minor, COALESCE(sum(cost_minor), 0) AS discount_cost_minor,
               count(DISTINCT customer) AS customers,
               count(DISTINCT customer) FILTER (WHERE reordered) AS customers_reordered
        FROM per_voucher
        GROUP BY reason, campaign, kind, percent, face_minor, currency
        ORDER BY reason, campaign NULLS FIRST, kind, percent, face_minor, currency
        """
}
