import AMQP
import LibPQ
import Foundation
import OrdersDomain
import OrdersWorkers
import OrdersTestSupport
import Testing

/// The worker through server outages. These stop and start the local servers, so they run alone
/// (`deploy/local.sh test` runs everything named `FaultTests` after the rest).
@Suite("ingest worker faults (restarts the local servers)", .serialized, .workerSlot)
struct IngestFaultTests {
    @Test func postgresStoppedUnderLoadLosesNothingRejectsNothingAndResumes() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let total = 4000
        let recovery = try await harness.withWorker { progress in
            try harness.publish((1...total / 2).map { ("order.canonical", CanonicalSamples.order($0), "pg-\($0)") })
            try await waitUntil(timeout: .seconds(60)) { progress.stored > 0 }
            try localStack("stop", "postgres")
            // Messages keep arriving while the database is away.
            try harness.publish(
                (total / 2 + 1...total).map { ("order.canonical", CanonicalSamples.order($0), "pg-\($0)") })
            try await Task.sleep(for: .seconds(20))
            try localStack("start", "postgres")
            let back = ContinuousClock.now
            try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(total), timeout: .seconds(120))
            return ContinuousClock.now - back
        }
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 0)
        #expect(try harness.scalar("SELECT count(*) FROM order_lines") == Int64(2 * total))
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == Int64(total))
        #expect(try harness.queueDepth() == 0)
        print(
            "postgres stopped 20 s under load: \(total) orders stored once, 0 rejects, all stored \(recovery) after "
                + "it came back"
        )
    }

    @Test func brokerRestartedTwiceTheSameWorkerReconnectsAndFinishes() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let total = 3000
        let reconnects = try await harness.withWorker { progress in
            var reconnects: [Duration] = []
            for round in 0..<2 {
                let base = round * total / 2
                try harness.publish(
                    (base + 1...base + total / 2).map { ("order.canonical", CanonicalSamples.order($0), "mq-\($0)") })
                try await waitUntil(timeout: .seconds(60)) { progress.stored > base }
                try localStack("stop", "rabbitmq")
                try localStack("start", "rabbitmq")
                let started = ContinuousClock.now
                try await waitUntil(timeout: .seconds(90)) { progress.isConsuming }
                reconnects.append(ContinuousClock.now - started)
            }
            try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(total), timeout: .seconds(120))
            return reconnects
        }
        #expect(try harness.scalar("SELECT count(*) FROM order_lines") == Int64(2 * total))
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == Int64(total))
        #expect(try harness.queueDepth() == 0)
        print(
            "broker restarted twice under one worker: consuming again "
                + "\(reconnects.map { "\($0)" }.joined(separator: " and ")) "
                + "after the broker was back; \(total) orders stored once")
    }
}

extension IngestFaultTests {
    @Test func relaySurvivesABrokerRestartWithoutLosingEvents() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let parcels = 12_000
        try OutboxTests.store((1...parcels).map { CanonicalSamples.order($0) }, in: harness)
        let shippedAt = UTCTimestamp.now().rfc3339
        try OutboxTests.store(
            (1...parcels).map { CanonicalSamples.shipment($0, shippedAt: shippedAt) }, in: harness,
            routingKey: "shipment.canonical")

        // The second half is held by row locks (the relay claims with SKIP LOCKED), so the broker
        // goes down mid-stream however fast the relay is; the locks go while it is down.
        let holder = try PostgresConnection(url: harness.databaseURL)
        try holder.execute("BEGIN")
        try holder.execute(
            "SELECT id FROM outbox WHERE id > (SELECT min(id) FROM outbox) + $1::bigint FOR UPDATE",
            [.int(Int64(parcels / 2) - 1)])
        let relay = try harness.relay(batchSize: 100)
        try await withRunningService(relay) {
            try await harness.waitFor(
                "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL", toBe: Int64(parcels / 2))
            try localStack("stop", "rabbitmq")
            let publishedAtStop = try harness.scalar("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL") ?? 0
            #expect(publishedAtStop < Int64(parcels), "the restart came mid-stream")
            try holder.execute("COMMIT")
            try await Task.sleep(for: .seconds(1))  // the relay meets the outage with events to publish
            try localStack("start", "rabbitmq")
            try await harness.waitFor(
                "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL", toBe: Int64(parcels),
                timeout: .seconds(120))
        }
        let events = try await harness.takeEvents(count: parcels)
        let distinct = Set(events.compactMap(\.messageID))
        let retried = try harness.scalar("SELECT coalesce(sum(attempts - 1), 0) FROM outbox") ?? 0
        print(
            "relay broker-restart test: \(events.count) events for \(parcels) parcels, "
                + "\(events.count - distinct.count) duplicate(s), \(retried) retried attempt(s)"
        )
        #expect(distinct.count == parcels)
        #expect(Int64(events.count - distinct.count) <= retried)
    }
}

func localStack(_ arguments: String...) throws { try LocalStack.run(arguments) }
