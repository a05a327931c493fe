import Foundation
import LibPQ
import OrdersTestSupport
import Testing

/// `orderflow prune` (retention) and `orderflow customers erase` (erasure), run as the app role
/// against the real PostgreSQL, RabbitMQ and SMTP sink.
@Suite("retention and erasure (real PostgreSQL, RabbitMQ and SMTP)", .workerSlot)
struct RetentionTests {
    /// Runs `orderflow ARGUMENTS` as the app role on the harness's schema.
    static func orderflow(
        _ arguments: [String], _ harness: IngestHarness, environment: [String: String] = [:]
    )
        async throws -> ChildProcess.Result
    {
        try await ChildProcess.run(
            WorkerProcess.binary, arguments,
            environment: [
                "ORDERFLOW_AMQP_URL": amqpURL,
                "ORDERFLOW_DATABASE_URL": LocalStack.url(LocalStack.appDatabaseURL, schema: harness.schema),
            ].merging(environment) { $1 })
    }

    // MARK: - prune

    /// Each setting removes exactly the rows older than its days, and keeps the younger ones; unpublished
    /// events and emails being sent stay however old; a second run finds nothing.
    @Test func pruneRemovesExactlyTheAgedRowsOfEachSetting() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let db = try PostgresConnection(url: harness.databaseURL)
        try db.executeScript(
            """
            INSERT INTO processed_messages (message_id, processed_at)
            SELECT 'pm-' || g, now() - make_interval(days => g) + interval '1 hour' FROM generate_series(1, 20) AS g;
            INSERT INTO orders (channel, external_id, status, currency, items_total_minor, shipping_minor,
                                discount_minor, tax_minor, grand_total_minor, placed_at, raw_body)
            VALUES ('webshop', 'P-1', 'paid', 'EUR', 1000, 0, 0, 0, 1000, now(), '\\x7b7d');
            INSERT INTO outbox (type, subject, order_id, created_at, published_at)
            SELECT 'order.delayed', 'probe:' || g, (SELECT id FROM orders), now() - make_interval(days => g + 1),
                   now() - make_interval(days => g) + interval '1 hour'
            FROM generate_series(1, 20) AS g;
            INSERT INTO outbox (type, subject, order_id, created_at)
            VALUES ('order.delayed', 'probe:unpublished', (SELECT id FROM orders), now() - interval '400 days');
            INSERT INTO rejects (routing_key, reason, body, received_at)
            SELECT 'order.webshop', 'probe ' || g, convert_to('{"email": "old' || g || '@example.org"}', 'UTF8'),
                   now() - make_interval(days => g * 5)
            FROM generate_series(1, 20) AS g;
            INSERT INTO emails (event_id, event_type, recipient, subject, status, attempts, claimed_at, sent_at,
                                smtp_reply)
            SELECT gen_random_uuid(), 'shipment.dispatched', 'mail' || g || '@example.org', 'Bestellung ' || g,
                   CASE WHEN g % 4 = 0 THEN 'sending' ELSE 'sent' END, 1, now() - make_interval(days => g * 5),
                   now() - make_interval(days => g * 5), '250 ok'
            FROM generate_series(1, 20) AS g;
            """)
        // Ages: message ids and events 1..20 days (an hour short of each, so that no row sits on a cutoff);
        // rejects and emails 5..100 days (every 5).
        let settings = [
            "ORDERFLOW_RETAIN_PROCESSED_DAYS": "12", "ORDERFLOW_RETAIN_OUTBOX_DAYS": "7",
            "ORDERFLOW_RETAIN_REJECT_BODIES_DAYS": "42", "ORDERFLOW_RETAIN_EMAIL_BODIES_DAYS": "63",
        ]
        // Older than 12 days: 13..20 (8); than 7: 8..20 (13); rejects older than 42: 45..100 (12); emails
        // older than 63: 65..100 (8), of which 80 and 100 are still being sent (6 left).
        let dry = try await Self.orderflow(["prune", "--dry-run"], harness, environment: settings)
        #expect(dry.status == 0, "\(dry.output)")
        for line in [
            "processed message ids         older than 12 days: 8 to delete",
            "published events              older than 7 days: 13 to delete",
            "reject bodies                 older than 42 days: 12 to clear",
            "email recipients and subjects older than 63 days: 6 to clear",
        ] {
            #expect(dry.output.contains(line), "\(line)\n\(dry.output)")
        }
        #expect(dry.output.contains("39 row(s) in") && dry.output.contains("dry run: nothing changed"))
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == 20)
        #expect(try harness.scalar("SELECT count(*) FROM rejects WHERE redacted_at IS NOT NULL") == 0)

        let run = try await Self.orderflow(["prune"], harness, environment: settings)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("older than 12 days: 8 deleted in"), "\(run.output)")
        #expect(run.output.contains("older than 7 days: 13 deleted in"), "\(run.output)")
        #expect(run.output.contains("older than 42 days: 12 cleared in"), "\(run.output)")
        #expect(run.output.contains("older than 63 days: 6 cleared in"), "\(run.output)")

        func strings(_ sql: String) throws -> [String] { try harness.query(sql).rows.compactMap { $0[0] } }
        #expect(
            try strings("SELECT message_id FROM processed_messages ORDER BY processed_at DESC")
                == (1...12).map { "pm-\($0)" })
        #expect(
            try strings("SELECT subject FROM outbox ORDER BY created_at DESC")
                == (1...7).map { "probe:\($0)" } + ["probe:unpublished"])
        // Rejects: every row stays; the bodies of the old ones are gone, the young ones' kept.
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 20)
        #expect(
            try strings("SELECT reason FROM rejects WHERE body = convert_to('[removed]', 'UTF8') ORDER BY received_at")
                == (9...20).reversed().map { "probe \($0)" })
        #expect(
            try strings("SELECT convert_from(body, 'UTF8') FROM rejects WHERE redacted_at IS NULL ORDER BY received_at")
                == (1...8).reversed().map { #"{"email": "old\#($0)@example.org"}"# })
        // Emails: sent ones past 63 days lose recipient, subject and reply; status and times stay.
        #expect(
            try strings(
                "SELECT recipient FROM emails WHERE recipient = '[removed]' AND subject = '[removed]' "
                    + "AND smtp_reply = '[removed]' AND status = 'sent' AND sent_at IS NOT NULL ORDER BY claimed_at")
                == Array(repeating: "[removed]", count: 6))
        #expect(
            try strings("SELECT recipient FROM emails WHERE redacted_at IS NULL ORDER BY claimed_at DESC")
                == (1...20).filter { $0 <= 12 || $0 % 4 == 0 }.map { "mail\($0)@example.org" })
        #expect(try harness.scalar("SELECT count(*) FROM orders") == 1)
        // A reject whose body is gone is not replayed (it would only be refused again).
        let pruned = try #require(try harness.scalar("SELECT min(id) FROM rejects WHERE redacted_at IS NOT NULL"))
        let replay = try await Self.orderflow(["rejects", "replay", String(pruned)], harness)
        #expect(
            replay.output.contains("reject \(pruned): not replayed: its body was removed (retention or erasure)"),
            "\(replay.output)")

        let again = try await Self.orderflow(["prune"], harness, environment: settings)
        #expect(again.status == 0 && again.output.contains("0 row(s) in"), "\(again.output)")

        // Defaults: 30 days for ids and events, 90 for bodies.
        let defaults = try await Self.orderflow(["prune", "--dry-run"], harness)
        #expect(defaults.output.contains("older than 30 days: 0 to delete"), "\(defaults.output)")
        #expect(defaults.output.contains("reject bodies                 older than 90 days: 0 to clear"))
        let refused = try await Self.orderflow(["prune"], harness, environment: ["ORDERFLOW_RETAIN_OUTBOX_DAYS": "0"])
        #expect(refused.status == 78 && refused.output.contains("ORDERFLOW_RETAIN_OUTBOX_DAYS"), "\(refused.output)")
    }

    /// A million old message ids pruned while a worker ingests a steady stream: the worker keeps
    /// committing between the prune's batches. Prints the worker's throughput and latency with and without
    /// the prune (figures, not limits).
    @Test func pruningAMillionMessageIdsLeavesTheWorkerIngesting() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let million = 1_000_000
        let db = try PostgresConnection(url: harness.databaseURL)
        try db.execute(
            """
            INSERT INTO processed_messages (message_id, processed_at)
            SELECT 'old-' || g, now() - interval '40 days' - make_interval(secs => g)
            FROM generate_series(1, $1::integer) AS g
            """, [.int(Int64(million))])
        try db.execute("ANALYZE processed_messages")
        let worker = try OrderflowProcess(
            worker: harness.queue, databaseURL: LocalStack.url(LocalStack.appDatabaseURL, schema: harness.schema),
            eventsExchange: harness.eventsExchange, extraArguments: ["--no-sweeper"])
        defer { worker.signal(SIGKILL) }
        try await waitUntil(timeout: .seconds(30)) { (try? harness.consumerCount()) == 1 }

        // A steady stream: 20 orders every 100 ms (200/s), each one's publish time noted.
        let stream = Stream(harness: harness)
        let publishing = Task.detached { try await stream.run() }
        defer { publishing.cancel() }
        try await Task.sleep(for: .seconds(10))
        let quietEnd = Date()

        let pruneStart = Date()
        let prune = try await Self.orderflow(["prune", "--batch-rows", "5000"], harness)
        let pruneEnd = Date()
        #expect(prune.status == 0, "\(prune.output)")
        #expect(prune.output.contains("older than 30 days: \(million) deleted in"), "\(prune.output)")
        try await Task.sleep(for: .seconds(2))
        publishing.cancel()
        let published = try await publishing.value
        try await waitForCount("orders", toBe: Int64(published.count), timeout: .seconds(60)) {
            try harness.scalar("SELECT count(*) FROM orders") ?? 0
        }
        // Exactly the aged ids went: every message of the stream is still known as processed.
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == Int64(published.count))
        #expect(try harness.scalar("SELECT count(*) FROM processed_messages WHERE message_id LIKE 'old-%'") == 0)

        let stored = try harness.query(
            "SELECT external_id, extract(epoch FROM stored_at)::float8 FROM orders"
        ).rows.compactMap { row -> (String, Double)? in
            guard let id = row[0], let at = row[1].flatMap(Double.init) else { return nil }
            return (id, at)
        }
        let storedAt = Dictionary(uniqueKeysWithValues: stored)
        let quiet = Window(
            stream: published, storedAt: storedAt, from: published.first?.at ?? 0,
            to: quietEnd.timeIntervalSince1970)
        let pruning = Window(
            stream: published, storedAt: storedAt, from: pruneStart.timeIntervalSince1970,
            to: pruneEnd.timeIntervalSince1970)
        let batches =
            prune.output.components(separatedBy: "deleted in ").dropFirst().first.flatMap {
                Int($0.prefix { $0.isNumber })
            } ?? 0
        print(
            """
            prune under load: \(million) message ids in \(batches) batches, \
            \(String(format: "%.1f", pruneEnd.timeIntervalSince(pruneStart))) s \
            (\(Int(Double(million) / pruneEnd.timeIntervalSince(pruneStart))) rows/s)
            worker without prune: \(quiet.summary)
            worker during prune:  \(pruning.summary)
            """)
        // The worker committed all along the prune: orders stored while it ran, in most of its seconds.
        #expect(pruning.storedCount > 0, "no order was stored while prune ran")
        #expect(
            pruning.secondsWithCommits * 2 >= pruning.seconds,
            "commits in only \(pruning.secondsWithCommits) of \(pruning.seconds) s of the prune")
    }

    /// Publishes 20 orders every 100 ms until cancelled; returns what it published and when.
    final class Stream: Sendable {
        let harness: IngestHarness
        init(harness: IngestHarness) { self.harness = harness }

        func run() async throws -> [(id: String, at: Double)] {
            var sent: [(id: String, at: Double)] = []
            var n = 0
            while !Task.isCancelled {
                let batch = (n..<(n + 20)).map { i in
                    ("order.canonical", CanonicalSamples.order(i, lines: 1), "stream-\(i)")
                }
                let at = Date().timeIntervalSince1970
                let harness = self.harness
                try await offThePool { try harness.publish(batch) }
                sent += (n..<(n + 20)).map { ("T-\($0)", at) }
                n += 20
                try? await Task.sleep(for: .milliseconds(100))
            }
            return sent
        }
    }

    /// The stream's orders published in [from, to): how many were stored, how fast, with what latency.
    struct Window {
        let seconds: Int
        let storedCount: Int
        let secondsWithCommits: Int
        let latencies: [Double]

        init(stream: [(id: String, at: Double)], storedAt: [String: Double], from: Double, to: Double) {
            seconds = max(1, Int((to - from).rounded(.up)))
            let inWindow = storedAt.values.filter { $0 >= from && $0 < to }
            storedCount = inWindow.count
            secondsWithCommits = Set(inWindow.map { Int($0 - from) }).count
            latencies = stream.filter { $0.at >= from && $0.at < to }.compactMap { item in
                storedAt[item.id].map { $0 - item.at }
            }.sorted()
        }

        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }

        var summary: String {
            String(
                format: "%d orders stored in %d s (%.0f/s, commits in %d of %d s), latency p50 %.0f ms, "
                    + "p99 %.0f ms, max %.0f ms",
                storedCount, seconds, Double(storedCount) / Double(seconds), secondsWithCommits, seconds,
                percentile(0.5) * 1000, percentile(0.99) * 1000, (latencies.last ?? 0) * 1000)
        }
    }
}
