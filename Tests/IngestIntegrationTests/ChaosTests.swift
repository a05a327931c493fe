import Foundation
import OrdersDomain
import OrdersTestSupport
import Testing

/// Faults while the servers stay up but stop answering, and the long chaos run. These restart or
/// freeze the local servers: the first suite runs with the fault tests, the second only with
/// `deploy/local.sh test --chaos`.
@Suite("broker frozen (SIGSTOP) under the worker", .serialized)
struct BrokerFreezeFaultTests {
    @Test func aFrozenBrokerIsDetectedWithinTwoHeartbeatsAndTheWorkerReconnectsAfterIt() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try harness.publish((1...500).map { ("order.canonical", CanonicalSamples.order($0), "f-\($0)") })
        let worker = try WorkerProcess(harness, extraArguments: ["--no-relay", "--no-sweeper"],
                                       extraEnvironment: ["ORDERFLOW_AMQP_URL": amqpURL + "?heartbeat=2"])
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: 500)
        try localStack("freeze", "rabbitmq")
        let frozenAt = ContinuousClock.now
        var detected = false
        do {
            try await waitUntil(timeout: .seconds(15)) { worker.log.contains("broker connection lost") }
            detected = true
        } catch {}
        let detectedAfter = ContinuousClock.now - frozenAt
        try localStack("thaw", "rabbitmq")
        #expect(detected, "a silent broker is noticed: \(worker.log.suffix(1000))")
        #expect(detectedAfter < .seconds(10), "within about two heartbeat intervals (2 s each), not \(detectedAfter)")
        try harness.publish((501...1000).map { ("order.canonical", CanonicalSamples.order($0), "f-\($0)") })
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: 1000, timeout: .seconds(120))
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == 1000)
        print("broker frozen: the worker noticed after \(detectedAfter), reconnected after the thaw, 1000 orders stored once")
    }
}

@Suite("chaos: kills and broker restarts under load", .serialized)
struct ChaosTests {
    @Test func fiftyThousandOrdersThroughRandomKillsAndTwoBrokerRestarts() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let orders = 50_000, parcels = 10_000
        let expectedLines = Int64((1...orders).reduce(0) { $0 + 1 + $1 % 3 })
        try harness.publish((1...orders).map { ("order.canonical", CanonicalSamples.order($0, lines: 1 + $0 % 3), "x-\($0)") })
        let shippedAt = UTCTimestamp.now().rfc3339
        try harness.publish((1...parcels).map { ("shipment.canonical", CanonicalSamples.shipment($0, shippedAt: shippedAt), "y-\($0)") })

        var workers = try (0..<2).map { _ in try WorkerProcess(harness, extraArguments: ["--no-sweeper"]) }
        var kills = 0, restarts = 0
        let start = ContinuousClock.now
        func done() -> Bool {
            (try? harness.scalar("SELECT count(*) FROM orders")) == Int64(orders)
                && (try? harness.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL")) == 0
                && (try? harness.scalar("SELECT count(*) FROM outbox")) == Int64(parcels)
        }
        while !done() {
            guard ContinuousClock.now - start < .seconds(600) else { Issue.record("not done after 10 minutes"); break }
            try await Task.sleep(for: .milliseconds(Int.random(in: 1500...4000)))
            if restarts < 2, ContinuousClock.now - start > .seconds(restarts == 0 ? 8 : 25) {
                try localStack("stop", "rabbitmq")
                try localStack("start", "rabbitmq")
                restarts += 1
                continue
            }
            let victim = Int.random(in: 0..<workers.count)
            workers[victim].signal(SIGKILL)
            _ = try await workers[victim].waitForExit()
            workers[victim] = try WorkerProcess(harness, extraArguments: ["--no-sweeper"])
            kills += 1
        }
        try await waitUntil(timeout: .seconds(60)) { (try? harness.queueDepth()) == 0 }
        let events = try await harness.takeEvents(count: parcels, timeout: .seconds(120))
        for worker in workers { worker.signal(SIGTERM) }
        for worker in workers { #expect(try await worker.waitForExit() == 0) }

        #expect(try harness.scalar("SELECT count(*) FROM orders") == Int64(orders))
        #expect(try harness.scalar("SELECT count(*) FROM order_lines") == expectedLines)
        #expect(try harness.scalar("SELECT count(*) FROM shipments") == Int64(parcels))
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == Int64(orders + parcels))
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 0)
        let distinct = Set(events.compactMap(\.messageID))
        let retried = try harness.scalar("SELECT coalesce(sum(attempts - 1), 0) FROM outbox") ?? 0
        #expect(distinct.count == parcels)
        #expect(Int64(events.count - distinct.count) <= retried)
        print("chaos: \(orders) orders and \(parcels) parcels through \(kills) SIGKILLs and \(restarts) broker restarts in \(ContinuousClock.now - start): "
              + "all stored once, \(distinct.count) events, \(events.count - distinct.count) duplicate(s) (\(retried) counted retries)")
    }
}
