public import AMQP

/// What a service supplies to the consuming loop: the decision for each delivery of a batch.
/// The loop does everything else (waiting, batching, acks, watchdog, shutdown).
public protocol DeliveryHandler: Sendable {
    /// Handles `batch` (oldest first) and returns one disposition per delivery, in the same order.
    /// May take as long as it must (retrying through outages with `loop.pause`); once
    /// `loop.mustStop`, it returns and leaves what it has not finished.
    func handle(_ batch: [AMQPConsumer.Delivery], in loop: ConsumerLoop) async -> HandledBatch
    /// Closes what the handler holds (database connection, SMTP connection); the loop calls it
    /// once, after the source has stopped, however the loop ended.
    func close() async
}

/// A handler's answer for a batch: what to do with each delivery, and what to count once the
/// loop has queued the acks (so that a count read elsewhere means "done and acknowledged").
public struct HandledBatch: Sendable {
    public var dispositions: [Disposition]
    public var whenSettled: @Sendable () -> Void

    public init(_ dispositions: [Disposition], whenSettled: @escaping @Sendable () -> Void = {}) {
        self.dispositions = dispositions
        self.whenSettled = whenSettled
    }
}
