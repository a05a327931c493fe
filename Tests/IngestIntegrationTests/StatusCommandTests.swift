import Foundation
import OrdersTestSupport
import Testing

/// `orderflow status` against real servers: queue depth and consumers, outbox age, rejects,
/// emails, and the alerts with `--check`.
@Suite("status command", .workerSlot)
struct StatusCommandTests {
    @Test func reportsQueuesOutboxRejectsAndEmailsAndAlerts() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let missing = "test.missing.\(UUID().uuidString.prefix(8))"
        try harness.publish((1...3).map { ("order.canonical", CanonicalSamples.order($0), "s-\($0)") })
        let args = ["status", "--queue", harness.queue, "--queue", missing]

        // No consumer while messages wait: an alert; a missing queue is shown as such.
        let idle = try OrderflowCommand.run(args + ["--check"], databaseURL: harness.databaseURL)
        #expect(idle.status == 2, "\(idle.output)")
        #expect(Self.row(idle.output, harness.queue) == ["3", "0"], "\(idle.output)")
        #expect(Self.row(idle.output, missing) == ["missing", "-"], "\(idle.output)")
        #expect(idle.output.contains("! \(harness.queue) has 3 message(s) waiting and no consumer"))

        try await harness.withWorker { _ in
            try await harness.waitFor("SELECT count(*) FROM orders", toBe: 3)
            try await waitUntil(timeout: .seconds(10)) { (try? harness.queueDepth()) == 0 }
            _ = try harness.query(
                """
                INSERT INTO outbox (type, subject, order_id, created_at)
                SELECT 'order.delayed', 'delay:' || id, id, now() - interval '10 minutes' FROM orders WHERE \
                external_id = 'T-1'
                """)
            _ = try harness.query(
                "INSERT INTO rejects (routing_key, reason, body) VALUES ('order.canonical', 'unknown currency XYZ', "
                    + "'x')"
            )
            _ = try harness.query(
                """
                INSERT INTO emails (event_id, event_type, recipient, status, smtp_reply) VALUES
                  (gen_random_uuid(), 'shipment.dispatched', 'a@example.com', 'sent', '250 ok'),
                  (gen_random_uuid(), 'shipment.dispatched', 'b@example.com', 'failed', '550 mailbox unavailable')
                """)
            let busy = try OrderflowCommand.run(args + ["--outbox-age-alert", "300"], databaseURL: harness.databaseURL)
            #expect(busy.status == 0, "without --check alerts do not change the exit status: \(busy.output)")
            #expect(Self.row(busy.output, harness.queue) == ["0", "1"], "\(busy.output)")
            #expect(busy.output.contains("outbox   1 unpublished event(s), oldest 10m"), "\(busy.output)")
            #expect(busy.output.contains("rejects  1 in the last hour, 1 not replayed"))
            #expect(busy.output.contains("emails   last 24 h: 1 sent, 1 failed"))
            #expect(busy.output.contains("last failure: 550 mailbox unavailable"))
            #expect(busy.output.contains("! oldest unpublished event is 10m"), "\(busy.output)")
            #expect(!busy.output.contains("no consumer"))
        }
    }

    @Test func anUnreachableDatabaseIsReportedWithoutItsPasswordAndExitsOne() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let result = try OrderflowCommand.run(
            ["status", "--queue", harness.queue],
            databaseURL: "postgres://orderflow:s3cret-pw@127.0.0.1:1/none?connect_timeout=1")
        #expect(result.status == 1)
        #expect(result.output.contains("database  postgres://orderflow@127.0.0.1:1/none"), "\(result.output)")
        #expect(result.output.contains("unreachable"))
        #expect(!result.output.contains("s3cret-pw"))
        #expect(
            Self.row(result.output, harness.queue) == ["0", "0"], "the broker part is still shown: \(result.output)")
    }

    /// The MESSAGES and CONSUMERS columns of a queue's row.
    static func row(_ output: String, _ queue: String) -> [String] {
        guard
            let line = output.split(separator: "\n").first(where: {
                $0.split(separator: " ").first.map(String.init) == queue
            })
        else { return [] }
        return line.split(separator: " ").dropFirst().map(String.init)
    }
}
