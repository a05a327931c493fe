/// Tuning of the notifier; the defaults suit one notifier process sending to one SMTP server.
public struct NotifierOptions: Sendable {
    /// The queue to consume (SPEC: orderflow.notifier).
    public var queue = "orderflow.notifier"
    /// Deliveries the broker sends ahead. Emails go out one at a time, so a few suffice.
    public var prefetch: UInt16 = 20
    /// First wait before reconnecting to the broker after the connection was lost; doubles (with
    /// jitter) up to 30 s while the broker stays away.
    public var reconnectDelay: Duration = .milliseconds(500)
    /// Declare the topology on every (re)connect, so a deleted queue comes back.
    public var declareTopology = true
    public var deliveryLimit: Int64 = 5
    /// Temporary failures of one email are retried in place, with backoff. After this many 4xx
    /// replies in a row its message goes back to the queue so the emails behind it can go out;
    /// connection failures are retried in place for as long as they last.
    public var sendAttemptsPerDelivery = 10
    /// Backoff between retries (SMTP and database).
    public var retryInitialDelay: Duration = .milliseconds(500)
    public var retryMaximumDelay: Duration = .seconds(30)
    /// How often the notifier logs a progress line (only when something happened).
    public var progressInterval: Duration = .seconds(10)

    public init() {}
}
