import AMQP
import OrdersDomain

/// `orderflow dead-letters list` and `show` output. Whatever came with the message has its control
/// characters escaped.
public enum DeadLettersFormatter {
    public static func table(_ letters: [DeadLetter]) -> String {
        guard !letters.isEmpty else { return "no dead letters" }
        let idWidth = max(10, letters.map { safe($0.messageID ?? "-").count }.max() ?? 0)
        let kindWidth = max(11, letters.map { safe($0.kind).count }.max() ?? 0)
        let reasonWidth = max(6, letters.map { safe($0.reason ?? "-").count }.max() ?? 0)
        var lines = [
            [
                column("DIED", 20), column("MESSAGE ID", idWidth), column("ROUTING KEY", kindWidth),
                column("REASON", reasonWidth), StatusFormatter.leftPad("COUNT", 5), StatusFormatter.leftPad("BYTES", 8),
            ].joined(separator: " ")
        ]
        for letter in letters {
            lines.append(
                [
                    column(time(letter.lastDeathTime) ?? "-", 20), column(safe(letter.messageID ?? "-"), idWidth),
                    column(safe(letter.kind), kindWidth), column(safe(letter.reason ?? "-"), reasonWidth),
                    StatusFormatter.leftPad(String(letter.count), 5),
                    StatusFormatter.leftPad(String(letter.body.count), 8),
                ].joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ letters: [DeadLetter]) -> String {
        JSON.serialize(
            .array(
                letters.map { letter in
                    OrderTrailFormatter.object([
                        ("messageId", OrderTrailFormatter.string(letter.messageID)),
                        ("exchange", OrderTrailFormatter.string(letter.origin?.exchange)),
                        ("routingKey", OrderTrailFormatter.string(letter.origin?.routingKey)),
                        ("type", OrderTrailFormatter.string(letter.properties.type)),
                        ("reason", OrderTrailFormatter.string(letter.reason)),
                        ("queue", OrderTrailFormatter.string(letter.firstDeath?.queue)),
                        ("count", OrderTrailFormatter.number(letter.count)),
                        ("diedAt", OrderTrailFormatter.string(time(letter.lastDeathTime))),
                        ("size", OrderTrailFormatter.number(Int64(letter.body.count))),
                    ])
                }), pretty: true)
    }

    /// One dead letter: where it came from, its `x-death` history (newest first), its other headers and its body.
    public static func detail(_ letter: DeadLetter) -> String {
        var lines = [
            "message id    \(safe(letter.messageID ?? "-"))",
            "published to  "
                + (letter.origin.map { "exchange '\(safe($0.exchange))' with routing key \(safe($0.routingKey))" }
                    ?? "unknown (no x-death header: cannot be replayed)"),
            "type          \(safe(letter.properties.type ?? "-"))",
            "content type  \(safe(letter.properties.contentType ?? "-"))",
            "size          \(letter.body.count) bytes",
            "",
            "x-death (newest first)",
        ]
        if letter.deaths.isEmpty { lines.append("  none") }
        for death in letter.deaths {
            lines.append(
                "  \(time(death.time) ?? "-")  \(safe(death.reason))  queue \(safe(death.queue))  "
                    + "\(death.count) time(s)  from '\(safe(death.exchange))' with "
                    + safe(death.routingKeys.joined(separator: ", ")))
        }
        let others = letter.properties.headers.filter { !DeadLetter.brokerHeaders.contains($0.key) }
        if !others.isEmpty {
            lines.append("")
            lines.append("headers")
            for (name, value) in others.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(safe(name)): \(safe(describe(value)))")
            }
        }
        lines.append("")
        if let text = String(validating: letter.body, as: UTF8.self) {
            lines.append(Text.escapingControlCharacters(text, keepingLineBreaks: true))
        } else {
            lines.append("(not UTF-8; hex)")
            lines.append(letter.body.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
        }
        return lines.joined(separator: "\n")
    }

    /// RFC 3339 of seconds since the epoch.
    static func time(_ seconds: Int64?) -> String? {
        seconds.map { UTCTimestamp(epochMilliseconds: $0 * 1000).rfc3339 }
    }

    static func describe(_ value: AMQPFieldValue) -> String {
        switch value {
        case .bool(let b): String(b)
        case .int(let n): String(n)
        case .string(let s): s
        case .array(let values): "[" + values.map(describe).joined(separator: ", ") + "]"
        case .table(let table):
            "{" + table.sorted { $0.key < $1.key }.map { "\($0.key): \(describe($0.value))" }.joined(separator: ", ")
                + "}"
        }
    }

    static func safe(_ text: String) -> String { OrderTrailFormatter.safe(text) }
    static func column(_ text: String, _ width: Int) -> String { OrderTrailFormatter.column(text, width) }
}
