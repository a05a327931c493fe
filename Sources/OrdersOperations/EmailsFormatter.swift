import OrdersDomain
public import OrdersStore

/// `orderflow emails list` output: a table for a terminal (recipients, subjects and replies with their
/// control characters escaped) or JSON for scripts.
public enum EmailsFormatter {
    public static func table(_ emails: [EmailRecord]) -> String {
        guard !emails.isEmpty else { return "no emails" }
        let typeWidth = max(4, emails.map(\.eventType.count).max() ?? 0)
        let orderWidth = max(5, emails.map { order($0).count }.max() ?? 0)
        let recipientWidth = max(9, emails.map { safe($0.recipient ?? "-").count }.max() ?? 0)
        var lines = [
            [
                column("AT", 20), column("EVENT ID", 36), column("STATUS", 7), column("TYPE", typeWidth),
                column("ORDER", orderWidth), column("RECIPIENT", recipientWidth), "REPLY",
            ].joined(separator: " ")
        ]
        for email in emails {
            lines.append(
                [
                    column(email.sentAt ?? email.claimedAt, 20), column(email.eventID, 36), column(email.status, 7),
                    column(email.eventType, typeWidth), column(order(email), orderWidth),
                    column(safe(email.recipient ?? "-"), recipientWidth),
                    StatusFormatter.oneLine(safe(email.reply ?? "-"), limit: 80),
                ].joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ emails: [EmailRecord]) -> String {
        JSON.serialize(
            .array(
                emails.map { email in
                    OrderTrailFormatter.object([
                        ("eventId", .string(email.eventID)), ("eventType", .string(email.eventType)),
                        ("status", .string(email.status)), ("recipient", OrderTrailFormatter.string(email.recipient)),
                        ("subject", OrderTrailFormatter.string(email.subject)),
                        ("attempts", OrderTrailFormatter.number(email.attempts)),
                        ("claimedAt", .string(email.claimedAt)), ("sentAt", OrderTrailFormatter.string(email.sentAt)),
                        ("reply", OrderTrailFormatter.string(email.reply)),
                        ("messageId", OrderTrailFormatter.string(email.messageID)),
                        ("channel", OrderTrailFormatter.string(email.channel)),
                        ("externalId", OrderTrailFormatter.string(email.externalID)),
                    ])
                }), pretty: true)
    }

    /// "webshop T-1", the argument pair of `orders show`, or "-".
    static func order(_ email: EmailRecord) -> String {
        guard let channel = email.channel, let externalID = email.externalID else { return "-" }
        return safe("\(channel) \(externalID)")
    }

    static func safe(_ text: String) -> String { OrderTrailFormatter.safe(text) }
    static func column(_ text: String, _ width: Int) -> String { OrderTrailFormatter.column(text, width) }
}
