import Foundation
import LibPQ
import OrdersTestSupport
import Testing

/// Faults that leave the servers running: a database backend killed mid-transaction, the ingest
/// queue deleted and declared again. Against the `orderflow worker` binary.
@Suite("ingest through killed backends and a deleted queue", .serialized, .workerSlot)
struct BackendAndQueueTests {
    @Test func backendsKilledMidTransactionRollBackAndNothingIsStoredTwice() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let total = 10_000
        let expectedLines = Int64((1...total).reduce(0) { $0 + 1 + $1 % 3 })
        // Its own application name, so that only this test's worker loses its connections.
        let applicationName = "backend-kill-\(harness.schema)"
        let worker = try WorkerProcess(
            harness, batchSize: 100, extraArguments: ["--no-relay", "--no-sweeper"],
            extraEnvironment: ["ORDERFLOW_DATABASE_URL": harness.databaseURL + "&application_name=\(applicationName)"])
        let admin = try PostgresConnection(url: databaseURL)
        var killed = 0
        // Five rounds: a chunk of orders, then the worker's connection terminated whatever it is doing.
        for chunk in stride(from: 1, through: total, by: total / 5) {
            try harness.publish(
                (chunk..<chunk + total / 5).map {
                    ("order.canonical", CanonicalSamples.order($0, lines: 1 + $0 % 3), "b-\($0)")
                })
            try await waitUntil(timeout: .seconds(60)) {
                (try? harness.scalar("SELECT count(*) FROM orders")) ?? 0 > Int64(chunk)
            }
            let result = try admin.execute(
                """
                SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1
                """, [.text(applicationName)])
            killed += result.rows.count { $0.first == "t" }
        }
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(total), timeout: .seconds(120))
        try await waitUntil(timeout: .seconds(30)) { (try? harness.queueDepth()) == 0 }
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        #expect(killed >= 5, "the worker's backend was terminated in every round")
        #expect(try harness.scalar("SELECT count(*) FROM order_lines") == expectedLines)
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == Int64(total))
        #expect(
            try harness.scalar("SELECT count(*) FROM rejects") == 0, "a killed backend is an outage, never a reject")
        print(
            "backend kills: \(killed) worker backends terminated during the stream; \(total) orders stored once, 0 "
                + "rejects"
        )
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
        let declared = ContinuousClock.now
        try await waitUntil(timeout: .seconds(60)) { (try? harness.consumerCount()) == 1 }
        let resubscribed = ContinuousClock.now - declared
        try harness.publish((201...400).map { ("order.canonical", CanonicalSamples.order($0), "q-\($0)") })
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: 400)
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        print(
            "queue deleted and declared again: the broker counts the worker's consumer \(resubscribed) after the "
                + "declare; 400 orders stored"
        )
    }
}
