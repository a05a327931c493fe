import Foundation
import OrdersTestSupport
import LibPQ
import Testing

/// `orderflow rejects list | show | replay` against real servers, with a worker consuming the
/// harness's queue so that replayed messages go through the whole ingest path.
@Suite("rejects command", .workerSlot)
struct RejectsCommandTests {
    @Test func listShowAndReplayThroughTheWorker() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try await harness.withWorker { _ in
            // A reject the worker makes now (unknown currency)...
            var bad = String(decoding: CanonicalSamples.order(1), as: UTF8.self)
            bad = bad.replacingOccurrences(of: "\"EUR\"", with: "\"XYZ\"")
            try harness.publish([("order.canonical", Array(bad.utf8), "bad-1")])
            try await harness.waitFor("SELECT count(*) FROM rejects", toBe: 1)
            let invalidID = try #require(try harness.scalar("SELECT id FROM rejects"))
            // ...and one an older release made of a message this release accepts: the replay case.
            let fixableID = try #require(
                try harness.scalar(
                    """
                    WITH seen AS (INSERT INTO processed_messages (message_id) VALUES ('old-2'))
                    INSERT INTO rejects (message_id, routing_key, reason, body) VALUES ('old-2', 'order.canonical', \
                    'unsupported field', $1)
                    RETURNING id
                    """, [.bytes(CanonicalSamples.order(2))]))
            let truncatedID = try #require(
                try harness.scalar(
                    """
                    INSERT INTO rejects (message_id, routing_key, reason, body, body_truncated) VALUES ('big-3', \
                    'order.canonical', 'too large', $1, true)
                    RETURNING id
                    """, [.bytes(Array("{\"a\":".utf8))]))

            let list = try OrderflowCommand.run(["rejects", "list"], databaseURL: harness.databaseURL)
            #expect(list.status == 0, "\(list.output)")
            #expect(list.output.hasPrefix("ID"), "\(list.output)")
            #expect(list.output.contains("order.canonical"))
            #expect(list.output.split(separator: "\n").count == 4, "header and three rejects: \(list.output)")

            let show = try OrderflowCommand.run(
                ["rejects", "show", String(invalidID)], databaseURL: harness.databaseURL)
            #expect(show.status == 0)
            #expect(show.output.contains("routing key  order.canonical"))
            #expect(show.output.contains("message id   bad-1"))
            #expect(show.output.contains("XYZ"), "reason and body name the currency: \(show.output)")
            #expect(show.output.contains("field        currency"), "\(show.output)")
            #expect(show.output.contains("\"externalId\": \"T-1\""), "the body: \(show.output)")

            let replay = try OrderflowCommand.run(
                [
                    "rejects", "replay", String(fixableID), String(invalidID), String(truncatedID), "999999",
                    "--exchange", harness.exchange,
                ], databaseURL: harness.databaseURL)
            #expect(replay.status == 1, "not every one could be replayed: \(replay.output)")
            #expect(
                replay.output.contains("reject \(fixableID): replayed to \(harness.exchange) with order.canonical"),
                "\(replay.output)")
            #expect(replay.output.contains("reject \(truncatedID): not replayed: only the first 64 KiB"))
            #expect(replay.output.contains("reject 999999: no such reject"))
            #expect(replay.output.contains("2 of 4 replayed"), "\(replay.output)")

            // The fixable one is an order now; the invalid one came back as a new reject.
            try await harness.waitFor("SELECT count(*) FROM orders WHERE external_id = 'T-2'", toBe: 1)
            try await harness.waitFor("SELECT count(*) FROM rejects", toBe: 4)
            #expect(try harness.scalar("SELECT count(*) FROM rejects WHERE replayed_at IS NOT NULL") == 2)

            let again = try OrderflowCommand.run(
                ["rejects", "replay", String(fixableID), "--exchange", harness.exchange],
                databaseURL: harness.databaseURL)
            #expect(again.status == 1)
            #expect(again.output.contains("already replayed at"), "\(again.output)")

            let pending = try OrderflowCommand.run(["rejects", "list"], databaseURL: harness.databaseURL)
            #expect(pending.output.split(separator: "\n").count == 3, "replayed ones are left out: \(pending.output)")
            let all = try OrderflowCommand.run(["rejects", "list", "--all"], databaseURL: harness.databaseURL)
            #expect(all.output.split(separator: "\n").count == 5, "\(all.output)")
        }
    }

    @Test func replayToAnExchangeWithoutAQueueFailsAndLeavesTheRejectPending() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let id = try #require(
            try harness.scalar(
                """
                INSERT INTO rejects (message_id, routing_key, reason, body) VALUES ('x', 'nobody.listens', 'r', $1) \
                RETURNING id
                """, [.bytes(Array("{}".utf8))]))
        let replay = try OrderflowCommand.run(
            ["rejects", "replay", String(id), "--exchange", harness.exchange], databaseURL: harness.databaseURL)
        #expect(replay.status == 1)
        #expect(replay.output.contains("not replayed") && replay.output.contains("NO_ROUTE"), "\(replay.output)")
        #expect(try harness.scalar("SELECT count(*) FROM rejects WHERE replayed_at IS NULL") == 1)
    }
}
