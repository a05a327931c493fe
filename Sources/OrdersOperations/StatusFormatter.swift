import OrdersDomain
import OrdersStore
/// `orderflow status` as an operator reads it: a few aligned sections, alerts last.
public enum StatusFormatter {
    public static func text(_ report: StatusReport, alerts: [String]) -> String {
        var lines: [String] = []
        lines.append("broker  \(report.broker)")
        if let queues = report.queues {
            let width = max(24, queues.map(\.name.count).max() ?? 0)
            lines.append("  " + pad("QUEUE", width) + leftPad("MESSAGES", 10) + leftPad("CONSUMERS", 11))
            for queue in queues {
                lines.append(
                    "  " + pad(queue.name, width)
                        + leftPad(queue.messages.map(String.init) ?? "missing", 10)
                        + leftPad(queue.consumers.map(String.init) ?? "-", 11))
            }
        } else {
            lines.append("  unreachable: \(report.brokerError ?? "?")")
        }
        lines.append("database  \(report.database)")
        if let error = report.databaseError {
            lines.append("  unreachable: \(error)")
        }
        if let outbox = report.outbox {
            let oldest = outbox.oldestAgeSeconds.map { ", oldest \(age($0)) old" } ?? ""
            lines.append("  outbox   \(outbox.unpublished) unpublished event(s)\(oldest)")
            if let error = outbox.lastError { lines.append("           last error: \(oneLine(error))") }
        }
        if let rejects = report.rejects {
            lines.append(
                "  rejects  \(rejects.lastHour) in the last hour, \(rejects.notReplayed) not replayed (orderflow "
                    + "rejects list)"
            )
            if let reason = rejects.newestReason { lines.append("           newest: \(oneLine(reason))") }
        }
        if let flagged = report.ordersWithLinesNotAddingUp, flagged > 0 {
            lines.append(
                "  orders   \(flagged) stored with lines that do not add up to their items total "
                    + "(orders.lines_discrepancy_minor)")
        }
        if let sync = report.voucherSync, sync.waiting > 0 || sync.failed > 0 {
            lines.append("  vouchers \(sync.waiting) waiting for their shop, \(sync.failed) refused by it")
        }
        if let emails = report.emails {
            lines.append(
                "  emails   last 24 h: \(emails.sent) sent, \(emails.failed) failed, \(emails.sending) being sent")
            if let failure = emails.lastFailure { lines.append("           last failure: \(oneLine(failure))") }
        }
        lines.append(alerts.isEmpty ? "alerts  none" : "alerts")
        lines += alerts.map { "  ! " + $0 }
        return lines.joined(separator: "\n")
    }

    /// The same for scripts; a section that could not be read is `null`, with the reason in `error`.
    public static func json(_ report: StatusReport, alerts: [String]) -> String {
        typealias F = OrderTrailFormatter
        let queues: JSONValue =
            report.queues.map { queues in
                .array(
                    queues.map { queue in
                        F.object([
                            ("name", .string(queue.name)), ("exists", .bool(queue.messages != nil)),
                            ("messages", F.number(queue.messages.map(Int64.init))),
                            ("consumers", F.number(queue.consumers.map(Int64.init))),
                            ("deadLetterQueue", .bool(queue.isDeadLetterQueue)),
                        ])
                    })
            } ?? .null
        let outbox: JSONValue =
            report.outbox.map {
                F.object([
                    ("unpublished", F.number($0.unpublished)), ("oldestAgeSeconds", F.number($0.oldestAgeSeconds)),
                    ("lastError", F.string($0.lastError)),
                ])
            } ?? .null
        let rejects: JSONValue =
            report.rejects.map {
                F.object([
                    ("lastHour", F.number($0.lastHour)), ("notReplayed", F.number($0.notReplayed)),
                    ("newestReason", F.string($0.newestReason)),
                ])
            } ?? .null
        let emails: JSONValue =
            report.emails.map {
                F.object([
                    ("sent", F.number($0.sent)), ("failed", F.number($0.failed)), ("sending", F.number($0.sending)),
                    ("lastHour", F.number($0.lastHour)), ("lastFailure", F.string($0.lastFailure)),
                ])
            } ?? .null
        let voucherSync: JSONValue =
            report.voucherSync.map {
                F.object([
                    ("waiting", F.number($0.waiting)), ("failed", F.number($0.failed)),
                    ("lastFailure", F.string($0.lastFailure)),
                ])
            } ?? .null
        return JSON.serialize(
            F.object([
                (
                    "broker",
                    F.object([
                        ("url", .string(report.broker)), ("error", F.string(report.brokerError)), ("queues", queues),
                    ])
                ),
                (
                    "database",
                    F.object([
                        ("url", .string(report.database)), ("error", F.string(report.databaseError)),
                        ("outbox", outbox), ("rejects", rejects), ("emails", emails), ("voucherSync", voucherSync),
                        ("ordersWithLinesNotAddingUp", F.number(report.ordersWithLinesNotAddingUp)),
                    ])
                ),
                ("alerts", .array(alerts.map(JSONValue.string))),
            ]), pretty: true)
    }

    /// "45s", "12m 5s", "3h 20m", "2d 4h".
    public static func age(_ seconds: Int64) -> String {
        switch seconds {
        case ..<60: "\(seconds)s"
        case ..<3600: "\(seconds / 60)m \(seconds % 60)s"
        case ..<86400: "\(seconds / 3600)h \(seconds % 3600 / 60)m"
        default: "\(seconds / 86400)d \(seconds % 86400 / 3600)h"
        }
    }

    static func oneLine(_ text: String, limit: Int = 100) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
