public import OrdersMail

/// A libcurl failure while setting up a transfer (not an SMTP answer: those are `DeliveryOutcome`s).
/// Its description never contains the SMTP URL's password.
public struct MailTransportError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// What became of one email.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The server (or the mail folder) took it; the server's reply, e.g. "250 2.0.0 queued as X".
    case accepted(reply: String)
    /// A 5xx for this message or recipient: sending it again will not help.
    case rejected(reply: String)
    /// A 4xx, a lost connection, a timeout: try again later.
    case deferred(reason: String)
}

/// Where composed emails go: an SMTP server, or a folder of .eml files.
public protocol MailTransport: Sendable {
    func deliver(_ message: EmailMessage) async -> DeliveryOutcome
    func close() async
}
