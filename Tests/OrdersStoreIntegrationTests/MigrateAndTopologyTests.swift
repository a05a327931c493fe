import AMQP
import Foundation
import LibPQ
import Logging
import OrdersBroker
import OrdersStore
import OrdersTestSupport
import Testing

let databaseURL = LocalStack.databaseURL
let amqpURL = LocalStack.amqpURL

/// A URL whose connections work in a fresh schema of their own, so migrations start from nothing.
func scratchSchemaURL(_ schema: String) -> String {
    LocalStack.url(databaseURL, schema: schema)
}

@Suite("migrate (real PostgreSQL)")
struct MigrateTests {
    let logger = Logger(label: "test")

    @Test func twiceInARowAppliesOnceAndThenNothing() throws {
        let schema = "migrate_seq_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try PostgresConnection(url: databaseURL)
        try admin.execute("CREATE SCHEMA \(schema)")  // name built from a UUID above, not from input
        defer { _ = try? admin.execute("DROP SCHEMA \(schema) CASCADE") }
        let db = try PostgresConnection(url: scratchSchemaURL(schema))
        let migrator = Migrator(logger: logger)
        #expect(try migrator.currentVersion(db) == nil)
        #expect(try migrator.migrate(db) == Migrations.all.map(\.version))
        #expect(try migrator.migrate(db) == [])
        #expect(try migrator.currentVersion(db) == Migrations.all.last?.version)
        let tables = try db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1", [.text(schema)])
        #expect(
            tables.rows.compactMap { $0[0] } == [
                "email_attempts", "emails", "erasures", "ingest_suspects", "order_lines", "orders", "outbox",
                "processed_messages", "redeemed_vouchers", "rejects", "schema_migrations", "shipments",
                "voucher_redemptions", "vouchers",
            ])
    }

    /// Migration 7 keeps what the ledger knew: the latest attempt of every email that had one.
    @Test func theAttemptsLedgerStartsWithEachEmailsLatestAttempt() throws {
        let schema = "migrate_att_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try PostgresConnection(url: databaseURL)
        try admin.execute("CREATE SCHEMA \(schema)")  // name built from a UUID above, not from input
        defer { _ = try? admin.execute("DROP SCHEMA \(schema) CASCADE") }
        let db = try PostgresConnection(url: scratchSchemaURL(schema))
        let before = Migrations.all.filter { $0.version < 7 }
        try Migrator(migrations: before, logger: logger).migrate(db)
        try db.executeScript(
            """
            INSERT INTO emails (event_id, event_type, recipient, status, attempts, claimed_at, sent_at, smtp_reply,
                                message_id) VALUES
              ('11111111-1111-4111-8111-111111111111', 'shipment.dispatched', 'a@example.de', 'sent', 2,
               '2026-11-03T09:30:02Z', '2026-11-03T09:30:03Z', '250 ok', '<1@shop.example>'),
              ('22222222-2222-4222-8222-222222222222', 'voucher.issued', 'b@example.de', 'sending', 1,
               '2026-11-04T15:00:06Z', NULL, '451 later', '<2@shop.example>'),
              ('33333333-3333-4333-8333-333333333333', 'order.delayed', NULL, 'skipped', 0,
               '2026-11-04T15:00:07Z', NULL, 'no address', NULL);
            """)
        #expect(try Migrator(logger: logger).migrate(db) == Migrations.all.map(\.version).filter { $0 >= 7 })
        let attempts = try db.execute(
            """
            SELECT event_id::text, attempt, origin, status,
                   to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), smtp_reply, message_id
            FROM email_attempts ORDER BY event_id
            """)
        #expect(
            attempts.rows == [
                [
                    "11111111-1111-4111-8111-111111111111", "2", "notifier", "sent", "2026-11-03T09:30:02Z",
                    "2026-11-03T09:30:03Z", "250 ok", "<1@shop.example>",
                ],
                [
                    "22222222-2222-4222-8222-222222222222", "1", "notifier", "sending", "2026-11-04T15:00:06Z", nil,
                    "451 later", "<2@shop.example>",
                ],
            ])
    }

    @Test func concurrentMigratorsLeaveOneConsistentSchema() async throws {
        let schema = "migrate_conc_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try PostgresConnection(url: databaseURL)
        try admin.execute("CREATE SCHEMA \(schema)")
        defer { _ = try? admin.execute("DROP SCHEMA \(schema) CASCADE") }
        let url = scratchSchemaURL(schema)
        // Four migrators on four threads (libpq connections are blocking and thread-confined).
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await withCheckedThrowingContinuation { continuation in
                        Thread {
                            continuation.resume(
                                with: Result {
                                    try Migrator(logger: Logger(label: "test")).migrate(
                                        try PostgresConnection(url: url))
                                })
                        }.start()
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(applied.filter { !$0.isEmpty }.count == 1)
        #expect(applied.flatMap { $0 } == Migrations.all.map(\.version))
        let db = try PostgresConnection(url: url)
        #expect(
            try db.execute("SELECT count(*) AS n FROM schema_migrations").int64(0, "n") == Int64(Migrations.all.count))
    }
}

@Suite("topology (real RabbitMQ)")
struct TopologyTests {
    @Test func declaringTwiceChangesNothing() throws {
        let connection = try AMQPConnection(try AMQPConfiguration(url: amqpURL))
        defer { connection.close() }
        let topology = Topology(deliveryLimit: 5)
        try topology.declare(on: connection)
        // A message waiting in the ingest queue survives a second declaration untouched.
        let marker = "topology-marker-\(UUID().uuidString)"
        let publisher = try AMQPPublisher(try AMQPConfiguration(url: amqpURL))
        defer { publisher.close() }
        let published = publisher.publish([
            OutgoingMessage(
                exchange: Topology.inboundExchange, routingKey: "order.topologytest",
                body: Array("{}".utf8), properties: .persistentJSON(messageID: marker))
        ])
        #expect(published.outcomes == [.confirmed])
        let before = try connection.declareQueue(Topology.ingestQueue, passive: true).messages
        try topology.declare(on: connection)
        #expect(try connection.declareQueue(Topology.ingestQueue, passive: true).messages == before)
        #expect(before >= 1)
        // Dead-letter routes exist: the dead queues can be declared passively.
        for queue in topology.workQueues { _ = try connection.declareQueue(queue.deadLetterQueue, passive: true) }
        // Declaring with another delivery limit is refused by the broker (406), not silently changed.
        let other = try AMQPConnection(try AMQPConfiguration(url: amqpURL))
        defer { other.close() }
        let error = #expect(throws: AMQPError.self) { try Topology(deliveryLimit: 99).declare(on: other) }
        #expect(error?.replyCode == 406)
        // Take our marker back out so other tests see the queue as they left it.
        try connection.setPrefetch(50)
        let tag = try connection.consume(queue: Topology.ingestQueue)
        var found = false
        for _ in 0..<200 where !found {
            if case .delivery(let d)? = try connection.nextEvent(timeout: .milliseconds(50)) {
                if d.properties.messageID == marker {
                    try connection.ack(d.deliveryTag); found = true
                } else {
                    try connection.nack(d.deliveryTag, requeue: true)
                }
            }
        }
        try connection.cancel(consumerTag: tag)
        #expect(found)
    }
}
