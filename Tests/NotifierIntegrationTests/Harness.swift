import AMQP
import Foundation
import LibPQ
import Logging
import MailTransport
import OrdersMail
import OrdersStore
import OrdersTestSupport
import OrdersWorkers

let smtpURL = ProcessInfo.processInfo.environment["ORDERFLOW_SMTP_URL"] ?? "smtp://127.0.0.1:55025"

/// One test's world: its own database schema with the migrations applied, and its own topic
/// exchange and queue bound like orderflow.notifier, so tests run side by side.
final class NotifierHarness: Sendable {
    let schema: String
    let exchange: String
    let queue: String
    let databaseURL: String

    init() throws {
        let id = UUID().uuidString.prefix(8).lowercased()
        schema = "notifier_\(id)"
        exchange = "test.events.\(id)"
        queue = "test.notifier.\(id)"
        let base = LocalStack.databaseURL
        databaseURL = LocalStack.url(base, schema: schema)
        let admin = try PostgresConnection(url: base)
        try admin.execute("CREATE SCHEMA \(schema)")  // from a UUID, not from input
        try Migrator(logger: Logger(label: "test")).migrate(try PostgresConnection(url: databaseURL))
        let broker = try AMQPConnection(try AMQPConfiguration(url: LocalStack.amqpURL))
        defer { broker.close() }
        try broker.declareExchange(exchange, type: "topic", durable: true)
        try broker.declareQueue(
            queue, durable: true, arguments: ["x-queue-type": .string("quorum"), "x-delivery-limit": .int(20)])
        for key in ["shipment.#", "voucher.#", "order.delayed"] {
            try broker.bindQueue(queue, exchange: exchange, routingKey: key)
        }
    }

    func cleanUp() {
        if let admin = try? PostgresConnection(url: LocalStack.databaseURL) {
            _ = try? admin.execute("DROP SCHEMA \(schema) CASCADE")
        }
        if let broker = try? AMQPConnection(try AMQPConfiguration(url: LocalStack.amqpURL)) {
            _ = try? broker.deleteQueue(queue)
            _ = try? broker.deleteExchange(exchange)
            broker.close()
        }
    }

    /// Publishes event bodies with confirms, the event id as message id (as the relay does).
    func publish(_ events: [(type: String, body: String, id: String)]) throws {
        let publisher = try AMQPPublisher(try AMQPConfiguration(url: LocalStack.amqpURL))
        defer { publisher.close() }
        let messages = events.map {
            OutgoingMessage(
                exchange: exchange, routingKey: $0.type, body: Array($0.body.utf8),
                properties: AMQPProperties(messageID: $0.id, contentType: "application/json", deliveryMode: 2))
        }
        let result = publisher.publish(messages)
        guard result.outcomes.allSatisfy(\.isConfirmed) else {
            throw TestFailure("not every event was confirmed: \(result.outcomes)")
        }
    }

    func options() -> NotifierOptions {
        var options = NotifierOptions()
        options.queue = queue
        options.declareTopology = false
        options.retryInitialDelay = .milliseconds(200)
        options.retryMaximumDelay = .seconds(1)
        return options
    }

    /// Runs a notifier in this process until `body` returns, then shuts it down gracefully.
    func withNotifier<T: Sendable>(
        transport: (any MailTransport)? = nil, sendAttemptsPerDelivery: Int = 10,
        _ body: @Sendable (NotifierProgress) async throws -> T
    ) async throws -> T {
        let transport =
            try transport
            ?? SMTPSender(endpoint: SMTPEndpoint(url: smtpURL), envelopeFrom: "service@teehaus-vogel.example")
        let service = NotifierService(
            amqp: try AMQPNodes(urls: LocalStack.amqpURL),
            database: DatabaseExecutor(url: databaseURL, applicationName: "orderflow-test"),
            transport: transport, composer: try TestEvents.composer(),
            options: {
                var o = options(); o.sendAttemptsPerDelivery = sendAttemptsPerDelivery; return o
            }(),
            logger: Logger(label: "test-notifier"))
        return try await withRunningService(service) { try await body(NotifierProgress(counters: service.counters)) }
    }

    func query(_ sql: String, _ parameters: [PostgresValue] = []) throws -> PostgresResult {
        try PostgresConnection(url: databaseURL).execute(sql, parameters)
    }

    func scalar(_ sql: String, _ parameters: [PostgresValue] = []) throws -> Int64 {
        try query(sql, parameters).rows.first?.first.flatMap { $0.flatMap { Int64($0) } } ?? -1
    }

    /// Polls until `sql` (one bigint) reaches `expected`; throws at the deadline.
    func waitFor(_ sql: String, toBe expected: Int64, timeout: Duration = .seconds(60)) async throws {
        try await waitForCount(sql, toBe: expected, timeout: timeout, poll: .milliseconds(10)) { try scalar(sql) }
    }

    func status(of eventID: String) throws -> (status: String?, reply: String?, attempts: Int64?) {
        let result = try query(
            "SELECT status, smtp_reply, attempts FROM emails WHERE event_id = $1::uuid", [.text(eventID)])
        guard !result.isEmpty else { return (nil, nil, nil) }
        return (result[0, "status"], result[0, "smtp_reply"], result.int64(0, "attempts"))
    }
}

/// Fails (rather than skips) at once when the shared SMTP sink is not listening.
func requireSMTPSink() throws {
    guard let url = URLComponents(string: smtpURL), let host = url.host, let port = url.port else { return }
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    inet_pton(AF_INET, host, &address.sin_addr)
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
    guard connected else {
        throw TestFailure("no SMTP server at \(smtpURL): start the local stack (deploy/local.sh up)")
    }
}

/// What a test reads of a running notifier: its counters, as one value.
struct NotifierProgress: Sendable {
    struct Counts: Sendable, Equatable {
        var sent = 0, failed = 0, skipped = 0, duplicates = 0, invalid = 0, retries = 0
    }

    let counters: Counters<NotifierCount>

    var counts: Counts {
        Counts(
            sent: counters[.sent], failed: counters[.failed], skipped: counters[.skipped],
            duplicates: counters[.duplicates],
            invalid: counters[.invalid], retries: counters[.retries])
    }
}
