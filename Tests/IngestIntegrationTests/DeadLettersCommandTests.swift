import AMQP
import Foundation
import OrdersTestSupport
import LibPQ
import Testing

/// A dead-letter queue of the test's own, filled by the broker itself: orders published to `origin`
/// expire at once in a queue with a zero TTL (reason `expired`), shipment notices are refused by a
/// consumer (reason `rejected`), and both go through a dead-letter exchange to `deadQueue` with the
/// x-death history the broker writes on orderflow's own dead letters.
final class DeadLetterWorld: Sendable {
    let origin: String
    let dlx: String
    let expiring: String
    let refusing: String
    let deadQueue: String

    init(_ harness: IngestHarness) throws {
        let id = harness.schema.suffix(8)
        origin = "test.origin.\(id)"
        dlx = "test.dlx.\(id)"
        expiring = "test.expiring.\(id)"
        refusing = "test.refusing.\(id)"
        deadQueue = "test.ingest.\(id).dead"
        let broker = try AMQPConnection(try AMQPConfiguration(url: amqpURL))
        defer { broker.close() }
        try broker.declareExchange(origin, type: "topic")
        try broker.declareExchange(dlx, type: "direct")
        try broker.declareQueue(deadQueue, arguments: ["x-queue-type": .string("quorum")])
        for source in [expiring, refusing] {
            try broker.bindQueue(deadQueue, exchange: dlx, routingKey: source)
        }
        try broker.declareQueue(
            expiring,
            arguments: [
                "x-message-ttl": .int(0), "x-dead-letter-exchange": .string(dlx),
                "x-dead-letter-routing-key": .string(expiring),
            ])
        try broker.bindQueue(expiring, exchange: origin, routingKey: "order.*")
        try broker.declareQueue(
            refusing,
            arguments: [
                "x-queue-type": .string("quorum"), "x-dead-letter-exchange": .string(dlx),
                "x-dead-letter-routing-key": .string(refusing),
            ])
        try broker.bindQueue(refusing, exchange: origin, routingKey: "shipment.*")
    }

    func cleanUp() {
        guard let broker = try? AMQPConnection(try AMQPConfiguration(url: amqpURL)) else { return }
        defer { broker.close() }
        for queue in [deadQueue, expiring, refusing] { _ = try? broker.deleteQueue(queue) }
        for exchange in [origin, dlx] { try? broker.deleteExchange(exchange) }
    }

    /// Publishes to `origin` with confirms, persistent JSON under the given message ids.
    func publish(_ messages: [(routingKey: String, body: [UInt8], messageID: String)]) throws {
        let publisher = try AMQPPublisher(try AMQPConfiguration(url: amqpURL))
        defer { publisher.close() }
        for window in stride(from: 0, to: messages.count, by: 500) {
            let slice = messages[window..<min(messages.count, window + 500)].map {
                OutgoingMessage(
                    exchange: origin, routingKey: $0.routingKey, body: $0.body,
                    properties: AMQPProperties(
                        messageID: $0.messageID, contentType: "application/json", deliveryMode: 2))
            }
            let result = publisher.publish(slice)
            guard result.outcomes.allSatisfy(\.isConfirmed) else {
                throw TestFailure("not every message was confirmed: \(result.outcomes)")
            }
        }
    }

    /// Takes `count` messages from the refusing queue and rejects them without requeueing: dead-lettered.
    func refuse(_ count: Int) async throws {
        let broker = try AMQPConnection(try AMQPConfiguration(url: amqpURL))
        defer { broker.close() }
        var refused = 0
        try await waitUntil(timeout: .seconds(20)) {
            while refused < count, let message = try broker.get(queue: refusing) {
                try broker.reject(message.deliveryTag, requeue: false)
                refused += 1
            }
            return refused == count
        }
    }

    /// The cause fixed: the queues that killed the messages gone, the worker's queue bound to `origin`.
    func fixCause(_ harness: IngestHarness) throws {
        try removeSources()
        let broker = try AMQPConnection(try AMQPConfiguration(url: amqpURL))
        defer { broker.close() }
        for key in ["order.*", "shipment.*"] { try broker.bindQueue(harness.queue, exchange: origin, routingKey: key) }
    }

    /// Nothing bound to `origin` any more: a replay cannot be routed.
    func removeSources() throws {
        let broker = try AMQPConnection(try AMQPConfiguration(url: amqpURL))
        defer { broker.close() }
        for queue in [expiring, refusing] { _ = try broker.deleteQueue(queue) }
    }

    func waitForDepth(_ expected: Int64, in harness: IngestHarness) async throws {
        try await waitForCount("messages in \(deadQueue)", toBe: expected, timeout: .seconds(30)) {
            Int64(try harness.queueDepth(deadQueue))
        }
    }
}

/// `orderflow dead-letters list | show | replay | purge` against the real broker, with a worker storing
/// what a replay sends back.
@Suite("dead-letters command", .workerSlot)
struct DeadLettersCommandTests {
    static func run(_ arguments: [String], _ harness: IngestHarness) throws -> ChildProcess.Result {
        try OrderflowCommand.run(["dead-letters"] + arguments, databaseURL: harness.databaseURL)
    }

    /// The rows of the table, keyed by message id: routing key, reason, count, bytes; every DIED time checked.
    static func rows(_ output: String, diedBetween range: ClosedRange<Int64>) throws -> [String: [String]] {
        let lines = output.split(separator: "\n")
        try #require(
            lines.first?.split(separator: " ", omittingEmptySubsequences: true).map(String.init) == [
                "DIED", "MESSAGE", "ID", "ROUTING", "KEY", "REASON", "COUNT", "BYTES",
            ])
        var rows: [String: [String]] = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            try #require(fields.count == 6, "\(line)")
            let died = try #require(ISO8601DateFormatter().date(from: fields[0]), "\(line)")
            #expect(range.contains(Int64(died.timeIntervalSince1970)), "\(fields[0]) not in \(range)")
            rows[fields[1]] = Array(fields[2...])
        }
        return rows
    }

    @Test func listShowReplayToTheOriginalExchangeAndRemoveOnlyAfterTheConfirm() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let world = try DeadLetterWorld(harness)
        defer { world.cleanUp() }
        let start = Int64(Date().timeIntervalSince1970)
        let orders = (1...3).map { CanonicalSamples.order($0) }
        let shipment = CanonicalSamples.shipment(1)
        try world.publish(
            orders.enumerated().map { ("order.canonical", $1, "dl-\($0 + 1)") } + [
                ("shipment.canonical", shipment, "dl-4")
            ])
        try await world.refuse(1)
        try await world.waitForDepth(4, in: harness)
        let end = Int64(Date().timeIntervalSince1970) + 1

        // list: nothing removed, every column as the broker recorded it.
        let list = try Self.run(["list", world.deadQueue], harness)
        #expect(list.status == 0, "\(list.output)")
        let expected: [String: [String]] = [
            "dl-1": ["order.canonical", "expired", "1", String(orders[0].count)],
            "dl-2": ["order.canonical", "expired", "1", String(orders[1].count)],
            "dl-3": ["order.canonical", "expired", "1", String(orders[2].count)],
            "dl-4": ["shipment.canonical", "rejected", "1", String(shipment.count)],
        ]
        #expect(try Self.rows(list.output, diedBetween: start...end) == expected, "\(list.output)")
        try await world.waitForDepth(4, in: harness)  // listing removes nothing
        let two = try Self.run(["list", world.deadQueue, "--limit", "2"], harness)
        #expect(two.output.split(separator: "\n").count == 3, "\(two.output)")
        try await world.waitForDepth(4, in: harness)  // what a command held is back before the next one

        // --json, field by field.
        let json = try Self.run(["list", world.deadQueue, "--json"], harness)
        #expect(json.status == 0, "\(json.output)")
        let letters = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(letters.count == 4)
        try await world.waitForDepth(4, in: harness)
        for letter in letters {
            #expect(
                Set(letter.keys) == [
                    "messageId", "exchange", "routingKey", "type", "reason", "queue", "count", "diedAt", "size",
                ])
            let id = try #require(letter["messageId"] as? String)
            let row = try #require(expected[id])
            #expect(letter["exchange"] as? String == world.origin)
            #expect(letter["routingKey"] as? String == row[0])
            #expect(letter["type"] is NSNull)
            #expect(letter["reason"] as? String == row[1])
            #expect(letter["queue"] as? String == (id == "dl-4" ? world.refusing : world.expiring))
            #expect(letter["count"] as? Int == 1)
            #expect(letter["size"] as? Int == Int(row[3]))
            let died = try #require(ISO8601DateFormatter().date(from: letter["diedAt"] as? String ?? ""))
            #expect((start...end).contains(Int64(died.timeIntervalSince1970)))
        }
        let rejected = try Self.run(["list", world.deadQueue, "--reason", "rejected", "--json"], harness)
        let onlyRejected = try JSONSerialization.jsonObject(with: Data(rejected.output.utf8)) as? [[String: Any]]
        #expect(onlyRejected?.compactMap { $0["messageId"] as? String } == ["dl-4"])
        try await world.waitForDepth(4, in: harness)
        let lastHour = try Self.run(["list", world.deadQueue, "--since", "1"], harness)
        #expect(lastHour.output.split(separator: "\n").count == 5, "\(lastHour.output)")
        try await world.waitForDepth(4, in: harness)

        // show: the x-death history and the body.
        let show = try Self.run(["show", world.deadQueue, "dl-4"], harness)
        #expect(show.status == 0, "\(show.output)")
        let lines = show.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            Array(lines.prefix(7)) == [
                "message id    dl-4",
                "published to  exchange '\(world.origin)' with routing key shipment.canonical",
                "type          -",
                "content type  application/json",
                "size          \(shipment.count) bytes",
                "",
                "x-death (newest first)",
            ], "\(show.output)")
        #expect(lines.count > 8 && lines[7].hasPrefix("  20"), "\(show.output)")
        #expect(
            lines[7].hasSuffix(
                "  rejected  queue \(world.refusing)  1 time(s)  from '\(world.origin)' with "
                    + "shipment.canonical"), "\(lines[7])")
        #expect(show.output.hasSuffix(String(decoding: shipment, as: UTF8.self) + "\n"), "the body: \(show.output)")
        try await world.waitForDepth(4, in: harness)
        let missing = try Self.run(["show", world.deadQueue, "nope"], harness)
        #expect(missing.status == 1)
        #expect(
            missing.output.contains("no dead letter with message id nope in \(world.deadQueue)"), "\(missing.output)")
        let absent = try Self.run(["list", "test.absent.\(harness.schema).dead"], harness)
        #expect(absent.status == 1)
        #expect(absent.output.contains("no queue test.absent.\(harness.schema).dead on the broker"), "\(absent.output)")
        let notDead = try Self.run(["list", harness.queue], harness)
        #expect(notDead.status == 64)
        #expect(notDead.output.contains("'\(harness.queue)' is not a dead-letter queue"), "\(notDead.output)")
        try await world.waitForDepth(4, in: harness)

        // Nothing bound to the origin yet: the copy comes back unroutable and the dead letter stays.
        try world.removeSources()
        let unroutable = try Self.run(["replay", world.deadQueue, "dl-1"], harness)
        #expect(unroutable.status == 1)
        #expect(
            unroutable.output.contains("dl-1: not replayed: returned by the broker (312 NO_ROUTE)"),
            "\(unroutable.output)")
        #expect(unroutable.output.contains("0 of 1 replayed from \(world.deadQueue)"), "\(unroutable.output)")
        try await world.waitForDepth(4, in: harness)

        try world.fixCause(harness)
        try await harness.withWorker { _ in
            let some = try Self.run(["replay", world.deadQueue, "dl-1", "dl-4"], harness)
            #expect(some.status == 0, "\(some.output)")
            #expect(some.output == "2 of 2 replayed from \(world.deadQueue)\n", "\(some.output)")
            try await harness.waitFor("SELECT count(*) FROM orders WHERE external_id = 'T-1'", toBe: 1)
            try await harness.waitFor("SELECT count(*) FROM shipments", toBe: 1)
            try await world.waitForDepth(2, in: harness)

            let expired = try Self.run(["replay", world.deadQueue, "--reason", "expired"], harness)
            #expect(expired.output == "2 of 2 replayed from \(world.deadQueue)\n", "\(expired.output)")
            try await harness.waitFor("SELECT count(*) FROM orders", toBe: 3)
            try await world.waitForDepth(0, in: harness)
            // Stored under their own message ids: a replayed duplicate would be recognised.
            try await harness.waitFor(
                "SELECT count(*) FROM processed_messages WHERE message_id IN ('dl-1', 'dl-2', 'dl-3', 'dl-4')",
                toBe: 4)
        }
        let empty = try Self.run(["replay", world.deadQueue, "--all"], harness)
        #expect(empty.status == 0)
        #expect(empty.output == "0 of 0 replayed from \(world.deadQueue)\n", "\(empty.output)")
    }

    @Test func purgeOnlyWithYes() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let world = try DeadLetterWorld(harness)
        defer { world.cleanUp() }
        try world.publish((1...3).map { ("order.canonical", CanonicalSamples.order($0), "dl-p\($0)") })
        try await world.waitForDepth(3, in: harness)

        let unselected = try Self.run(["purge", world.deadQueue], harness)
        #expect(unselected.status == 64)
        #expect(unselected.output.contains("give message ids, --reason, --since, or --all"), "\(unselected.output)")
        let asked = try Self.run(["purge", world.deadQueue, "--all"], harness)
        #expect(asked.status == 1)
        #expect(asked.output.contains("would purge 3 dead letter(s) from \(world.deadQueue)"), "\(asked.output)")
        try await world.waitForDepth(3, in: harness)

        let one = try Self.run(["purge", world.deadQueue, "dl-p2", "--yes"], harness)
        #expect(one.output == "purged 1 dead letter(s) from \(world.deadQueue)\n", "\(one.output)")
        try await world.waitForDepth(2, in: harness)
        let left = try Self.run(["list", world.deadQueue, "--json"], harness)
        let ids = try JSONSerialization.jsonObject(with: Data(left.output.utf8)) as? [[String: Any]]
        #expect(Set(ids?.compactMap { $0["messageId"] as? String } ?? []) == ["dl-p1", "dl-p3"])
        try await world.waitForDepth(2, in: harness)
        let all = try Self.run(["purge", world.deadQueue, "--all", "--yes"], harness)
        #expect(all.output == "purged 2 dead letter(s) from \(world.deadQueue)\n", "\(all.output)")
        try await world.waitForDepth(0, in: harness)
    }

    /// What orderflow's work queues do: a quorum queue with a delivery limit dead-letters a message
    /// delivered too often, with reason `delivery_limit`.
    @Test func aMessageDeliveredTooOftenIsListedWithItsReason() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let world = try DeadLetterWorld(harness)
        defer { world.cleanUp() }
        let limited = "test.limited.\(harness.schema.suffix(8))"
        let broker = try AMQPConnection(try AMQPConfiguration(url: amqpURL))
        defer {
            _ = try? broker.deleteQueue(limited)
            broker.close()
        }
        try broker.declareQueue(
            limited,
            arguments: [
                "x-queue-type": .string("quorum"), "x-delivery-limit": .int(1),
                "x-dead-letter-exchange": .string(world.dlx), "x-dead-letter-routing-key": .string(limited),
            ])
        try broker.bindQueue(limited, exchange: world.origin, routingKey: "limited.canonical")
        try broker.bindQueue(world.deadQueue, exchange: world.dlx, routingKey: limited)
        try world.publish([("limited.canonical", CanonicalSamples.order(1), "dl-limit")])
        // Delivered and given back until the broker gives up on it.
        var deliveries = 0
        try await waitUntil(timeout: .seconds(30)) {
            if let message = try broker.get(queue: limited) {
                deliveries += 1
                try broker.nack(message.deliveryTag, requeue: true)
            }
            return try harness.queueDepth(world.deadQueue) == 1
        }
        #expect(deliveries == 2, "the first delivery and one redelivery (x-delivery-limit 1)")
        let list = try Self.run(["list", world.deadQueue, "--json"], harness)
        let letters = try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]])
        #expect(letters.count == 1)
        #expect(letters.first?["messageId"] as? String == "dl-limit")
        #expect(letters.first?["reason"] as? String == "delivery_limit")
        #expect(letters.first?["queue"] as? String == limited)
        #expect(letters.first?["exchange"] as? String == world.origin)
        #expect(letters.first?["routingKey"] as? String == "limited.canonical")
        #expect(letters.first?["count"] as? Int == 1)
    }

    /// A replay of many dead letters killed (SIGKILL) midway: every message is still dead-lettered or
    /// stored (a message both is the one whose confirm came just before the kill); a second replay then
    /// brings the rest, and each order is stored once.
    @Test func replayKilledMidwayLosesNothing() async throws {
        let count = 1200
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let world = try DeadLetterWorld(harness)
        defer { world.cleanUp() }
        try world.publish((1...count).map { ("order.canonical", CanonicalSamples.order($0), "dl-\($0)") })
        try await world.waitForDepth(Int64(count), in: harness)
        try world.fixCause(harness)

        try await harness.withWorker { _ in
            let replay = try OrderflowProcess(
                ["dead-letters", "replay", world.deadQueue, "--all", "--rate", "100"],
                environment: ["ORDERFLOW_AMQP_URL": amqpURL, "ORDERFLOW_DATABASE_URL": harness.databaseURL],
                daemon: false)
            try await waitUntil(timeout: .seconds(60)) {
                try harness.scalar("SELECT count(*) FROM orders") ?? 0 >= 100
            }
            #expect(replay.process.isRunning, "killed before the end: \(replay.log)")
            replay.signal(SIGKILL)
            _ = try await replay.waitForExit()
            #expect(replay.process.terminationReason == .uncaughtSignal)

            // The broker gives the killed connection's unacked messages back and the worker stores what got
            // through: every message ends up dead-lettered or stored (a few may be both).
            let all = Set((1...count).map { "dl-\($0)" })
            var deadIDs: Set<String> = []
            var storedIDs: Set<String> = []
            try await waitUntil(timeout: .seconds(60), poll: .milliseconds(500)) {
                let listed = try Self.run(["list", world.deadQueue, "--limit", String(count), "--json"], harness)
                deadIDs = Set(
                    (try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]] ?? [])
                        .compactMap { $0["messageId"] as? String })
                storedIDs = Set(
                    try harness.query("SELECT message_id FROM processed_messages").rows.compactMap { $0[0] ?? nil })
                return deadIDs.union(storedIDs) == all
            }
            let both = deadIDs.intersection(storedIDs).count
            print("replay killed midway: \(storedIDs.count) stored, \(deadIDs.count) still dead, \(both) both")
            #expect(!deadIDs.isEmpty && storedIDs.count < count, "cut midway: \(storedIDs.count) stored")
            #expect(both <= 100, "duplicates: at most the unacked window")
            #expect(try harness.scalar("SELECT count(*) FROM orders") == Int64(storedIDs.count))

            let rest = try Self.run(["replay", world.deadQueue, "--all"], harness)
            #expect(rest.status == 0, "\(rest.output)")
            #expect(
                rest.output.hasSuffix("\(deadIDs.count) of \(deadIDs.count) replayed from \(world.deadQueue)\n"),
                "\(rest.output)")
            try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(count))
            try await harness.waitFor("SELECT count(*) FROM processed_messages", toBe: Int64(count))
            try await world.waitForDepth(0, in: harness)
        }
    }
}
