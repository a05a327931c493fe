/// A composed customer email: envelope, headers and both bodies, before any transport sees it.
public struct EmailMessage: Sendable, Equatable {
    public var eventID: String
    public var from: MailAddress
    public var replyTo: MailAddress?
    public var to: MailAddress
    public var subject: String
    public var messageID: String
    public var date: String
    public var text: String
    public var html: String

    /// The RFC 5322 header lines (without MIME headers, which the MIME builder adds). Every value
    /// is checked for control characters once more here, whatever built it.
    public func headerLines() throws(HeaderError) -> [String] {
        try HeaderValue.check(subject, header: "Subject")
        var lines: [(String, String)] = [
            ("Date", date),
            ("From", from.headerValue),
            ("To", to.headerValue),
        ]
        if let replyTo { lines.append(("Reply-To", replyTo.headerValue)) }
        lines.append(("Subject", EncodedWord.encode(subject)))
        lines.append(("Message-ID", messageID))
        lines.append(("Auto-Submitted", "auto-generated"))
        // Encoded subjects are folded with CRLF + space on purpose (checked before encoding);
        // nothing else may contain a line break.
        for (name, value) in lines where name != "Subject" { try HeaderValue.check(value, header: name) }
        return lines.map { "\($0.0): \($0.1)" }
    }
}
