import AMQP

/// What a handler decided for one delivery; the loop turns the decisions into acks.
public enum Disposition: Sendable, Equatable {
    /// Done (stored, sent, recorded): acknowledge.
    case ack
    /// Not now: back to the queue for another consumer or a later try.
    case requeue
    /// Unusable: to the dead-letter queue.
    case deadLetter
    /// Leave unacked: shutdown came first; closing the channel returns it to the queue.
    case leave
}

/// One settlement for the source to send.
public enum Settlement: Sendable, Equatable {
    case ack(generation: UInt64, tag: UInt64, multiple: Bool)
    case requeue(generation: UInt64, tag: UInt64)
    case deadLetter(generation: UInt64, tag: UInt64)
}

/// Turns decisions into as few acks as is safe: a run of acked deliveries of one connection
/// becomes one `multiple` ack at its newest tag, unless a delivery of that connection was left
/// unacked before (a multiple ack would take it along).
struct SettlementPlanner: Sendable {
    /// Connections on which a delivery was left unacked.
    private(set) var leftOn: Set<UInt64> = []

    mutating func plan(_ deliveries: [AMQPConsumer.Delivery], _ dispositions: [Disposition]) -> [Settlement] {
        var settlements: [Settlement] = []
        var run: [AMQPConsumer.Delivery] = []
        func closeRun() {
            guard let newest = run.last else { return }
            if leftOn.contains(newest.generation) {
                settlements += run.map { .ack(generation: $0.generation, tag: $0.message.deliveryTag, multiple: false) }
            } else {
                settlements.append(
                    .ack(generation: newest.generation, tag: newest.message.deliveryTag, multiple: run.count > 1))
            }
            run.removeAll()
        }
        for (delivery, disposition) in zip(deliveries, dispositions) {
            if disposition == .ack, let last = run.last, last.generation != delivery.generation { closeRun() }
            switch disposition {
            case .ack: run.append(delivery)
            case .requeue:
                closeRun()
                settlements.append(.requeue(generation: delivery.generation, tag: delivery.message.deliveryTag))
            case .deadLetter:
                closeRun()
                settlements.append(.deadLetter(generation: delivery.generation, tag: delivery.message.deliveryTag))
            case .leave:
                closeRun()
                leftOn.insert(delivery.generation)
            }
        }
        closeRun()
        return settlements
    }
}
