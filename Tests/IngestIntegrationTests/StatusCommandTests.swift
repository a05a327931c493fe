import Foundation
import LibPQ
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

    @Test func jsonHasTheDocumentedFieldsAndTheTextsAlerts() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let missing = "test.missing.\(UUID().uuidString.prefix(8))"
        try harness.publish((1...3).map { ("order.canonical", CanonicalSamples.order($0), "s-\($0)") })
        try storeCanonical([CanonicalSamples.order(7)], routingKey: "order.canonical", databaseURL: harness.databaseURL)
        try PostgresConnection(url: harness.databaseURL).executeScript(
            """
            INSERT INTO outbox (type, subject, order_id, created_at, last_error)
            SELECT 'order.delayed', 'delay:' || id, id, now() - interval '10 minutes', 'returned: NO_ROUTE'
            FROM orders;
            INSERT INTO rejects (routing_key, reason, body) VALUES ('order.canonical', 'unknown currency XYZ', 'x');
            INSERT INTO emails (event_id, event_type, recipient, status, smtp_reply) VALUES
              (gen_random_uuid(), 'shipment.dispatched', 'a@example.com', 'sent', '250 ok'),
              (gen_random_uuid(), 'shipment.dispatched', 'b@example.com', 'failed', '550 mailbox unavailable'),
              (gen_random_uuid(), 'shipment.dispatched', 'c@example.com', 'sending', NULL);
            """)
        let args = ["status", "--queue", harness.queue, "--queue", missing, "--check"]
        let result = try OrderflowCommand.run(args + ["--json"], databaseURL: harness.databaseURL)
        #expect(result.status == 2, "the same exit status as the text: \(result.output)")
        let status = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(Set(status.keys) == ["broker", "database", "alerts"])

        let broker = try #require(status["broker"] as? [String: Any])
        #expect(Set(broker.keys) == ["url", "error", "queues"])
        #expect((broker["url"] as? String)?.hasPrefix("amqp://") == true)
        #expect(broker["error"] is NSNull)
        let queues = try #require(broker["queues"] as? [[String: Any]])
        #expect(queues.count == 2)
        #expect(queues.allSatisfy { Set($0.keys) == ["name", "exists", "messages", "consumers", "deadLetterQueue"] })
        #expect(queues[0]["name"] as? String == harness.queue)
        #expect(queues[0]["exists"] as? Bool == true)
        #expect(queues[0]["messages"] as? Int == 3)
        #expect(queues[0]["consumers"] as? Int == 0)
        #expect(queues[0]["deadLetterQueue"] as? Bool == false)
        #expect(queues[1]["name"] as? String == missing)
        #expect(queues[1]["exists"] as? Bool == false)
        #expect(queues[1]["messages"] is NSNull)
        #expect(queues[1]["consumers"] is NSNull)

        let database = try #require(status["database"] as? [String: Any])
        #expect(
            Set(database.keys) == [
                "url", "error", "outbox", "rejects", "emails", "voucherSync", "ordersWithLinesNotAddingUp",
            ])
        #expect((database["url"] as? String)?.hasPrefix("postgres://") == true)
        #expect(database["error"] is NSNull)
        let outbox = try #require(database["outbox"] as? [String: Any])
        #expect(Set(outbox.keys) == ["unpublished", "oldestAgeSeconds", "lastError"])
        #expect(outbox["unpublished"] as? Int == 1)
        #expect((600...660).contains(outbox["oldestAgeSeconds"] as? Int ?? 0), "\(outbox)")
        #expect(outbox["lastError"] as? String == "returned: NO_ROUTE")
        let rejects = try #require(database["rejects"] as? [String: Any])
        #expect(Set(rejects.keys) == ["lastHour", "notReplayed", "newestReason"])
        #expect(rejects["lastHour"] as? Int == 1)
        #expect(rejects["notReplayed"] as? Int == 1)
        #expect(rejects["newestReason"] as? String == "unknown currency XYZ")
        let emails = try #require(database["emails"] as? [String: Any])
        #expect(Set(emails.keys) == ["sent", "failed", "sending", "lastHour", "lastFailure"])
        #expect(emails["lastHour"] as? Int == 3)
        #expect(emails["sent"] as? Int == 1)
        #expect(emails["failed"] as? Int == 1)
        #expect(emails["sending"] as? Int == 1)
        #expect(emails["lastFailure"] as? String == "550 mailbox unavailable")
        let voucherSync = try #require(database["voucherSync"] as? [String: Any])
        #expect(Set(voucherSync.keys) == ["waiting", "failed", "lastFailure"])
        #expect(voucherSync["waiting"] as? Int == 0 && voucherSync["failed"] as? Int == 0)
        #expect(voucherSync["lastFailure"] is NSNull)
        #expect(database["ordersWithLinesNotAddingUp"] as? Int == 0)

        // The alerts are the text's, word for word (the outbox age ticks on between the two runs).
        let text = try OrderflowCommand.run(args, databaseURL: harness.databaseURL)
        let textAlerts = text.output.split(separator: "\n").filter { $0.hasPrefix("  ! ") }.map {
            String($0.dropFirst(4))
        }
        let alerts = try #require(status["alerts"] as? [String])
        #expect(textAlerts.count == 3, "no consumer, missing queue, old outbox event: \(text.output)")
        #expect(alerts.count == 3)
        #expect(Array(alerts.prefix(2)) == Array(textAlerts.prefix(2)))
        #expect(alerts.first == "\(harness.queue) has 3 message(s) waiting and no consumer")
        #expect(alerts.last?.hasPrefix("oldest unpublished event is 10m") == true, "\(alerts)")
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
