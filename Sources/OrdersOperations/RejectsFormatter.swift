import OrdersDomain
public import OrdersStore
/// `orderflow rejects list` and `show` output.
public enum RejectsFormatter {
    public static func table(_ rejects: [RejectRecord]) -> String {
        guard !rejects.isEmpty else { return "no rejects" }
        let idWidth = max(2, rejects.map { String($0.id).count }.max() ?? 0)
        let keyWidth = max(11, rejects.map(\.routingKey.count).max() ?? 0)
        var lines = [
            StatusFormatter.pad("ID", idWidth) + " " + StatusFormatter.pad("RECEIVED", 20) + " "
                + StatusFormatter.pad("ROUTING KEY", keyWidth) + " " + StatusFormatter.pad("REPLAYED", 8) + " REASON"
        ]
        for reject in rejects {
            lines.append(
                StatusFormatter.pad(String(reject.id), idWidth) + " " + StatusFormatter.pad(reject.receivedAt, 20) + " "
                    + StatusFormatter.pad(Text.escapingControlCharacters(reject.routingKey), keyWidth) + " "
                    + StatusFormatter.pad(reject.replayedAt == nil ? "no" : "yes", 8)
                    + " " + StatusFormatter.oneLine(Text.escapingControlCharacters(reject.reason), limit: 80))
        }
        return lines.joined(separator: "\n")
    }

    /// The list for scripts (the body stays with `rejects show`).
    public static func json(_ rejects: [RejectRecord]) -> String {
        JSON.serialize(
            .array(
                rejects.map { reject in
                    OrderTrailFormatter.object([
                        ("id", OrderTrailFormatter.number(reject.id)), ("receivedAt", .string(reject.receivedAt)),
                        ("routingKey", .string(reject.routingKey)),
                        ("messageId", OrderTrailFormatter.string(reject.messageID)), ("reason", .string(reject.reason)),
                        ("field", OrderTrailFormatter.string(reject.field)),
                        ("replayedAt", OrderTrailFormatter.string(reject.replayedAt)),
                        ("size", OrderTrailFormatter.number(Int64(reject.body.count))),
                        ("bodyTruncated", .bool(reject.bodyTruncated)),
                    ])
                }), pretty: true)
    }

    /// Everything about one reject; the body as text (it is JSON, or meant to be), or as hex when
    /// it is not valid UTF-8. Whatever came from the message has its control characters escaped (line breaks and
    /// tabs of the body kept).
    public static func detail(_ reject: RejectRecord) -> String {
        let safe = { (text: String) in Text.escapingControlCharacters(text) }
        var lines = [
            "reject       \(reject.id)",
            "received     \(reject.receivedAt)",
            "routing key  \(safe(reject.routingKey))",
            "message id   \(safe(reject.messageID ?? "-"))",
            "reason       \(safe(reject.reason))",
            "field        \(safe(reject.field ?? "-"))",
            "replayed     \(reject.replayedAt ?? "no")",
            "body         \(reject.body.count) "
                + "bytes\(reject.bodyTruncated ? " (truncated when stored: cannot be replayed)" : "")",
        ]
        lines.append("")
        if let text = String(validating: reject.body, as: UTF8.self) {
            lines.append(Text.escapingControlCharacters(text, keepingLineBreaks: true))
        } else {
            lines.append("(not UTF-8; hex)")
            lines.append(
                reject.body.map {
                    String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
                }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
