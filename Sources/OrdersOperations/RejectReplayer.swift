import OrdersStore
public import AMQP
public import LibPQ
public import OrdersBroker
import OrdersPublishing

/// Re-publishes rejected messages: the stored raw body, with its routing key, on the inbound
/// exchange, with publisher confirms; `replayed_at` is set only after the broker confirmed.
///
/// A replay gets a new message id: the original one is recorded as processed (that is what keeps a
/// redelivered reject from being stored twice), so under its old id the worker would skip it.
/// Replaying the same reject twice is harmless: orders and parcels are upserted on their own keys.
public struct RejectReplayer {
    public enum Outcome: Sendable, Equatable {
        case replayed(routingKey: String)
        case notFound
        /// Only the first 64 KiB were kept: publishing them would only produce another reject.
        case bodyTruncated
        case alreadyReplayed(at: String)
        /// Not confirmed by the broker (unroutable, nacked, unreachable): the reason, for the operator.
        case failed(String)
    }

    private let amqp: AMQPNodes
    private let exchange: String
    private let store = RejectStore()

    public init(amqp: AMQPNodes, exchange: String = Topology.inboundExchange) {
        self.amqp = amqp
        self.exchange = exchange
    }

    public func replay(_ id: Int64, on db: PostgresConnection, again: Bool = false) throws(PostgresError) -> Outcome {
        guard let reject = try store.find(id, on: db) else { return .notFound }
        if reject.bodyTruncated { return .bodyTruncated }
        if let at = reject.replayedAt, !again { return .alreadyReplayed(at: at) }
        var notices: [String] = []
        let publisher = ConfirmedPublisher(nodes: amqp, notice: { notices.append($0) })
        let report = publisher.publish(.files([reject.body], routingKey: reject.routingKey, exchange: exchange))
        guard report.succeeded else {
            let why =
                report.abortReason ?? report.returnReason.map {
                    "returned by the broker (\($0)): no queue bound to \(reject.routingKey)"
                }
                ?? (report.nacked > 0 ? "refused by the broker (nack)" : notices.last ?? "not confirmed by the broker")
            return .failed(why)
        }
        try store.markReplayed(id, on: db)
        return .replayed(routingKey: reject.routingKey)
    }
}
