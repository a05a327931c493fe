import AMQP
import Foundation
import Testing

/// Tests that stop and start the local servers. They run on their own, after everything else
/// (`deploy/local.sh test` runs `--skip FaultTests` first, then `--filter FaultTests`), so a
/// restart never pulls the broker away from another test.
@Suite("AMQP faults (restarts the local broker)", .serialized)
struct AMQPFaultTests {
    @Test func brokerRestartIsARecoverableErrorAndTheConsumerReconnects() async throws {
        let queue = uniqueName("restart")
        let consumer = AMQPConsumer(
            configuration: try configuration(),
            options: .init(queue: queue, prefetch: 5) { connection in
                try connection.declareQueue(queue, durable: true)
            })
        let events = EventCollector(consumer)
        consumer.start()
        defer { consumer.stop() }
        try await events.waitFor { $0.isConsuming }
        // A delivery taken before the restart and acked after it must come back, not vanish.
        let before = try AMQPPublisher(try configuration())
        _ = before.publish([
            OutgoingMessage(
                exchange: "", routingKey: queue, body: Array("1".utf8), properties: .persistentJSON(messageID: "b-1"))
        ])
        before.close()
        let first = try #require(
            try await events.waitFor { $0.isDelivery }.first.flatMap {
                if case .delivery(let d) = $0 { d } else { nil }
            })

        try localStack("stop", "rabbitmq")
        try await events.waitFor { $0.isDisconnected }
        if case .disconnected(let error)? = events.events.first(where: \.isDisconnected) {
            #expect(error.isRecoverable)
        }
        try localStack("start", "rabbitmq")
        try await events.waitFor(2, timeout: .seconds(90)) { $0.isConsuming }
        consumer.ack(first)  // stale: tagged with the old connection's generation, so it is dropped
        let redelivered = try await events.waitFor(2, timeout: .seconds(30)) { $0.isDelivery }
        guard case .delivery(let again) = redelivered[1] else { Issue.record("no redelivery"); return }
        #expect(again.message.properties.messageID == "b-1")
        #expect(again.generation == first.generation + 1)
        consumer.ack(again)
        let admin = try AMQPConnection(try configuration())
        defer { _ = try? admin.deleteQueue(queue); admin.close() }
        var remaining: UInt32 = 1
        for _ in 0..<50 where remaining != 0 {
            try await Task.sleep(for: .milliseconds(100))
            remaining = try admin.declareQueue(queue, passive: true).messages
        }
        #expect(remaining == 0)
    }
}
