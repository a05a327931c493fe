import AMQP
import Foundation
import OrdersWorkers
import OrdersTestSupport
import Testing

/// The worker through server outages. These stop and start the local servers, so they run alone
/// (`deploy/local.sh test` runs everything named `FaultTests` after the rest).
@Suite("ingest worker faults (restarts the local servers)", .serialized)
struct IngestFaultTests {
    @Test func postgresStoppedUnderLoadLosesNothingRejectsNothingAndResumes() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let total = 4000
        try await harness.withWorker { progress in
            try harness.publish((1...total / 2).map { ("order.canonical", CanonicalSamples.order($0), "pg-\($0)") })
            try await waitUntil(timeout: .seconds(60)) { progress.stored > 0 }
            try localStack("stop", "postgres")
            // Messages keep arriving while the database is away.
            try harness.publish((total / 2 + 1...total).map { ("order.canonical", CanonicalSamples.order($0), "pg-\($0)") })
            try await Task.sleep(for: .seconds(5))
            try localStack("start", "postgres")
            try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(total), timeout: .seconds(120))
        }
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 0)
        #expect(try harness.scalar("SELECT count(*) FROM order_lines") == Int64(2 * total))
        #expect(try harness.queueDepth() == 0)
    }

    @Test func brokerRestartedTwiceTheSameWorkerReconnectsAndFinishes() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let total = 3000
        try await harness.withWorker { progress in
            for round in 0..<2 {
                let base = round * total / 2
                try harness.publish((base + 1...base + total / 2).map { ("order.canonical", CanonicalSamples.order($0), "mq-\($0)") })
                try await waitUntil(timeout: .seconds(60)) { progress.stored > base }
                try localStack("stop", "rabbitmq")
                try localStack("start", "rabbitmq")
                try await waitUntil(timeout: .seconds(90)) { progress.isConsuming }
            }
            try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(total), timeout: .seconds(120))
        }
        #expect(try harness.scalar("SELECT count(*) FROM order_lines") == Int64(2 * total))
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == Int64(total))
        #expect(try harness.queueDepth() == 0)
    }
}

func localStack(_ arguments: String...) throws { try LocalStack.run(arguments) }
