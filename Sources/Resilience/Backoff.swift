/// Exponential backoff with ±20 % jitter, so a fleet of workers does not retry in lockstep.
/// The one backoff of orderflow: the consumer thread's reconnects, the publisher's retries and
/// every database retry use it.
public struct Backoff: Sendable {
    public let initial: Duration
    public let maximum: Duration
    private(set) var next: Duration

    public init(initial: Duration = .milliseconds(250), maximum: Duration = .seconds(30)) {
        self.initial = initial
        self.maximum = maximum
        next = initial
    }

    /// The delay to wait now; doubles the following one up to `maximum`.
    public mutating func delay() -> Duration {
        defer { next = min(next * 2, maximum) }
        return next * Double.random(in: 0.8...1.2)
    }

    public mutating func reset() { next = initial }
}

extension Duration {
    /// Whole nanoseconds, for metrics and log lines.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Whole milliseconds, for log lines (`retry.in_ms`).
    public var milliseconds: Int64 { nanoseconds / 1_000_000 }

    /// Seconds as a fraction, for rates and for APIs that take seconds.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
