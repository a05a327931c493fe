/// What the notifier counts; each count is also a metric, the outcome in a bounded `result` dimension.
public enum NotifierCount: CounterKey {
    /// Accepted by the SMTP server (or written to the mail folder).
    case sent
    /// Refused for good by the server (5xx): recorded as failed.
    case failed
    /// No usable address: recorded as skipped.
    case skipped
    /// Already settled by an earlier delivery: acknowledged without sending.
    case duplicates
    /// Not a usable event: dead-lettered.
    case invalid
    /// Temporary failures retried (4xx, connection, database).
    case retries

    public var metric: (label: String, dimensions: [(String, String)]) {
        switch self {
        case .sent: ("orderflow_notifier_emails_total", [("result", "sent")])
        case .failed: ("orderflow_notifier_emails_total", [("result", "failed")])
        case .skipped: ("orderflow_notifier_emails_total", [("result", "skipped")])
        case .duplicates: ("orderflow_notifier_emails_total", [("result", "duplicate")])
        case .invalid: ("orderflow_notifier_emails_total", [("result", "invalid")])
        case .retries: ("orderflow_notifier_retries_total", [])
        }
    }

    /// The outcomes that finish an event's message (for rates).
    static let handled: [NotifierCount] = [.sent, .failed, .skipped, .duplicates, .invalid]
}
