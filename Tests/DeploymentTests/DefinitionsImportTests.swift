import AMQP
import Foundation
import OrdersBroker
import OrdersTestSupport
import Testing

/// deploy/rabbitmq-definitions.json imported with `rabbitmqctl import_definitions` into an empty
/// RabbitMQ node of the test's own, as an operator sets up a broker: the workers' own declarations
/// then agree with it (a difference would close their channel with 406), messages are routed to
/// the work queues, and a rejected message reaches the dead-letter queue.
@Suite("RabbitMQ definitions import", .serialized)
struct DefinitionsImportTests {
    @Test func theDefinitionsImportIntoAnEmptyBrokerAndAgreeWithTheWorkers() throws {
        let broker = try PrivateBroker()
        defer { broker.stop() }
        let definitions = InstallTests.root.appendingPathComponent("deploy/rabbitmq-definitions.json").path
        // rabbitmqctl runs as the rabbitmq user: give it a copy it can read.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderflow-definitions-\(UUID().uuidString.prefix(8)).json"
        ).path
        try FileManager.default.copyItem(atPath: definitions, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: copy)
        let imported = try broker.ctl(["import_definitions", copy])
        #expect(imported.status == 0, "\(imported.output)")
        let policies = try broker.ctl(["-q", "list_policies", "--formatter", "json"])
        #expect(
            policies.output.contains("orderflow-work-queues") && policies.output.contains("orderflow-dead-letters"),
            "\(policies.output)")

        // The binary's topology command declares the same exchanges and queues: no 406.
        let topology = try ChildProcess.run(
            SystemdUnitTests.root.appendingPathComponent(".build/debug/orderflow").path, ["topology"],
            environment: ["ORDERFLOW_AMQP_URL": broker.amqpURL])
        #expect(topology.status == 0, "\(topology.output)")

        let connection = try AMQPConnection(AMQPConfiguration(url: broker.amqpURL))
        defer { connection.close() }
        try Topology().declare(on: connection)
        let publisher = try AMQPPublisher(AMQPConfiguration(url: broker.amqpURL))
        let result = publisher.publish([
            OutgoingMessage(
                exchange: Topology.inboundExchange, routingKey: "order.shopify", body: Array("{}".utf8),
                properties: .persistentJSON(messageID: "d-1")),
            OutgoingMessage(
                exchange: Topology.inboundExchange, routingKey: "shipment.easypost", body: Array("{}".utf8),
                properties: .persistentJSON(messageID: "d-2")),
            OutgoingMessage(
                exchange: Topology.eventsExchange, routingKey: "voucher.issued", body: Array("{}".utf8),
                properties: .persistentJSON(messageID: "d-3")),
        ])
        publisher.close()
        let confirmed = result.outcomes.filter { $0.isConfirmed }.count
        #expect(confirmed == 3, "mandatory publishes were routed and confirmed: \(result.outcomes)")
        #expect(try connection.declareQueue(Topology.ingestQueue, passive: true).messages == 2)
        #expect(try connection.declareQueue(Topology.notifierQueue, passive: true).messages == 1)

        // A message rejected without requeue goes to the dead-letter queue.
        try connection.setPrefetch(1)
        _ = try connection.consume(queue: Topology.notifierQueue)
        let deadline = TestTime.deadline(after: .seconds(10))
        var rejected = false
        while !rejected, ContinuousClock.now < deadline {
            if case .delivery(let delivery)? = try connection.nextEvent(timeout: .milliseconds(200)) {
                try connection.reject(delivery.deliveryTag, requeue: false)
                rejected = true
            }
        }
        #expect(rejected)
        var dead: UInt32 = 0
        while dead == 0, ContinuousClock.now < deadline + .seconds(5) {
            dead = try connection.declareQueue("\(Topology.notifierQueue).dead", passive: true).messages
            if dead == 0 { usleep(100_000) }
        }
        #expect(dead == 1)
    }
}
