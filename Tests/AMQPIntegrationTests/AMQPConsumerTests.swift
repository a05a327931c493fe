import AMQP
import Foundation
import Testing

@Suite("AMQP consumer thread (real broker)", .serialized)
struct AMQPConsumerTests {
    @Test func handlerBlockingForThreeHeartbeatsKeepsTheConnection() async throws {
        let queue = uniqueName("slow")
        let heartbeat = 2
        // No heartbeats on the test's own connection: it sits idle while the handler "works", and on
        // a busy machine long enough for the broker to close it for missed heartbeats.
        let admin = try AMQPConnection(try configuration(heartbeat: 0))
        defer { _ = try? admin.deleteQueue(queue); admin.close() }
        try admin.declareQueue(queue, durable: false)
        try admin.publish(
            exchange: "", routingKey: queue, body: Array("slow".utf8), properties: .persistentJSON(messageID: "s-1"))

        let consumer = AMQPConsumer(
            configuration: try configuration(heartbeat: heartbeat), options: .init(queue: queue, prefetch: 5))
        let events = EventCollector(consumer)
        consumer.start()
        defer { consumer.stop() }
        let delivery = try #require(
            try await events.waitFor { $0.isDelivery }.first.flatMap {
                if case .delivery(let d) = $0 { d } else { nil }
            })
        // The handler "works" for 3.5 heartbeat intervals; the connection thread keeps heartbeating.
        try await Task.sleep(for: .seconds(Double(heartbeat) * 3.5))
        consumer.ack(delivery)
        try await Task.sleep(for: .milliseconds(500))
        #expect(!events.events.contains { $0.isDisconnected })
        #expect(events.events.filter(\.isConsuming).count == 1)
        #expect(events.deliveries.count == 1)
        #expect(try admin.declareQueue(queue, durable: false, passive: true).messages == 0)
        print(
            "handler stalled \(Double(heartbeat) * 3.5) s with heartbeat \(heartbeat) s: same connection, acked "
                + "afterwards"
        )
    }

    @Test(arguments: [false, true])
    func serverSideCancelIsNoticedAndTheConsumerResubscribes(quorum: Bool) async throws {
        let queue = uniqueName("cancelled")
        let admin = try AMQPConnection(try configuration())
        defer { _ = try? admin.deleteQueue(queue); admin.close() }
        let arguments: [String: AMQPFieldValue] = quorum ? ["x-queue-type": .string("quorum")] : [:]
        let consumer = AMQPConsumer(
            configuration: try configuration(),
            options: .init(queue: queue, prefetch: 5) { connection in
                try connection.declareQueue(queue, durable: quorum, arguments: arguments)
            })
        let events = EventCollector(consumer)
        consumer.start()
        defer { consumer.stop() }
        try await events.waitFor { $0.isConsuming }
        try admin.deleteQueue(queue)
        try await events.waitFor { if case .cancelledByBroker = $0 { true } else { false } }
        // The consumer declared the queue again and consumes from it: the broker counts one consumer.
        var consumers: UInt32 = 0
        for _ in 0..<100 where consumers != 1 {
            try await Task.sleep(for: .milliseconds(50))
            consumers = (try? admin.declareQueue(queue, durable: quorum, passive: true).consumers) ?? 0
        }
        #expect(consumers == 1)
        try admin.publish(
            exchange: "", routingKey: queue, body: Array("after".utf8), properties: .persistentJSON(messageID: "a-1"))
        try await events.waitFor { $0.isDelivery }
    }
}
