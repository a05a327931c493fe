import Foundation
import LibPQ
import OrdersTestSupport
import Testing

/// The roles of deploy/postgres-setup.sql, as `deploy/local.sh up` creates them: the app role that
/// the worker and the notifier use reads and writes rows and nothing more.
@Suite("least privilege: the app role (real PostgreSQL, RabbitMQ and SMTP)", .workerSlot)
struct LeastPrivilegeTests {
    @Test func theAppRoleCannotChangeTheSchemaAndTheReadRoleCannotWrite() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let app = try PostgresConnection(url: LocalStack.url(LocalStack.appDatabaseURL, schema: harness.schema))
        #expect(try app.execute("SELECT current_user").rows.first?.first == "orderflow_app")
        for statement in [
            "CREATE TABLE intruder (id int)", "ALTER TABLE orders ADD COLUMN intruder int", "DROP TABLE orders",
            "TRUNCATE orders", "CREATE INDEX intruder ON orders (id)", "ALTER TABLE outbox DISABLE TRIGGER ALL",
            "ALTER TABLE orders OWNER TO orderflow_app", "CREATE SCHEMA intruder",
        ] {
            let error = #expect(throws: PostgresError.self, "\(statement)") { try app.execute(statement) }
            #expect(error?.sqlState == "42501", "\(statement): \(String(describing: error))")  // insufficient_privilege
        }
        // Rows, yes.
        _ = try app.execute("INSERT INTO ingest_suspects (message_id, attempts) VALUES ('probe', 1)")
        _ = try app.execute("DELETE FROM ingest_suspects WHERE message_id = 'probe'")

        let read = try PostgresConnection(url: LocalStack.url(LocalStack.readDatabaseURL, schema: harness.schema))
        #expect(try read.execute("SELECT count(*) FROM orders").rows.first?.first == "0")
        let write = #expect(throws: PostgresError.self) { try read.execute("DELETE FROM orders") }
        #expect(write?.sqlState == "25006", "\(String(describing: write))")  // read-only transaction
    }

    @Test func theWorkerAndTheNotifierDoTheirWholeJobAsTheAppRole() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let sink = try await offThePool { try PrivateSink() }
        let appURL = LocalStack.url(LocalStack.appDatabaseURL, schema: harness.schema)
        let orders = 200, parcels = 20
        try harness.publish(
            (1...orders).map { ("order.canonical", CanonicalSamples.order($0, lines: 1), "lp-order-\($0)") })
        let shippedAt = ISO8601DateFormatter().string(from: Date())
        try harness.publish(
            (1...parcels).map {
                ("shipment.canonical", CanonicalSamples.shipment($0, shippedAt: shippedAt), "lp-parcel-\($0)")
            })

        let worker = try OrderflowProcess(
            worker: harness.queue, databaseURL: appURL, eventsExchange: harness.eventsExchange,
            extraArguments: ["--sweep-interval", "1"])
        let notifier = try OrderflowProcess(notifier: harness.eventsQueue, databaseURL: appURL, smtpURL: sink.url)
        try await waitUntil(timeout: .seconds(60)) {
            (try? harness.scalar("SELECT count(*) FROM emails WHERE status = 'sent'")) == Int64(parcels)
        }
        worker.signal(SIGTERM)
        notifier.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0, "\(worker.log.suffix(2000))")
        #expect(try await notifier.waitForExit() == 0, "\(notifier.log.suffix(2000))")
        #expect(try harness.scalar("SELECT count(*) FROM orders") == Int64(orders))
        #expect(try harness.scalar("SELECT count(*) FROM shipments") == Int64(parcels))
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 0)
        #expect(try harness.scalar("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL") == Int64(parcels))
        #expect(try harness.scalar("SELECT count(*) FROM emails WHERE status = 'sent'") == Int64(parcels))
        #expect(!worker.log.contains("permission denied") && !notifier.log.contains("permission denied"))
        let ids = Set(try harness.query("SELECT event_id::text FROM outbox").rows.compactMap { $0[0] })
        let mails = sink.mailbox.mails(for: ids)
        #expect(mails.count == parcels && mails.values.allSatisfy { $0.count == 1 })
    }
}
