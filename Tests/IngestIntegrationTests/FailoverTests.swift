import AMQP
import Foundation
import LibPQ
import Logging
import OrdersStore
import OrdersTestSupport
import OrdersWorkers
import Testing

/// A worker given several broker nodes, or several database hosts, when the one it is on goes away.
@Suite("failover: broker nodes and a promoted standby", .serialized, .workerSlot)
struct FailoverTests {
    /// Two broker nodes of their own (separate nodes, each with the topology; orders 1…n queued on
    /// one, n+1…2n on the other) and a worker given both URLs. The node it starts on is stopped
    /// while a batch is held in the database, so that messages are left on it; the worker moves to
    /// the other node and stores all of that node's orders; then the first node comes back and the
    /// second is stopped, the worker moves back and stores the rest. Every order is stored once:
    /// the batch that was held commits after its connection is gone, its messages come again from
    /// the first node and are recognised as processed.
    @Test func aWorkerMovesToTheNextBrokerNodeAndBack() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        async let startedA = offThePool { try PrivateBroker() }
        async let startedB = offThePool { try PrivateBroker() }
        let brokers = [try await startedA, try await startedB]
        defer { for broker in brokers { broker.stop() } }
        let nodes = AMQPNodes(try brokers.map { try AMQPConfiguration(url: $0.amqpURL) })
        let perNode = 2000
        for index in brokers.indices {
            let orders = (index * perNode + 1)...((index + 1) * perNode)
            try Self.declareAndPublish(orders, harness: harness, on: nodes.all[index])
        }

        try await harness.withWorker(batchSize: 100, amqp: nodes, configure: { $0.prefetch = 200 }) { progress in
            try await waitUntil(timeout: .seconds(60)) { progress.isConsuming }
            let status = progress.service.status
            let first = try #require(nodes.all.firstIndex { $0.node == status.node })
            let other = 1 - first
            try await waitUntil(timeout: .seconds(60)) { progress.stored >= 100 }

            // Hold the next batch in the database, so that the node goes away with messages on it.
            let blocker = try PostgresConnection(url: harness.databaseURL)
            try blocker.execute("BEGIN")
            try blocker.execute("LOCK TABLE processed_messages IN SHARE ROW EXCLUSIVE MODE")
            let storedAtStop = try harness.scalar("SELECT count(*) FROM processed_messages") ?? -1
            let stopped = ContinuousClock.now
            try await offThePool { try brokers[first].stopApp() }
            let stopTook = ContinuousClock.now - stopped
            // Released: the held batch commits (its acks are for a connection that is gone).
            try blocker.execute("COMMIT")
            try await waitUntil(timeout: .seconds(60)) {
                status.consumingGeneration == 2 && status.node == nodes.all[other].node
            }
            let moved = ContinuousClock.now - stopped
            try await harness.waitFor(
                "SELECT count(*) FROM orders WHERE external_id = ANY(\(Self.externalIDs(of: other, perNode)))",
                toBe: Int64(perNode), timeout: .seconds(120))

            // The first node back with what was left on it; the second stopped: the worker moves back.
            try await offThePool { try brokers[first].startApp() }
            let left = try Self.depth(of: harness.queue, on: nodes.all[first])
            #expect(left > 0, "messages were left on the stopped node")
            #expect(storedAtStop < Int64(perNode), "the node was stopped mid-stream")
            let stoppedOther = ContinuousClock.now
            try await offThePool { try brokers[other].stopApp() }
            try await waitUntil(timeout: .seconds(60)) {
                status.consumingGeneration == 3 && status.node == nodes.all[first].node
            }
            let movedBack = ContinuousClock.now - stoppedOther
            try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(2 * perNode), timeout: .seconds(120))
            try await waitUntil(timeout: .seconds(60)) {
                try Self.depth(of: harness.queue, on: nodes.all[first]) == 0
            }
            #expect(try harness.scalar("SELECT count(*) FROM processed_messages") == Int64(2 * perNode))
            #expect(try harness.scalar("SELECT count(DISTINCT external_id) FROM orders") == Int64(2 * perNode))
            print(
                "broker failover: stop_app took \(stopTook); consuming on the other node \(moved) after the stop "
                    + "began; back on the first node \(movedBack) after the second stop began; "
                    + "\(storedAtStop) of \(perNode) stored at the stop, \(left) left on the stopped node")
        }
    }

    /// A primary with a synchronous standby (each a server of its own); the worker is given both
    /// hosts with `target_session_attrs=read-write`. While it stores a backlog the primary is
    /// stopped (fast) and the standby promoted: the worker finds the new primary by itself, and
    /// every order is stored exactly once (synchronous replication: nothing committed is lost; a
    /// batch whose COMMIT got no answer is tried again and recognised).
    @Test func aWorkerFollowsThePrimaryToThePromotedStandby() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let primary = try await offThePool { try PrivatePostgres() }
        defer { primary.remove() }
        try Migrator(logger: Logger(label: "test")).migrate(try PostgresConnection(url: primary.url()))
        let standby = try await offThePool { try PrivatePostgres(standbyOf: primary, name: "standby1") }
        defer { standby.remove() }
        // Synchronous from now on (set on the primary only: the promoted standby has no standby to wait for).
        try primary.psql("ALTER SYSTEM SET synchronous_standby_names = 'standby1'")
        try primary.psql("SELECT pg_reload_conf()")
        try await waitUntil(timeout: .seconds(60)) {
            try primary.psql("SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'") == "1"
        }
        let orders = 6000
        try harness.publish((1...orders).map { ("order.canonical", CanonicalSamples.order($0), "f-\($0)") })
        let url =
            "postgresql://postgres@127.0.0.1:\(primary.port),127.0.0.1:\(standby.port)/postgres"
            + "?target_session_attrs=read-write&connect_timeout=2"
        let service = IngestService(
            amqp: try AMQPNodes(urls: amqpURL),
            database: DatabaseExecutor(url: url, applicationName: "orderflow-test"),
            options: harness.options(batchSize: 100), logger: Logger(label: "test-worker"))
        let processed = "SELECT count(*) FROM processed_messages"
        try await withRunningService(service) {
            try await waitUntil(timeout: .seconds(60)) { Int(try primary.psql(processed)) ?? 0 >= 500 }
            let stopped = ContinuousClock.now
            try await offThePool { try primary.stop(mode: "fast") }
            let stopTook = ContinuousClock.now - stopped
            let atStop = Int(try standby.psql(processed)) ?? -1
            #expect(atStop < orders, "the primary was stopped mid-stream")
            try await offThePool { try standby.promote() }
            let promoted = ContinuousClock.now - stopped
            try await waitUntil(timeout: .seconds(120), poll: .milliseconds(20)) {
                Int(try standby.psql(processed)) ?? 0 > atStop
            }
            let firstCommit = ContinuousClock.now - stopped
            try await waitForCount("orders stored", toBe: Int64(orders), timeout: .seconds(120)) {
                Int64(try standby.psql(processed)) ?? -1
            }
            #expect(try standby.psql("SELECT count(*) FROM orders") == "\(orders)")
            #expect(try standby.psql("SELECT count(DISTINCT external_id) FROM orders") == "\(orders)")
            #expect(service.counters[.databaseRetries] >= 1, "the worker retried through the failover")
            print(
                "database failover: pg_ctl stop -m fast took \(stopTook); standby promoted \(promoted) after the "
                    + "stop began; first commit on the new primary \(firstCommit) after it; \(atStop) of \(orders) "
                    + "stored at the stop")
        }
    }

    /// A COMMIT that never gets its answer, on a real server: the primary waits for a synchronous
    /// standby that does not exist, so the worker's first batch is committed locally while its
    /// COMMIT hangs; its backend is then terminated. The worker sees the connection lost during
    /// COMMIT (outcome unknown), retries the batch, and the retry is recognised as done: every
    /// order once, the first batch's rows from before the termination.
    @Test func aCommitWhoseOutcomeIsUnknownIsRetriedWithoutADuplicate() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let server = try await offThePool { try PrivatePostgres() }
        defer { server.remove() }
        try Migrator(logger: Logger(label: "test")).migrate(try PostgresConnection(url: server.url()))
        try server.psql("ALTER SYSTEM SET synchronous_standby_names = 'absent'")
        try server.psql("SELECT pg_reload_conf()")
        let orders = 300
        try harness.publish((1...orders).map { ("order.canonical", CanonicalSamples.order($0), "u-\($0)") })
        let service = IngestService(
            amqp: try AMQPNodes(urls: amqpURL),
            database: DatabaseExecutor(url: server.url(), applicationName: "orderflow-test"),
            options: harness.options(batchSize: 100), logger: Logger(label: "test-worker"))
        try await withRunningService(service) {
            var pid = ""
            try await waitUntil(timeout: .seconds(60)) {
                pid = try server.psql("SELECT pid FROM pg_stat_activity WHERE wait_event = 'SyncRep'")
                return !pid.isEmpty
            }
            let terminatedAt = try server.psql("SELECT clock_timestamp(), pg_terminate_backend(\(Int(pid)!))")
                .split(separator: "|")[0]
            try server.psql("ALTER SYSTEM RESET synchronous_standby_names")
            try server.psql("SELECT pg_reload_conf()")
            try await waitForCount("orders stored", toBe: Int64(orders), timeout: .seconds(120)) {
                Int64(try server.psql("SELECT count(*) FROM processed_messages")) ?? -1
            }
            let fromTheFirstAttempt = Int(
                try server.psql("SELECT count(*) FROM processed_messages WHERE processed_at < '\(terminatedAt)'"))
            #expect((fromTheFirstAttempt ?? 0) > 0, "the batch whose COMMIT got no answer had committed")
            #expect(try server.psql("SELECT count(*) FROM orders") == "\(orders)")
            #expect(try server.psql("SELECT count(*) FROM order_lines") == "\(orders * 2)")
            #expect(service.databaseTroubles[.transient(.commitOutcomeUnknown)] >= 1, "named for what it is")
            print("commit outcome unknown: \(fromTheFirstAttempt ?? 0) orders committed by the unanswered COMMIT")
        }
    }

    /// The binary with a list whose first node refuses connections: the worker goes on to the
    /// second, consumes there and says so in its log.
    @Test func theWorkerProcessSkipsANodeThatRefuses() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let live = try AMQPConfiguration(url: amqpURL)
        var refusing = live
        refusing.port = 1
        let list = [refusing, live, refusing].map { url(of: $0) }.joined(separator: ",")
        let worker = try WorkerProcess(harness, extraEnvironment: ["ORDERFLOW_AMQP_URL": list])
        defer { worker.signal(SIGKILL) }
        try harness.publish((1...50).map { ("order.canonical", CanonicalSamples.order($0), "p-\($0)") })
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: 50)
        #expect(worker.log.contains("amqp.node=\(live.node)"), "\(worker.log)")
        #expect(!worker.log.contains("\(live.user):\(live.password)@"), "no password in the log")
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
    }

    /// A malformed entry stops a command with exit status 78, naming the entry, never its text.
    @Test func aMalformedEntryIsASettingsErrorNamingIt() throws {
        let list = "amqp://u:secret-one@127.0.0.1:5672/%2F,amqp://u:secret-two@127.0.0.1:99999/%2F"
        let result = try OrderflowCommand.run(["topology"], databaseURL: databaseURL, amqpURL: list)
        #expect(result.status == 78)
        #expect(
            result.output.contains(
                "ORDERFLOW_AMQP_URL (environment ORDERFLOW_AMQP_URL): entry 2 of 2: AMQP URL has an invalid port"),
            "\(result.output)")
        #expect(!result.output.contains("secret-"))
    }

    private func url(of node: AMQPConfiguration) -> String {
        "amqp://\(node.user):\(node.password)@\(node.node)/%2F"
    }

    private static func depth(of queue: String, on node: AMQPConfiguration) throws -> UInt32 {
        let connection = try AMQPConnection(node)
        defer { connection.close() }
        return try connection.declareQueue(queue, passive: true).messages
    }

    /// The quoted array of external ids of one node's orders, for `= ANY(...)` (numbers only).
    private static func externalIDs(of node: Int, _ perNode: Int) -> String {
        "'{" + ((node * perNode + 1)...((node + 1) * perNode)).map { "T-\($0)" }.joined(separator: ",") + "}'"
    }

    /// The test's exchange and queue on a node of its own, and orders published there with confirms.
    private static func declareAndPublish(
        _ orders: ClosedRange<Int>, harness: IngestHarness, on node: AMQPConfiguration
    ) throws {
        let publisher = try AMQPPublisher(node)
        defer { publisher.close() }
        let broker = publisher.underlyingConnection
        try broker.declareExchange(harness.exchange, type: "topic", durable: true)
        try broker.declareQueue(
            harness.queue, durable: true, arguments: ["x-queue-type": .string("quorum"), "x-delivery-limit": .int(5)])
        try broker.bindQueue(harness.queue, exchange: harness.exchange, routingKey: "order.*")
        let messages = orders.map { n in
            OutgoingMessage(
                exchange: harness.exchange, routingKey: "order.canonical", body: CanonicalSamples.order(n),
                properties: AMQPProperties(messageID: "m-\(n)", contentType: "application/json", deliveryMode: 2))
        }
        for window in stride(from: 0, to: messages.count, by: 500) {
            let result = publisher.publish(Array(messages[window..<min(messages.count, window + 500)]))
            guard result.failure == nil, result.outcomes.allSatisfy(\.isConfirmed) else {
                throw TestFailure("publishing to \(node.node): \(String(describing: result.failure))")
            }
        }
    }
}
