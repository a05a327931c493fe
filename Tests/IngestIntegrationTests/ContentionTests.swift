import Foundation
import LibPQ
import OrdersTestSupport
import Testing

/// Workers whose batches share orders: every order comes in several versions, and most with a
/// parcel notice, shuffled over the queue, so concurrent batches of four worker processes hold the
/// same orders in different arrival orders. Batches write in one canonical order, so none of them
/// deadlocks, and the newest version of every order is what is stored.
@Suite("worker processes: batches that share orders", .serialized, .workerSlot)
struct ContentionTests {
    static let orders = 3_000
    static let versions = 6
    static let parcels = 2_000

    @Test func fourWorkersOnSharedOrdersNeverDeadlockAndKeepTheNewestVersion() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        // Version v of order n: updated at hour 10+v, with v+1 lines; the newest is the last version.
        var messages = (1...Self.orders).flatMap { n in
            (1...Self.versions).map { v in
                (
                    "order.canonical",
                    CanonicalSamples.order(
                        n, updatedAt: "2026-11-02T\(10 + v):00:00Z", status: v == Self.versions ? "shipped" : "paid",
                        lines: v + 1),
                    Optional("contention-\(n)-v\(v)")
                )
            }
        }
        messages += (1...Self.parcels).map {
            ("shipment.canonical", CanonicalSamples.shipment($0), Optional("contention-\($0)-parcel"))
        }
        messages.shuffle()
        try harness.publish(messages)

        let workers = try (1...4).map { _ in
            try WorkerProcess(harness, batchSize: 200, extraEnvironment: ["ORDERFLOW_METRICS_ADDR": "127.0.0.1:0"])
        }
        let endpoints = try await workers.asyncMap { try await MetricsEndpointTests.endpoint(of: $0) }
        try await harness.waitFor(
            "SELECT count(*) FROM processed_messages", toBe: Int64(messages.count), timeout: .seconds(600))

        var deadlocks = 0.0
        for endpoint in endpoints {
            let scrape = try await MetricsEndpointTests.get(endpoint + "/metrics")
            let samples = MetricsEndpointTests.samples(scrape.body)
            let count = try #require(samples["orderflow_db_deadlocks_total"], "no deadlock metric in:\n\(scrape.body)")
            deadlocks += count
        }
        for worker in workers { worker.signal(SIGTERM) }
        for worker in workers {
            let status = try await worker.waitForExit()
            #expect(status == 0, "exit status \(status); log: \(worker.log.suffix(2000))")
        }
        let logged = workers.map { $0.log.components(separatedBy: "deadlock").count - 1 }.reduce(0, +)
        #expect(deadlocks == 0, "deadlocks counted by the workers' metrics")
        #expect(logged == 0, "deadlocks in the workers' logs")
        #expect(try harness.scalar("SELECT count(*) FROM orders") == Int64(Self.orders))
        let newest = "2026-11-02T\(10 + Self.versions):00:00Z"
        #expect(
            try harness.scalar(
                "SELECT count(*) FROM orders WHERE updated_at = $1::timestamptz AND status = 'shipped'", [.text(newest)]
            )
                == Int64(Self.orders))
        #expect(
            try harness.scalar("SELECT count(*) FROM order_lines") == Int64(Self.orders * (Self.versions + 1)),
            "every order has the newest version's lines, no more")
        #expect(try harness.scalar("SELECT count(*) FROM shipments WHERE order_id IS NOT NULL") == Int64(Self.parcels))
        #expect(try harness.scalar("SELECT count(*) FROM outbox") == Int64(Self.parcels), "one event per parcel")
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 0)
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
