import AMQP
import Foundation
import OrdersTestSupport
import OrdersBroker

/// The broker of `deploy/local.sh up` unless ORDERFLOW_AMQP_URL says otherwise. A missing broker
/// fails these tests: they never skip.
let amqpURL = LocalStack.amqpURL

func configuration() throws -> AMQPConfiguration {
    var configuration = try AMQPConfiguration(url: amqpURL)
    configuration.connectionName = "orderflow-publish-tests"
    return configuration
}

func uniqueName(_ prefix: String) -> String { "test.\(prefix).\(UUID().uuidString.prefix(8).lowercased())" }

/// A queue of the test's own on `orderflow.inbound`, bound to a routing key of two or more words so
/// that `orderflow.ingest` (bound to `order.*` and `shipment.*`) never sees the test's messages.
/// Durable (it must survive nothing, but a classic durable queue confirms like the real one) and
/// expiring, so a crashed test leaves nothing behind for long.
final class TestQueue {
    let name: String
    let routingKey: String
    private let connection: AMQPConnection

    /// `arguments` add to the queue's own (`x-max-length`, say).
    init(_ prefix: String, arguments: [String: AMQPFieldValue] = [:]) throws {
        connection = try AMQPConnection(try configuration())
        try Topology().declare(on: connection)
        name = uniqueName(prefix)
        routingKey = "test.publish." + name
        try connection.declareQueue(
            name, durable: true, arguments: arguments.merging(["x-expires": .int(300_000)]) { own, _ in own })
        try connection.bindQueue(name, exchange: Topology.inboundExchange, routingKey: routingKey)
    }

    deinit {
        _ = try? connection.deleteQueue(name)
        connection.close()
    }

    var depth: UInt32 {
        get throws { try connection.declareQueue(name, durable: true, passive: true).messages }
    }

    /// Takes and acknowledges one message, if there is one.
    func take() throws -> AMQPReceivedMessage? {
        guard let message = try connection.get(queue: name) else { return nil }
        try connection.ack(message.deliveryTag)
        return message
    }

    /// Consumes and acknowledges everything in the queue (until it stays empty for a moment).
    func drain(timeout: Duration = .seconds(60)) throws -> [AMQPReceivedMessage] {
        let consumer = try AMQPConnection(try configuration())
        defer { consumer.close() }
        try consumer.setPrefetch(1000)
        try consumer.consume(queue: name)
        var deliveries: [AMQPReceivedMessage] = []
        let deadline = TestTime.deadline(after: timeout)
        var quietSince = ContinuousClock.now
        while ContinuousClock.now < deadline, ContinuousClock.now - quietSince < .milliseconds(500) {
            guard case .delivery(let delivery)? = try consumer.nextEvent(timeout: .milliseconds(100)) else { continue }
            deliveries.append(delivery)
            try consumer.ack(delivery.deliveryTag)
            quietSince = ContinuousClock.now
        }
        return deliveries
    }
}
