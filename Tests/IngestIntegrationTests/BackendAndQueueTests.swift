import Foundation
import LibPQ
import Testing

/// Faults that leave the servers running: a database backend killed mid-transaction, the ingest
/// queue deleted and declared again. Against the `orderflow worker` binary.
@Suite("ingest through killed backends and a deleted queue", .serialized)
struct BackendAndQueueTests {
    @Test func backendsKilledMidTransactionRollBackAndNothingIsStoredTwice() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let total = 20_000
        try harness.publish((1...total).map { ("order.canonical", CanonicalSamples.order($0, lines: 1 + $0 % 3), "b-\($0)") })
        let expectedLines = Int64((1...total).reduce(0) { $0 + 1 + $1 % 3 })
        let worker = try WorkerProcess(harness, batchSize: 100, extraArguments: ["--no-relay", "--no-sweeper"])
        try await waitUntil(timeout: .seconds(60)) { (try? harness.scalar("SELECT count(*) FROM orders")) ?? 0 > 0 }
        let admin = try PostgresConnection(url: databaseURL)
        var killed = 0
        // The worker's connection, terminated five times while it writes batch after batch.
        while killed < 5, (try harness.scalar("SELECT count(*) FROM orders") ?? 0) < Int64(total) {
            let result = try admin.execute("""
                SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
                WHERE application_name = 'orderflow-worker' AND pid <> pg_backend_pid()
                """)
            killed += result.rows.count { $0.first == "t" }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(total), timeout: .seconds(120))
        try await waitUntil(timeout: .seconds(30)) { (try? harness.queueDepth()) == 0 }
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        #expect(killed >= 1, "a backend was killed while the worker was busy")
        #expect(try harness.scalar("SELECT count(*) FROM order_lines") == expectedLines)
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == Int64(total))
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 0, "a killed backend is an outage, never a reject")
        print("backend kills: \(killed) worker backends terminated mid-stream; \(total) orders stored once, 0 rejects")
    }

    @Test func theQueueDeletedAndDeclaredAgainGetsItsConsumerBack() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try harness.publish((1...200).map { ("order.canonical", CanonicalSamples.order($0), "q-\($0)") })
        let worker = try WorkerProcess(harness, extraArguments: ["--no-relay", "--no-sweeper"])
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: 200)
        try harness.deleteQueue()
        // The broker cancels the consumer; the worker keeps trying to subscribe until the queue is back.
        try await waitUntil(timeout: .seconds(30)) { worker.log.contains("broker cancelled the consumer") }
        try harness.declareQueue()
        try await waitUntil(timeout: .seconds(60)) { (try? harness.consumerCount()) == 1 }
        try harness.publish((201...400).map { ("order.canonical", CanonicalSamples.order($0), "q-\($0)") })
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: 400)
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
    }
}
