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
    public var html: HTML

    /// The RFC 5322 header lines (without MIME headers, which the MIME builder adds), each folded
    /// (CRLF and a space inside) at 78 characters where it can be. Every value is checked for control
    /// characters once more here, whatever built it.
    public func headerLines() throws(HeaderError) -> [String] {
        try HeaderValue.check(subject, header: "Subject")
        for (name, value) in [("Date", date), ("Message-ID", messageID)] { try HeaderValue.check(value, header: name) }
        for (name, address) in [("From", from), ("To", to)] + (replyTo.map { [("Reply-To", $0)] } ?? []) {
            try HeaderValue.check(address.address, header: name)
            if let display = address.name { try HeaderValue.check(display, header: name) }
        }
        var lines = [
            HeaderFolding.fold("Date", [date]),
            HeaderFolding.address("From", from),
            HeaderFolding.address("To", to),
        ]
        if let replyTo { lines.append(HeaderFolding.address("Reply-To", replyTo)) }
        lines.append(HeaderFolding.unstructured("Subject", subject))
        lines.append(HeaderFolding.fold("Message-ID", [messageID]))
        lines.append("Auto-Submitted: auto-generated")
        return lines
    }
}
