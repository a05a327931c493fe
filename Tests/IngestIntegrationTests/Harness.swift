import AMQP
import Foundation
import LibPQ
import Logging
import OrdersStore
import OrdersWorkers
import Synchronization
import OrdersTestSupport
import Testing

let databaseURL = LocalStack.databaseURL
let amqpURL = LocalStack.amqpURL

/// One test's world: a fresh database schema with the migrations applied, and a topic exchange
/// with a queue bound like orderflow.ingest, both private to the test so tests run in parallel.
final class IngestHarness: Sendable {
    let schema: String
    let exchange: String
    let queue: String
    /// Where this test's relays publish, and a queue that collects everything published there.
    let eventsExchange: String
    let eventsQueue: String
    let databaseURL: String

    init() throws {
        let id = UUID().uuidString.prefix(8).lowercased()
        schema = "ingest_\(id)"
        exchange = "test.inbound.\(id)"
        queue = "test.ingest.\(id)"
        eventsExchange = "test.events.\(id)"
        eventsQueue = "test.notifier.\(id)"
        databaseURL = Self.url(schema: schema)
        let admin = try PostgresConnection(url: OrdersStoreURL.base)
        try admin.execute("CREATE SCHEMA \(schema)")  // from a UUID, not from input
        try Migrator(logger: Logger(label: "test")).migrate(try PostgresConnection(url: databaseURL))
        let broker = try AMQPConnection(try AMQPConfiguration(url: amqpURL))
        defer { broker.close() }
        try broker.declareExchange(exchange, type: "topic", durable: true)  // survives broker restarts in fault tests
        try Self.declareIngestQueue(queue, exchange: exchange, on: broker)
        try broker.declareExchange(eventsExchange, type: "topic", durable: true)
        try broker.declareQueue(
            eventsQueue, durable: true, arguments: ["x-queue-type": .string("quorum"), "x-delivery-limit": .int(5)])
        try broker.bindQueue(eventsQueue, exchange: eventsExchange, routingKey: "#")
    }

    static func url(schema: String) -> String {
        LocalStack.url(OrdersStoreURL.base, schema: schema)
    }

    func cleanUp() {
        if let admin = try? PostgresConnection(url: OrdersStoreURL.base) {
            _ = try? admin.execute("DROP SCHEMA \(schema) CASCADE")
        }
        if let broker = try? AMQPConnection(try AMQPConfiguration(url: amqpURL)) {
            _ = try? broker.deleteQueue(queue)
            _ = try? broker.deleteExchange(exchange)
            _ = try? broker.deleteQueue(eventsQueue)
            _ = try? broker.deleteExchange(eventsExchange)
            broker.close()
        }
    }

    func options(batchSize: Int = 200) -> IngestOptions {
        var options = IngestOptions()
        options.queue = queue
        options.declareTopology = false
        options.batchSize = batchSize
        options.prefetch = 400
        options.drainTimeout = .seconds(10)
        return options
    }

    /// Publishes with confirms; every message must be confirmed. Unconfirmed ones are sent again on a
    /// new connection (a broker that just restarted may not confirm at once), as a real publisher would.
    func publish(_ messages: [(routingKey: String, body: [UInt8], messageID: String?)]) throws {
        var pending = messages.map {
            OutgoingMessage(
                exchange: exchange, routingKey: $0.routingKey, body: $0.body,
                properties: AMQPProperties(messageID: $0.messageID, contentType: "application/json", deliveryMode: 2))
        }
        for _ in 0..<5 where !pending.isEmpty {
            guard let publisher = try? AMQPPublisher(try AMQPConfiguration(url: amqpURL)) else {
                Thread.sleep(forTimeInterval: 1); continue
            }
            defer { publisher.close() }
            var unconfirmed: [OutgoingMessage] = []
            for window in stride(from: 0, to: pending.count, by: 1000) {
                let slice = Array(pending[window..<min(pending.count, window + 1000)])
                let result = publisher.publish(slice)
                for (message, outcome) in zip(slice, result.outcomes) {
                    switch outcome {
                    case .confirmed: continue
                    case .unconfirmed: unconfirmed.append(message)
                    case .returned, .nacked:
                        throw AMQPError(.publishFailed, message: "\(outcome) for \(message.routingKey)")
                    }
                }
            }
            pending = unconfirmed
        }
        guard pending.isEmpty else {
            throw AMQPError(.publishFailed, message: "\(pending.count) messages never confirmed")
        }
    }

    /// Runs an ingest worker until `body` returns, then shuts it down gracefully.
    /// `amqp`: another way to the broker (a proxy); `configure`: options beyond the test defaults.
    func withWorker<T: Sendable>(
        batchSize: Int = 200, amqp: AMQPNodes? = nil, configure: (inout IngestOptions) -> Void = { _ in },
        _ body: @Sendable (IngestProgress) async throws -> T
    ) async throws -> T {
        var options = options(batchSize: batchSize)
        configure(&options)
        let service = IngestService(
            amqp: try amqp ?? AMQPNodes(urls: amqpURL),
            database: DatabaseExecutor(url: databaseURL, applicationName: "orderflow-test"),
            options: options, logger: Logger(label: "test-worker"))
        return try await withRunningService(service) { try await body(IngestProgress(service: service)) }
    }

    /// Polls `sql` (returning one bigint column) until it equals `expected`; throws at the deadline
    /// saying how far it got and how fast.
    @discardableResult
    func waitFor(_ sql: String, toBe expected: Int64, timeout: Duration = .seconds(60)) async throws -> Int64 {
        let db = try PostgresConnection(url: databaseURL)
        return try await waitForCount(sql, toBe: expected, timeout: timeout) {
            try db.execute(sql).rows.first?.first.flatMap { $0.flatMap { Int64($0) } } ?? -1
        }
    }

    func query(_ sql: String, _ parameters: [PostgresValue] = []) throws -> PostgresResult {
        try PostgresConnection(url: databaseURL).execute(sql, parameters)
    }

    func scalar(_ sql: String, _ parameters: [PostgresValue] = []) throws -> Int64? {
        try query(sql, parameters).rows.first?.first.flatMap { $0.flatMap { Int64($0) } }
    }

    /// What an operator's mistake looks like: the ingest queue deleted (and later declared again).
    func deleteQueue() throws {
        let broker = try AMQPConnection(try AMQPConfiguration(url: amqpURL))
        defer { broker.close() }
        _ = try broker.deleteQueue(queue)
    }

    func declareQueue() throws {
        let broker = try AMQPConnection(try AMQPConfiguration(url: amqpURL))
        defer { broker.close() }
        try Self.declareIngestQueue(queue, exchange: exchange, on: broker)
    }

    private static func declareIngestQueue(_ queue: String, exchange: String, on broker: AMQPConnection) throws {
        try broker.declareQueue(
            queue, durable: true, arguments: ["x-queue-type": .string("quorum"), "x-delivery-limit": .int(5)])
        try broker.bindQueue(queue, exchange: exchange, routingKey: "order.*")
        try broker.bindQueue(queue, exchange: exchange, routingKey: "shipment.*")
    }

    func consumerCount() throws -> UInt32 {
        let broker = try AMQPConnection(try AMQPConfiguration(url: amqpURL))
        defer { broker.close() }
        return try broker.declareQueue(queue, passive: true).consumers
    }

    func queueDepth(_ name: String? = nil) throws -> UInt32 {
        let broker = try AMQPConnection(try AMQPConfiguration(url: amqpURL))
        defer { broker.close() }
        return try broker.declareQueue(name ?? queue, passive: true).messages
    }

    /// An outbox relay on the test's schema, publishing to the test's events exchange.
    func relay(batchSize: Int) throws -> OutboxRelay {
        var options = OutboxRelay.Options()
        options.exchange = eventsExchange
        options.declareTopology = false
        options.batchSize = batchSize
        return OutboxRelay(
            amqp: try AMQPNodes(urls: amqpURL),
            database: DatabaseExecutor(url: databaseURL, applicationName: "test-relay"),
            options: options, logger: Logger(label: "test-relay"))
    }

    /// An event as it arrived on the test's events exchange.
    struct PublishedEvent: Sendable {
        let messageID: String?
        let routingKey: String
        let body: [UInt8]
    }

    /// Takes (and acks) what the events queue holds, waiting until `count` arrived or `timeout` passed,
    /// then a moment longer so that a surplus (duplicates) would show.
    func takeEvents(count: Int, timeout: Duration = .seconds(60)) async throws -> [PublishedEvent] {
        try await offThePool { try self.takeEventsBlocking(count: count, timeout: timeout) }
    }

    private func takeEventsBlocking(count: Int, timeout: Duration) throws -> [PublishedEvent] {
        let broker = try AMQPConnection(try AMQPConfiguration(url: amqpURL))
        defer { broker.close() }
        try broker.setPrefetch(1000)
        _ = try broker.consume(queue: eventsQueue)
        var events: [PublishedEvent] = []
        var deadline = TestTime.deadline(after: timeout)
        var settled = false
        while ContinuousClock.now < deadline {
            if events.count >= count && !settled {
                settled = true
                deadline = min(deadline, ContinuousClock.now + .milliseconds(500))
            }
            guard case .delivery(let delivery) = try broker.nextEvent(timeout: .milliseconds(100)) else { continue }
            events.append(
                PublishedEvent(
                    messageID: delivery.properties.messageID, routingKey: delivery.routingKey, body: delivery.body))
            try broker.ack(delivery.deliveryTag)
        }
        return events
    }
}

enum OrdersStoreURL {
    static let base = databaseURL
}

/// What a test reads of a running ingest service: its counters and connection state.
struct IngestProgress: Sendable {
    let service: IngestService

    var stored: Int { service.counters[.stored] }
    var rejected: Int { service.counters[.rejected] }
    var isConsuming: Bool { service.status.isConsuming }
    var consumingGeneration: UInt64 { service.status.consumingGeneration }
}
