import Foundation
import OrdersDomain
public import OrdersStore

/// `orderflow vouchers list` and `vouchers export`: a table for a terminal, JSON for scripts (field
/// names in the README, "Shipments, vouchers and events"), and CSV files.
public enum VouchersFormatter {
    public static func table(_ vouchers: [ListedVoucher]) -> String {
        guard !vouchers.isEmpty else { return "no vouchers" }
        let orderWidth = max(5, vouchers.map { order($0).count }.max() ?? 0)
        let valueWidth = max(5, vouchers.map { $0.terms.valueDescription.count }.max() ?? 0)
        var lines = [
            [
                column("ISSUED", 20), column("CODE", 12), column("STATUS", 9), column("REASON", 12),
                column("ORDER", orderWidth), column("VALUE", valueWidth), column("EXPIRES", 20), "SHOP",
            ].joined(separator: " ")
        ]
        for voucher in vouchers {
            let shop = voucher.error.map { "\(voucher.attempts) attempt(s): \($0)" } ?? voucher.shopReference ?? "-"
            lines.append(
                [
                    column(seconds(voucher.issuedAt), 20), column(voucher.code, 12), column(voucher.status, 9),
                    column(voucher.reason, 12), column(order(voucher), orderWidth),
                    column(voucher.terms.valueDescription, valueWidth), column(seconds(voucher.terms.expiresAt), 20),
                    StatusFormatter.oneLine(OrderTrailFormatter.safe(shop), limit: 80),
                ].joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ vouchers: [ListedVoucher]) -> String {
        JSON.serialize(
            .array(
                vouchers.map { voucher in
                    let (kind, value) = kindAndValue(voucher.terms)
                    return OrderTrailFormatter.object([
                        ("code", .string(voucher.code)), ("channel", .string(voucher.channel)),
                        ("externalId", .string(voucher.externalId)),
                        ("orderNumber", OrderTrailFormatter.string(voucher.number)),
                        ("email", OrderTrailFormatter.string(voucher.email)), ("reason", .string(voucher.reason)),
                        ("status", .string(voucher.status)), ("announced", .bool(voucher.announced)),
                        ("kind", .string(kind)), ("value", .string(value)),
                        ("currency", .string(voucher.terms.currency.code)),
                        ("minimumOrder", OrderTrailFormatter.string(voucher.terms.minimumOrder?.decimalString)),
                        ("issuedAt", .string(voucher.issuedAt.rfc3339)),
                        ("expiresAt", .string(voucher.terms.expiresAt.rfc3339)),
                        ("syncedAt", OrderTrailFormatter.string(voucher.syncedAt?.rfc3339)),
                        ("syncAttempts", OrderTrailFormatter.number(voucher.attempts)),
                        ("shopReference", OrderTrailFormatter.string(voucher.shopReference)),
                        ("shopError", OrderTrailFormatter.string(voucher.error)),
                    ])
                }), pretty: true)
    }

    /// `vouchers export --format csv`: every field, one voucher a line (RFC 4180).
    public static func csv(_ vouchers: [ListedVoucher]) -> String {
        var rows = [
            [
                "code", "channel", "external_id", "order_number", "email", "reason", "status", "kind", "value",
                "currency", "minimum_order", "issued_at", "expires_at",
            ]
        ]
        for voucher in vouchers {
            let (kind, value) = kindAndValue(voucher.terms)
            rows.append([
                voucher.code, voucher.channel, voucher.externalId, voucher.number ?? "", voucher.email ?? "",
                voucher.reason, voucher.status, kind, value, voucher.terms.currency.code,
                voucher.terms.minimumOrder?.decimalString ?? "", voucher.issuedAt.rfc3339,
                voucher.terms.expiresAt.rfc3339,
            ])
        }
        return csvText(rows)
    }

    /// "percent", "10" or "amount", "5.00" (decimal text in the voucher's currency).
    static func kindAndValue(_ terms: VoucherTerms) -> (String, String) {
        switch terms.kind {
        case .percent(let percent): ("percent", String(percent))
        case .amount(let money): ("amount", money.decimalString)
        }
    }

    /// RFC 4180: fields with a comma, quote or line break quoted, quotes doubled, CRLF line ends. A
    /// field starting with = + - @ gets a leading apostrophe, so a spreadsheet does not run it.
    static func csvText(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { field in
                var text = field
                if let first = text.first, "=+-@".contains(first) { text = "'" + text }
                guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
                return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }.joined(separator: ",") + "\r\n"
        }.joined()
    }

    static func order(_ voucher: ListedVoucher) -> String {
        OrderTrailFormatter.safe("\(voucher.channel) \(voucher.externalId)")
    }
    static func seconds(_ time: UTCTimestamp) -> String { String(time.rfc3339.prefix(19)) + "Z" }
    static func column(_ text: String, _ width: Int) -> String { OrderTrailFormatter.column(text, width) }
}
