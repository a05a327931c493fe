/// What became of one email.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The server (or the mail folder) took it; the server's reply, e.g. "250 2.0.0 queued as X".
    case accepted(reply: String)
    /// A 5xx for this message or recipient: sending it again will not help.
    case rejected(reply: String)
    /// A 4xx, a lost connection, a timeout: try again later.
    case deferred(reason: String)
    /// Not sent, and sending again will not help: the address needs what the server does not
    /// offer (a local part that is not ASCII without SMTPUTF8).
    case skipped(reason: String)

    /// A deferral that the server itself answered with a 4xx reply ("451 4.3.0 …"): the server is
    /// up and this email (or recipient) is what waits. Lost connections and timeouts are not.
    public var isTemporaryReply: Bool {
        guard case .deferred(let reason) = self else { return false }
        let code = reason.prefix(3)
        return code.count == 3 && code.first == "4" && code.allSatisfy(\.isNumber)
    }
}
