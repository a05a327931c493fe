/// What became of a publishing run. A message counts as published only when the broker confirmed
/// it; everything else is a failure, by kind.
public struct PublishReport: Sendable, Equatable {
    public var total: Int
    /// basic.ack, and a queue took it.
    public var confirmed = 0
    /// `mandatory` and no queue is bound for its routing key (basic.return, 312 NO_ROUTE).
    public var returned = 0
    /// The broker refused it (basic.nack, e.g. a full queue that rejects publishes).
    public var nacked = 0
    /// Sent, but no confirm arrived, even after reconnecting and re-publishing: it may or may not be stored.
    public var unconfirmed = 0
    /// Never handed to the broker (the run stopped first).
    public var notSent = 0
    /// Times the connection was lost and re-opened during the run.
    public var reconnects = 0
    /// The broker's reply for the first returned message ("312 NO_ROUTE").
    public var returnReason: String?
    /// Why the run stopped early (the broker refused the login, the exchange does not exist, the
    /// broker stayed unreachable); the messages it left are counted as not sent.
    public var abortReason: String?
    public var elapsed: Duration = .zero

    public init(total: Int) {
        self.total = total
    }

    public var failed: Int { returned + nacked + unconfirmed + notSent }

    /// Every message confirmed. The only outcome that may be reported as success.
    public var succeeded: Bool { confirmed == total && failed == 0 && abortReason == nil }

    /// Confirmed messages per second (for display only).
    public var rate: Double { Self.rate(confirmed, elapsed) }

    static func rate(_ count: Int, _ elapsed: Duration) -> Double {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Double(count) / seconds : 0
    }
}

/// A snapshot for progress lines on long runs.
public struct PublishProgress: Sendable {
    public let total: Int
    /// Handed to the broker at least once.
    public let sent: Int
    public let confirmed: Int
    public let failed: Int
    public let elapsed: Duration

    public var rate: Double { PublishReport.rate(confirmed, elapsed) }
}
