import Foundation
import OrdersTestSupport
import Testing

/// Horizontal scaling: 1, 2 and 4 `orderflow worker` processes drain the same backlog on one
/// queue. Each order is stored exactly once whatever the number of workers; the throughput of each
/// run is printed (`ORDERFLOW_BIN=.build/release/orderflow` for figures worth quoting).
@Suite("worker processes: scaling out", .serialized, .workerSlot)
struct ScalingTests {
    static let backlog = Int(ProcessInfo.processInfo.environment["ORDERFLOW_SCALING_BACKLOG"] ?? "") ?? 20_000

    @Test(arguments: [1, 2, 4])
    func workersDrainOneBacklogAndStoreEachOrderOnce(workers: Int) async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try harness.publish(
            (1...Self.backlog).map { ("order.canonical", CanonicalSamples.order($0, lines: 1 + $0 % 3), "scale-\($0)") }
        )

        let start = ContinuousClock.now
        let processes = try (0..<workers).map { _ in try WorkerProcess(harness, batchSize: 500) }
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(Self.backlog), timeout: .seconds(600))
        let elapsed = start.duration(to: .now)
        let rate =
            Double(Self.backlog) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        print(
            "scaling: \(workers) worker process(es) drained \(Self.backlog) orders in "
                + "\(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))) = "
                + "\(Int(rate.rounded())) orders/s"
        )

        try await waitUntil(timeout: .seconds(30)) { (try? harness.queueDepth()) == 0 }
        for process in processes { process.signal(SIGTERM) }
        for process in processes {
            let status = try await process.waitForExit()
            #expect(status == 0, "exit status \(status); log: \(process.log.suffix(2000))")
        }
        #expect(try harness.scalar("SELECT count(*) FROM orders") == Int64(Self.backlog))
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == Int64(Self.backlog))
        #expect(
            try harness.scalar(
                "SELECT count(*) FROM (SELECT channel, external_id FROM orders GROUP BY 1, 2 HAVING count(*) > 1) d")
                == 0)
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 0)
        if workers > 1 {
            // Every worker took part: each one's log has a stored count above zero.
            let busy = processes.filter {
                $0.log.contains("ingest worker stopped") && !$0.log.contains("orders.stored=0")
            }
            #expect(busy.count == workers, "workers that stored something: \(busy.count) of \(workers)")
        }
    }
}
