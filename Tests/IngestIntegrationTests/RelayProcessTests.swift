import Foundation
import OrdersDomain
import OrdersTestSupport
import Testing

/// The relay inside `orderflow worker` processes that are killed: events are published after a
/// restart, none is lost, and a duplicate (same eventId) only follows a crash and is counted.
@Suite("outbox relay process: kill and restart", .serialized, .workerSlot)
struct RelayProcessTests {
    @Test func workerKilledBetweenCommitAndPublishPublishesAfterRestart() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let orders = 300
        try harness.publish((1...orders).map { ("order.canonical", CanonicalSamples.order($0), "o-\($0)") })
        try harness.publish(
            (1...orders).map {
                ("shipment.canonical", CanonicalSamples.shipment($0, shippedAt: UTCTimestamp.now().rfc3339), "s-\($0)")
            })
        // A worker whose relay is off commits every parcel and its event, then dies before publishing.
        let committer = try WorkerProcess(harness, extraArguments: ["--no-relay", "--no-sweeper"])
        try await harness.waitFor("SELECT count(*) FROM outbox", toBe: Int64(orders), timeout: .seconds(120))
        committer.signal(SIGKILL)
        _ = try await committer.waitForExit()
        #expect(try harness.queueDepth(harness.eventsQueue) == 0)

        let restarted = try WorkerProcess(harness, extraArguments: ["--no-sweeper"])
        let events = try await harness.takeEvents(count: orders, timeout: .seconds(120))
        restarted.signal(SIGTERM)
        #expect(try await restarted.waitForExit() == 0)
        #expect(events.count == orders)
        #expect(Set(events.compactMap(\.messageID)).count == orders)
        #expect(try harness.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0)
    }

    @Test func relayKilledMidStreamLosesNoEventAndCountsEveryDuplicate() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let orders = 4000
        try harness.publish((1...orders).map { ("order.canonical", CanonicalSamples.order($0), "o-\($0)") })
        let shippedAt = UTCTimestamp.now().rfc3339
        try harness.publish(
            (1...orders).map { ("shipment.canonical", CanonicalSamples.shipment($0, shippedAt: shippedAt), "s-\($0)") })
        for round in 1...2 {
            let worker = try WorkerProcess(harness, extraArguments: ["--no-sweeper"])
            let target = Int64(orders / 4 * round)
            try await waitUntil(timeout: .seconds(120)) {
                (try? harness.scalar("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL")) ?? 0 >= target
            }
            worker.signal(SIGKILL)
            _ = try await worker.waitForExit()
        }
        let finisher = try WorkerProcess(harness, extraArguments: ["--no-sweeper"])
        // A killed relay's lease (30 s) must run out before its claimed events go out again.
        try await harness.waitFor(
            "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL", toBe: Int64(orders), timeout: .seconds(180))
        let events = try await harness.takeEvents(count: orders, timeout: .seconds(60))
        finisher.signal(SIGTERM)
        #expect(try await finisher.waitForExit() == 0)

        let distinct = Set(events.compactMap(\.messageID))
        #expect(distinct.count == orders, "every event arrived")
        let duplicates = events.count - distinct.count
        let retried = try harness.scalar("SELECT coalesce(sum(attempts - 1), 0) FROM outbox") ?? 0
        print(
            "relay kill test: \(events.count) events for \(orders) parcels, \(duplicates) duplicate(s), \(retried) "
                + "retried attempt(s)"
        )
        #expect(Int64(duplicates) <= retried, "a duplicate only follows an attempt the outbox counted")
    }
}
