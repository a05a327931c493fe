/// What became of one email.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The server (or the mail folder) took it; the server's reply, e.g. "250 2.0.0 queued as X".
    case accepted(reply: String)
    /// A 5xx for this message or recipient: sending it again will not help.
    case rejected(reply: String)
    /// A 4xx, a lost connection, a timeout: try again later.
    case deferred(reason: String)
}
