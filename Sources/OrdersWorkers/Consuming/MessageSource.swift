public import AMQP

/// Where a consuming loop's deliveries come from and where their acks go: the AMQP consumer in
/// production, an in-memory source in unit tests. Deliveries arrive in `buffer`; acks, nacks and
/// rejects are queued for the thread that owns the connection.
public protocol MessageSource: Sendable {
    /// The one queue between the source and the loop.
    var buffer: DeliveryBuffer { get }
    /// Milliseconds since the source's own thread last turned, nil before it started: a source
    /// that stopped turning must stop the watchdog pings too.
    var millisecondsSinceLastLoop: Int64? { get }
    func start()
    /// Queues an ack, nack or reject for the connection the delivery came on (dropped if that is gone).
    func settle(_ settlement: Settlement)
    /// No new deliveries; settlements of those in hand still go out.
    func stopConsuming()
    /// Sends what is queued, closes, and finishes `buffer`.
    func stop()
}

extension AMQPConsumer: MessageSource {
    public func settle(_ settlement: Settlement) {
        switch settlement {
        case .ack(let generation, let tag, let multiple): ack(generation: generation, tag: tag, multiple: multiple)
        case .requeue(let generation, let tag): nack(generation: generation, tag: tag, multiple: false, requeue: true)
        case .deadLetter(let generation, let tag): reject(generation: generation, tag: tag, requeue: false)
        }
    }
}
