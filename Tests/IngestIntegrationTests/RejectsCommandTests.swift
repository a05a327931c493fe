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

    /// `rejects replay` by filters: every reject not replayed yet whose reason contains the text, or that came in
    /// the last hours, or all of them; the whole run over one broker connection (counted by a proxy).
    @Test func replayByReasonSinceAndAllOverOneConnection() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let proxy = try CuttableProxy(targetPort: UInt16(try #require(URLComponents(string: amqpURL)?.port)))
        defer { proxy.stop() }
        var proxied = try #require(URLComponents(string: amqpURL))
        proxied.port = Int(proxy.port)
        let viaProxy = try #require(proxied.string)
        // Five orders an older release refused: three for the currency (one of them two days ago), two
        // for a field; one of the currency ones was replayed before.
        let reasons = [
            "unknown currency 'XYZ'", "Unknown Currency 'ABC'", "unknown currency 'QQQ'", "bad field",
            "bad field",
        ]
        var ids: [Int64] = []
        for (n, reason) in reasons.enumerated() {
            ids.append(
                try #require(
                    try harness.scalar(
                        """
                        WITH seen AS (INSERT INTO processed_messages (message_id) VALUES ($1))
                        INSERT INTO rejects (message_id, routing_key, reason, body, received_at)
                        VALUES ($1, 'order.canonical', $2, $3, now() - make_interval(hours => $4::integer))
                        RETURNING id
                        """,
                        [
                            .text("old-\(n + 1)"), .text(reason), .bytes(CanonicalSamples.order(n + 1)),
                            .int(n == 2 ? 48 : 0),
                        ])))
        }
        _ = try harness.query("UPDATE rejects SET replayed_at = now() WHERE id = $1", [.int(ids[1])])
        let rejectIDs = ids

        try await harness.withWorker { _ in
            let byReason = try OrderflowCommand.run(
                ["rejects", "replay", "--reason", "CURRENCY", "--exchange", harness.exchange],
                databaseURL: harness.databaseURL, amqpURL: viaProxy)
            #expect(byReason.status == 0, "\(byReason.output)")
            #expect(
                byReason.output == """
                    reject \(rejectIDs[0]): replayed to \(harness.exchange) with order.canonical
                    reject \(rejectIDs[2]): replayed to \(harness.exchange) with order.canonical
                    2 of 2 replayed

                    """, "pending ones only, oldest first: \(byReason.output)")
            #expect(proxy.connectionsRelayed == 1)
            try await harness.waitFor("SELECT count(*) FROM orders", toBe: 2)

            let recent = try OrderflowCommand.run(
                ["rejects", "replay", "--since", "1", "--exchange", harness.exchange],
                databaseURL: harness.databaseURL, amqpURL: viaProxy)
            #expect(
                recent.output == """
                    reject \(rejectIDs[3]): replayed to \(harness.exchange) with order.canonical
                    reject \(rejectIDs[4]): replayed to \(harness.exchange) with order.canonical
                    2 of 2 replayed

                    """, "\(recent.output)")
            #expect(proxy.connectionsRelayed == 2, "one connection per run")
            try await harness.waitFor("SELECT count(*) FROM orders", toBe: 4)

            let none = try OrderflowCommand.run(
                ["rejects", "replay", "--all", "--exchange", harness.exchange], databaseURL: harness.databaseURL)
            #expect(none.status == 0)
            #expect(none.output == "0 of 0 replayed\n", "\(none.output)")
            let again = try OrderflowCommand.run(
                ["rejects", "replay", "--all", "--again", "--exchange", harness.exchange],
                databaseURL: harness.databaseURL, amqpURL: viaProxy)
            #expect(again.status == 0, "\(again.output)")
            #expect(again.output.hasSuffix("5 of 5 replayed\n"), "\(again.output)")
            #expect(proxy.connectionsRelayed == 3)
            try await harness.waitFor("SELECT count(*) FROM orders", toBe: 5)
        }
        let mixed = try OrderflowCommand.run(["rejects", "replay", "1", "--all"], databaseURL: harness.databaseURL)
        #expect(mixed.status == 64)
        #expect(mixed.output.contains("give reject ids or filters (--reason, --since, --all), not both"))
        let nothing = try OrderflowCommand.run(["rejects", "replay"], databaseURL: harness.databaseURL)
        #expect(nothing.status == 64)
        #expect(nothing.output.contains("give reject ids, or --reason, --since or --all"), "\(nothing.output)")
    }

    @Test func listAsJSONHasTheDocumentedFields() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        _ = try harness.query(
            """
            INSERT INTO rejects (message_id, routing_key, reason, field, body, body_truncated, received_at, replayed_at)
            VALUES ('m-1', 'order.shopify', E'unknown currency \\x07XYZ', 'currency', 'abc', false,
                    '2026-11-03T08:00:00Z', NULL),
                   (NULL, 'shipment.canonical', 'too large', NULL, 'defg', true, '2026-11-03T09:00:00Z',
                    '2026-11-03T10:00:00Z')
            """)
        let list = try OrderflowCommand.run(["rejects", "list", "--all", "--json"], databaseURL: harness.databaseURL)
        #expect(list.status == 0, "\(list.output)")
        let rejects = try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]])
        #expect(rejects.count == 2)
        for reject in rejects {
            #expect(
                Set(reject.keys) == [
                    "id", "receivedAt", "routingKey", "messageId", "reason", "field", "replayedAt", "size",
                    "bodyTruncated",
                ])
        }
        let (newest, oldest) = (rejects[0], rejects[1])
        #expect(newest["routingKey"] as? String == "shipment.canonical")
        #expect(newest["messageId"] is NSNull)
        #expect(newest["reason"] as? String == "too large")
        #expect(newest["field"] is NSNull)
        #expect(newest["receivedAt"] as? String == "2026-11-03T09:00:00Z")
        #expect(newest["replayedAt"] as? String == "2026-11-03T10:00:00Z")
        #expect(newest["size"] as? Int == 4)
        #expect(newest["bodyTruncated"] as? Bool == true)
        #expect((newest["id"] as? Int).map { $0 > (oldest["id"] as? Int ?? .max) } == true)
        #expect(oldest["routingKey"] as? String == "order.shopify")
        #expect(oldest["messageId"] as? String == "m-1")
        #expect(oldest["reason"] as? String == "unknown currency \u{07}XYZ")
        #expect(oldest["field"] as? String == "currency")
        #expect(oldest["receivedAt"] as? String == "2026-11-03T08:00:00Z")
        #expect(oldest["replayedAt"] is NSNull)
        #expect(oldest["size"] as? Int == 3)
        #expect(oldest["bodyTruncated"] as? Bool == false)
        let pending = try OrderflowCommand.run(["rejects", "list", "--json"], databaseURL: harness.databaseURL)
        let ids = (try JSONSerialization.jsonObject(with: Data(pending.output.utf8)) as? [[String: Any]])?
            .compactMap { $0["messageId"] as? String }
        #expect(ids == ["m-1"], "replayed ones left out: \(pending.output)")
    }
}
