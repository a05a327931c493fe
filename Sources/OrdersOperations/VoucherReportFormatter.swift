public import OrdersDomain
public import OrdersStore

/// `orderflow vouchers report` output: one aligned row per trigger, campaign and offer for a terminal, or JSON for
/// scripts (field names in the README, "Shipments, vouchers and events"). Rates are worked out from the counts in
/// integers, never through floating point.
public enum VoucherReportFormatter {
    public static func table(_ groups: [VoucherReportGroup], from: UTCTimestamp?, to: UTCTimestamp?) -> String {
        var lines = ["vouchers issued \(window(from: from, to: to))"]
        guard !groups.isEmpty else { return lines[0] + ": none" }
        let campaignWidth = max(8, groups.map { campaign($0).count }.max() ?? 0)
        let offerWidth = max(5, groups.map(\.offer.count).max() ?? 0)
        let revenueWidth = max(7, groups.map(\.revenue.decimalString.count).max() ?? 0)
        let costWidth = max(9, groups.map(\.discountCost.decimalString.count).max() ?? 0)
        lines.append(
            [
                column("TRIGGER", 12), column("CAMPAIGN", campaignWidth), column("OFFER", offerWidth),
                column("CUR", 3), right("ISSUED", 7), right("SYNCED", 7), right("REDEEMED", 8), right("RATE", 8),
                right("REVENUE", revenueWidth), right("DISCOUNTS", costWidth), "REORDERED",
            ].joined(separator: " "))
        for group in groups {
            let reordered =
                group.customers.map { customers in
                    let share = percent(group.customersReordered ?? 0, of: customers) ?? "-"
                    return "\(share) (\(group.customersReordered ?? 0) of \(customers) customers)"
                } ?? "-"
            lines.append(
                [
                    column(group.trigger, 12), column(campaign(group), campaignWidth), column(group.offer, offerWidth),
                    column(group.currency.code, 3), right(String(group.issued), 7), right(String(group.synced), 7),
                    right(String(group.redeemed), 8), right(percent(group.redeemed, of: group.issued) ?? "-", 8),
                    right(group.revenue.decimalString, revenueWidth),
                    right(group.discountCost.decimalString, costWidth), reordered,
                ].joined(separator: " "))
        }
        let again = groups.reduce(0) { $0 + $1.redeemedAgain }
        if again > 0 {
            lines.append("\(again) order(s) used a code an earlier order had already redeemed (not counted again)")
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ groups: [VoucherReportGroup], from: UTCTimestamp?, to: UTCTimestamp?) -> String {
        let rows = groups.map { group in
            OrderTrailFormatter.object([
                ("trigger", .string(group.trigger)), ("campaign", OrderTrailFormatter.string(group.campaign)),
                ("offer", .string(group.offer)), ("currency", .string(group.currency.code)),
                ("issued", .number(String(group.issued))), ("synced", .number(String(group.synced))),
                ("redeemed", .number(String(group.redeemed))),
                ("redemptionRate", OrderTrailFormatter.string(ratio(group.redeemed, of: group.issued))),
                ("redeemedAgain", .number(String(group.redeemedAgain))),
                ("revenue", .string(group.revenue.decimalString)),
                ("discountCost", .string(group.discountCost.decimalString)),
                ("customers", OrderTrailFormatter.number(group.customers)),
                ("customersReordered", OrderTrailFormatter.number(group.customersReordered)),
                (
                    "reorderedWithinValidity",
                    OrderTrailFormatter.string(
                        group.customers.flatMap { ratio(group.customersReordered ?? 0, of: $0) })
                ),
            ])
        }
        return JSON.serialize(
            OrderTrailFormatter.object([
                ("from", OrderTrailFormatter.string(from?.rfc3339)), ("to", OrderTrailFormatter.string(to?.rfc3339)),
                ("groups", .array(rows)),
            ]), pretty: true)
    }

    /// `part / whole` as a decimal string with four places, rounded half up ("0.1750"); nil when `whole` is 0.
    public static func ratio(_ part: Int64, of whole: Int64) -> String? {
        guard let tenThousandths = scaled(part, of: whole, by: 10_000) else { return nil }
        let fraction = String(tenThousandths % 10_000)
        return "\(tenThousandths / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }

    /// `part / whole` in percent with one place, rounded half up ("17.5 %"); nil when `whole` is 0.
    public static func percent(_ part: Int64, of whole: Int64) -> String? {
        guard let tenths = scaled(part, of: whole, by: 1000) else { return nil }
        return "\(tenths / 10).\(tenths % 10) %"
    }

    /// round(part x scale / whole), half up, for counts (non-negative, far below the Int64 range once scaled).
    private static func scaled(_ part: Int64, of whole: Int64, by scale: Int64) -> Int64? {
        guard whole > 0, part >= 0 else { return nil }
        return (part * scale * 2 + whole) / (whole * 2)
    }

    static func window(from: UTCTimestamp?, to: UTCTimestamp?) -> String {
        switch (from, to) {
        case let (from?, to?): "from \(from.rfc3339) to \(to.rfc3339)"
        case let (from?, nil): "from \(from.rfc3339)"
        case let (nil, to?): "before \(to.rfc3339)"
        case (nil, nil): "at any time"
        }
    }

    static func campaign(_ group: VoucherReportGroup) -> String {
        group.campaign.map { OrderTrailFormatter.safe(StatusFormatter.oneLine($0, limit: 40)) } ?? "-"
    }

    static func column(_ text: String, _ width: Int) -> String { OrderTrailFormatter.column(text, width) }
    /// `text` right-aligned in `width` (left as it is when longer).
    static func right(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
