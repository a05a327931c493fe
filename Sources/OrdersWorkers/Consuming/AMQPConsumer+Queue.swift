public import AMQP
public import OrdersBroker

extension AMQPConsumer {
    /// A consumer of `queue` that declares `topology` on every (re)connect, so a deleted queue
    /// comes back (nil declares nothing: a queue of the operator's own must exist).
    public static func consuming(
        _ queue: String, amqp: AMQPNodes, prefetch: UInt16, reconnectDelay: Duration,
        topology: Topology?
    ) -> AMQPConsumer {
        var options = AMQPConsumer.Options(queue: queue, prefetch: prefetch) { connection in
            if let topology { try topology.declare(on: connection) }
        }
        options.initialBackoff = reconnectDelay
        return AMQPConsumer(nodes: AMQPNodeRotation(amqp), options: options)
    }
}
