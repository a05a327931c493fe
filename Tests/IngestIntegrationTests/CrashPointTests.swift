import Foundation
import LibPQ
import OrdersDomain
import OrdersTestSupport
import Testing

/// The worker binary aborted at each fault-injection point (ORDERFLOW_FAULT_INJECTION), repeatedly,
/// then restarted: exact counts at the end, nothing lost, nothing stored twice.
@Suite("crash points: abort between the steps of ingest and relay", .serialized, .workerSlot)
struct CrashPointTests {
    static let orders = 2000

    @Test(arguments: ["before-commit", "after-commit"])
    func ingestAbortedAtTheCrashPointStoresEveryOrderOnce(point: String) async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try harness.publish(
            (1...Self.orders).map { ("order.canonical", CanonicalSamples.order($0, lines: 1 + $0 % 3), "c-\($0)") })
        let expectedLines = Int64((1...Self.orders).reduce(0) { $0 + 1 + $1 % 3 })
        for round in 1...3 {
            let crashing = try WorkerProcess(
                harness, batchSize: 100, extraArguments: ["--no-relay", "--no-sweeper"],
                extraEnvironment: ["ORDERFLOW_FAULT_INJECTION": point, "ORDERFLOW_FAULT_AFTER": String(round * 2 - 1)])
            _ = try await crashing.waitForExit()
            #expect(
                crashing.process.terminationReason == .uncaughtSignal, "round \(round): \(crashing.log.suffix(500))")
            #expect(crashing.log.contains("aborting at \(point)"))
            if round == 1 && point == "before-commit" {
                #expect(
                    try harness.scalar("SELECT count(*) FROM orders") == 0,
                    "the batch aborted before its COMMIT left nothing")
            }
        }
        let stored = try harness.scalar("SELECT count(*) FROM orders") ?? 0
        let finisher = try WorkerProcess(harness)
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(Self.orders), timeout: .seconds(120))
        try await waitUntil(timeout: .seconds(30)) { (try? harness.queueDepth()) == 0 }
        finisher.signal(SIGTERM)
        #expect(try await finisher.waitForExit() == 0)
        #expect(try harness.scalar("SELECT count(*) FROM order_lines") == expectedLines)
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == Int64(Self.orders))
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 0)
        print(
            "crash point \(point): 3 aborts, \(stored) orders committed before the restart, \(Self.orders) stored "
                + "once at the end"
        )
    }

    @Test func relayAbortedBetweenPublishAndMarkRepublishesWithTheSameEventIds() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let parcels = 600
        let shippedAt = UTCTimestamp.now().rfc3339
        try harness.publish((1...parcels).map { ("order.canonical", CanonicalSamples.order($0), "o-\($0)") })
        try harness.publish(
            (1...parcels).map { ("shipment.canonical", CanonicalSamples.shipment($0, shippedAt: shippedAt), "s-\($0)") }
        )
        let ingest = try WorkerProcess(harness, extraArguments: ["--no-relay", "--no-sweeper"])
        try await harness.waitFor("SELECT count(*) FROM outbox", toBe: Int64(parcels), timeout: .seconds(120))
        ingest.signal(SIGTERM)
        #expect(try await ingest.waitForExit() == 0)

        let crashing = try WorkerProcess(
            harness, extraArguments: ["--no-sweeper"], extraEnvironment: ["ORDERFLOW_FAULT_INJECTION": "after-publish"])
        _ = try await crashing.waitForExit()
        #expect(crashing.process.terminationReason == .uncaughtSignal)
        #expect(
            try harness.scalar("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL") == 0,
            "the aborted relay marked nothing")

        // The claim's lease (30 s) runs out, then the next relay publishes everything.
        let finisher = try WorkerProcess(harness, extraArguments: ["--no-sweeper"])
        try await harness.waitFor(
            "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL", toBe: Int64(parcels), timeout: .seconds(120))
        let events = try await harness.takeEvents(count: parcels + 1)
        finisher.signal(SIGTERM)
        #expect(try await finisher.waitForExit() == 0)
        let distinct = Set(events.compactMap(\.messageID))
        let duplicates = events.count - distinct.count
        let retried = try harness.scalar("SELECT coalesce(sum(attempts - 1), 0) FROM outbox") ?? 0
        #expect(distinct.count == parcels)
        #expect(duplicates > 0, "the aborted batch went out twice")
        #expect(Int64(duplicates) == retried, "every duplicate is an attempt the outbox counted, and only those")
        print(
            "crash point after-publish: \(events.count) events for \(parcels) parcels, \(duplicates) duplicate(s) "
                + "with the same eventId, \(retried) counted"
        )
    }
}

extension CrashPointTests {
    /// A message that crashes the worker every time (ORDERFLOW_FAULT_INJECTION=poison), restarted as
    /// systemd would: after a bounded number of crashes it is kept as a reject, and the messages that
    /// were in flight with it each time are all stored (none reaches the delivery limit).
    @Test func aMessageThatCrashesTheWorkerEveryTimeIsSetAsideAndTheOthersAreStored() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let total = 1500
        try harness.publish(
            (1...total).map { n in
                (
                    "order.canonical",
                    CanonicalSamples.order(n, email: n == 700 ? "crash-me@example.com" : "lena.vogel@example.de"),
                    "p-\(n)"
                )
            })
        var crashes = 0
        for _ in 0..<8 {
            let worker = try WorkerProcess(
                harness, extraArguments: ["--no-relay", "--no-sweeper"],
                extraEnvironment: [
                    "ORDERFLOW_FAULT_INJECTION": "poison", "ORDERFLOW_FAULT_MARKER": "crash-me@",
                ])
            try await waitUntil(timeout: .seconds(60)) {
                !worker.process.isRunning
                    || ((try? harness.scalar("SELECT count(*) FROM orders")) ?? 0)
                        + ((try? harness.scalar("SELECT count(*) FROM rejects")) ?? 0) == Int64(total)
            }
            if worker.process.isRunning {
                worker.signal(SIGTERM)
                #expect(try await worker.waitForExit() == 0)
                break
            }
            #expect(worker.process.terminationReason == .uncaughtSignal && worker.log.contains("poison"))
            crashes += 1
        }
        #expect(crashes == 3, "one crash in a batch, then two attempts of the suspect alone")
        #expect(try harness.scalar("SELECT count(*) FROM orders") == Int64(total - 1))
        let reject = try harness.query("SELECT message_id, reason FROM rejects")
        #expect(reject.count == 1 && reject[0, "message_id"] == "p-700")
        #expect(reject[0, "reason"]?.contains("ended without a commit") == true)
        #expect(try harness.scalar("SELECT count(*) FROM ingest_suspects") == 0)
        #expect(try harness.queueDepth() == 0)
        print(
            "poison message: \(crashes) crashes, then set aside as a reject; \(total - 1) other orders stored, none "
                + "lost to the delivery limit"
        )
    }
}
