public import AMQP

/// The exchanges, queues and bindings of SPEC 3.2 and 3.5, declared idempotently.
///
/// Work queues are quorum queues with an explicit delivery limit (RabbitMQ 3.10 has no default):
/// a message that crashes its consumer again and again is dead-lettered instead of crash-looping
/// every worker. Dead letters go through `orderflow.dlx` (direct) keyed by the source queue's name,
/// with at-least-once dead-lettering so a dead letter is never dropped on the way.
public struct Topology: Sendable {
    public static let inboundExchange = "orderflow.inbound"
    public static let eventsExchange = "orderflow.events"
    public static let deadLetterExchange = "orderflow.dlx"
    public static let ingestQueue = "orderflow.ingest"
    public static let notifierQueue = "orderflow.notifier"

    public struct WorkQueue: Sendable, Equatable {
        public let name: String
        public let exchange: String
        public let bindings: [String]
        public var deadLetterQueue: String { name + ".dead" }
    }

    public static let ingest = WorkQueue(
        name: ingestQueue, exchange: inboundExchange, bindings: ["order.*", "shipment.*"])
    public static let notifier = WorkQueue(
        name: notifierQueue, exchange: eventsExchange,
        bindings: ["shipment.#", "voucher.#", "order.delayed", "order.confirmed"])

    /// How often a message may be delivered before it is dead-lettered.
    public var deliveryLimit: Int64

    public init(deliveryLimit: Int64 = 5) { self.deliveryLimit = deliveryLimit }

    public var workQueues: [WorkQueue] { [Self.ingest, Self.notifier] }

    public func arguments(for queue: WorkQueue) -> [String: AMQPFieldValue] {
        [
            "x-queue-type": .string("quorum"),
            "x-delivery-limit": .int(deliveryLimit),
            "x-dead-letter-exchange": .string(Self.deadLetterExchange),
            "x-dead-letter-routing-key": .string(queue.name),
            "x-dead-letter-strategy": .string("at-least-once"),
            "x-overflow": .string("reject-publish"),
        ]
    }

    /// Declares everything; re-declaring with the same arguments changes nothing.
    public func declare(on connection: AMQPConnection) throws(AMQPError) {
        try connection.declareExchange(Self.inboundExchange, type: "topic")
        try connection.declareExchange(Self.eventsExchange, type: "topic")
        try connection.declareExchange(Self.deadLetterExchange, type: "direct")
        for queue in workQueues {
            try connection.declareQueue(queue.deadLetterQueue, arguments: ["x-queue-type": .string("quorum")])
            try connection.bindQueue(queue.deadLetterQueue, exchange: Self.deadLetterExchange, routingKey: queue.name)
            try connection.declareQueue(queue.name, arguments: arguments(for: queue))
            for key in queue.bindings {
                try connection.bindQueue(queue.name, exchange: queue.exchange, routingKey: key)
            }
        }
    }
}
