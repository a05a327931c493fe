/// A libcurl failure while setting up a transfer (not an SMTP answer: those are `DeliveryOutcome`s).
/// Its description never contains the SMTP URL's password.
public struct MailTransportError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
