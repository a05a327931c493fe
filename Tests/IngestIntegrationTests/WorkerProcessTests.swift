import Foundation
import OrdersTestSupport
import Testing

/// The `orderflow worker` binary under SIGKILL and SIGTERM, against real servers.
@Suite("worker process: kill and shutdown", .serialized, .workerSlot)
struct WorkerProcessTests {
    static let orders = 20_000

    @Test func sigkillMidStreamThenRestartLeavesExactlyTheOrdersAndNoDuplicateLines() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try harness.publish(
            (1...Self.orders).map { ("order.canonical", CanonicalSamples.order($0, lines: 1 + $0 % 3), "k-\($0)") })
        let expectedLines = Int64((1...Self.orders).reduce(0) { $0 + 1 + $1 % 3 })

        var killed = 0
        for round in 0..<3 {
            let worker = try WorkerProcess(harness)
            // Kill it mid-stream, at a different point each round.
            let target = Int64(Self.orders / 5 * (round + 1))
            try await waitUntil(timeout: .seconds(120)) {
                (try? harness.scalar("SELECT count(*) FROM orders")) ?? 0 >= target
            }
            worker.signal(SIGKILL)
            _ = try await worker.waitForExit()
            killed += 1
        }
        let finisher = try WorkerProcess(harness)
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(Self.orders), timeout: .seconds(180))
        try await waitUntil(timeout: .seconds(30)) { (try? harness.queueDepth()) == 0 }
        finisher.signal(SIGTERM)
        let status = try await finisher.waitForExit()
        #expect(status == 0, "exit status \(status); log: \(finisher.log.suffix(3000))")
        #expect(killed == 3)
        #expect(try harness.scalar("SELECT count(*) FROM orders") == Int64(Self.orders))
        #expect(try harness.scalar("SELECT count(*) FROM order_lines") == expectedLines)
        #expect(
            try harness.scalar("SELECT count(*) FROM (SELECT DISTINCT order_id, sku FROM order_lines) d")
                == expectedLines)
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 0)
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == Int64(Self.orders))
        print(
            "SIGKILL mid-stream: \(killed) kills, \(Self.orders) orders and \(expectedLines) lines stored once after "
                + "the restart"
        )
    }

    @Test func sigtermUnderLoadDrainsExitsZeroAndLosesNothing() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let worker = try WorkerProcess(harness)
        // Publish while the worker consumes, then stop it in the middle of the stream.
        let publishing = Task.detached {
            for chunk in stride(from: 1, through: Self.orders, by: 2000) {
                try harness.publish(
                    (chunk..<min(chunk + 2000, Self.orders + 1)).map {
                        ("order.canonical", CanonicalSamples.order($0), "t-\($0)")
                    })
            }
        }
        try await waitUntil(timeout: .seconds(120)) {
            (try? harness.scalar("SELECT count(*) FROM orders")) ?? 0 >= 3000
        }
        worker.signal(SIGTERM)
        let status = try await worker.waitForExit(timeout: .seconds(30))
        #expect(status == 0, "exit status \(status); log: \(worker.log.suffix(2000))")
        #expect(worker.log.contains("ingest worker stopped"))
        try await publishing.value
        let storedAtStop = try harness.scalar("SELECT count(*) FROM orders") ?? 0
        #expect(storedAtStop < Int64(Self.orders), "the stop came mid-stream")
        // Nothing was lost: a new worker stores the rest, and nothing twice.
        let second = try WorkerProcess(harness)
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(Self.orders), timeout: .seconds(180))
        second.signal(SIGTERM)
        let secondStatus = try await second.waitForExit()
        #expect(secondStatus == 0, "exit status \(secondStatus); log: \(second.log.suffix(3000))")
        #expect(try harness.scalar("SELECT count(*) FROM order_lines") == Int64(2 * Self.orders))
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == Int64(Self.orders))
        #expect(try harness.queueDepth() == 0)
        print(
            "SIGTERM under load: exit 0 with \(storedAtStop) of \(Self.orders) stored; the rest stored by the next "
                + "worker, nothing twice"
        )
    }

    @Test func startingWithTheDatabaseUnreachableWaitsInsteadOfExiting() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try harness.publish((1...50).map { ("order.canonical", CanonicalSamples.order($0), "w-\($0)") })
        // A database URL that refuses connections: the worker must keep the messages and keep trying.
        let worker = try WorkerProcess(
            harness,
            extraEnvironment: ["ORDERFLOW_DATABASE_URL": "postgres://orderflow:x@127.0.0.1:1/none?connect_timeout=1"])
        try await Task.sleep(for: .seconds(3))
        #expect(worker.process.isRunning)
        #expect(worker.log.contains("database unreachable; batch kept unacked, retrying"))
        #expect(!worker.log.contains("orderflow:x@"), "the database password never reaches the log")
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        try await Task.sleep(for: .milliseconds(500))
        #expect(try harness.queueDepth() == 50, "nothing was acked without a commit")
    }

    @Test func sigtermWhileStillStartingIsAGracefulStop() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try harness.publish((1...20).map { ("order.canonical", CanonicalSamples.order($0), "e-\($0)") })
        for _ in 0..<5 {
            let worker = try WorkerProcess(harness)
            #expect(worker.handlesSignal(SIGTERM))
            worker.signal(SIGTERM)
            let status = try await worker.waitForExit(timeout: .seconds(30))
            #expect(status == 0, "exit status \(status); log: \(worker.log.suffix(2000))")
            #expect(worker.process.terminationReason == .exit)
        }
        // Whatever a stopped worker took, it stored or gave back.
        let finisher = try WorkerProcess(harness)
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: 20)
        finisher.signal(SIGTERM)
        #expect(try await finisher.waitForExit() == 0)
    }
}
