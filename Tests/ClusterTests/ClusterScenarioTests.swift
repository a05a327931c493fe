import Foundation
import OrdersTestSupport
import Testing

/// Faults of whole hosts under load, on the hosts of `deploy/cluster.sh` (network namespaces):
/// the primary kill runs in the default phase with a few thousand orders, all of them with
/// `deploy/local.sh test --cluster` (ORDERFLOW_TEST_CLUSTER_ORDERS=50000). Not named "…FaultTests":
/// the local fault phase (`--filter FaultTests`) would pick them up.
@Suite("cluster: a broker node and the database primary die under load", .serialized, .workerSlot)
struct ClusterFailoverTests {
    /// The node leading orderflow.ingest is SIGKILLed (every process of its host), restarted 15 s
    /// later: the two remaining members elect a leader, the workers and publishers connected to the
    /// dead node move to another, and the restarted node rejoins and catches up.
    @Test func theBrokerLeadingTheIngestQueueIsKilledAndRestarted() async throws {
        var victim = ""
        try await Scenario(
            name: "broker node leading orderflow.ingest killed, restarted 15 s later",
            fault: { _ in
                victim = try await Cluster.run("leader", "orderflow.ingest").trimmingCharacters(
                    in: .whitespacesAndNewlines)
                try await Cluster.run("kill", victim)
            },
            heal: { _ in try await Cluster.run("start", victim) }
        ).run()
        let members = try await Cluster.run("ctl", victim, "-q", "list_queues", "name", "members", "--no-table-headers")
        #expect(
            members.split(separator: "\n").first { $0.hasPrefix("orderflow.ingest\t") }?.components(
                separatedBy: "rabbit@"
            )
            .count == 4, "the restarted node is a member again: \(members)")
    }

    /// The primary's host is SIGKILLed (Patroni and PostgreSQL): once its leader key expires the
    /// synchronous standby is promoted; the workers' multi-host URL finds it. No committed order is
    /// lost (synchronous replication), none is stored twice (a batch whose commit went unanswered
    /// comes back and is recognised by its message ids). The old primary rejoins as a replica.
    @Test func thePostgresPrimaryIsKilledAndTheStandbyTakesOver() async throws {
        var victim = ""
        try await Scenario(
            name: "PostgreSQL primary killed, the standby promoted",
            fault: { _ in
                victim = try await Cluster.run("primary").trimmingCharacters(in: .whitespacesAndNewlines)
                try await Cluster.run("kill", victim)
            },
            healAfter: .seconds(30),
            heal: { _ in try await Cluster.run("start", victim) },
            duplicateEmailsAllowed: 20  // at most the notifier's prefetch
        ).run()
        let primary = try await Cluster.run("primary").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(primary != victim, "the standby is the primary now")
    }
}

/// The cut-off (only with `deploy/local.sh test --cluster`) and the latency (in the default phase too).
@Suite("cluster: a node cut off, latency", .serialized, .workerSlot)
struct ClusterNetworkTests {
    /// Every packet in and out of the node leading orderflow.ingest dropped for 30 s: the node is in
    /// the minority and pauses (pause_minority), the majority elects a leader, clients whose
    /// heartbeats go unanswered move to the majority; after the cut the node resumes and rejoins.
    @Test func aBrokerNodeCutOffForThirtySeconds() async throws {
        var victim = ""
        try await Scenario(
            name: "broker node leading orderflow.ingest cut off for 30 s",
            fault: { _ in
                victim = try await Cluster.run("leader", "orderflow.ingest").trimmingCharacters(
                    in: .whitespacesAndNewlines)
                try await Cluster.run("cut", victim)
            },
            healAfter: .seconds(30),
            heal: { _ in try await Cluster.run("restore", victim) }
        ).run()
    }

    /// 50 ms each way between the worker hosts and the brokers (their relays): a backlog drained
    /// three times by two workers, at 0 ms with the defaults (prefetch 1000, batch 500), at 50 ms
    /// with the defaults, at 50 ms with prefetch and batch 20. A consumer can have at most `prefetch`
    /// messages between broker and ack: it cannot exceed prefetch / round trip, and needs
    /// rate × round trip (the bandwidth-delay product) in flight to keep its pace.
    @Test func fiftyMillisecondsBetweenTheWorkersAndTheBrokers() async throws {
        let cluster = try await Cluster.fresh()
        let part = Cluster.orders / 3
        var stored = 0
        var lines: [String] = []
        for (delay, prefetch, batch) in [(0, 1000, 500), (50, 1000, 500), (50, 20, 20)] {
            try await Cluster.run("delay", "\(delay)", "w1", "w2")
            let publisher = try cluster.run(
                on: "shop", ["publish", "shopify", "--sample", "\(part)", "--seed", "\(stored + 1)"],
                environment: ["ORDERFLOW_AMQP_URL": cluster.amqpURL], daemon: false)
            #expect(try await publisher.waitForExit(timeout: .seconds(600)) == 0, "\(publisher.log.suffix(1000))")
            let start = Date.nowSeconds
            let workers = try ["w1", "w2"].map {
                try cluster.worker(on: $0, relayed: true, prefetch: prefetch, batchSize: batch)
            }
            stored += part
            try await waitForCount("orders", toBe: Int64(stored), timeout: .seconds(900), poll: .milliseconds(200)) {
                (try? await cluster.count("SELECT count(*) FROM orders")) ?? -1
            }
            for worker in workers { worker.signal(SIGTERM) }
            for worker in workers { #expect(try await worker.waitForExit() == 0, "\(worker.log.suffix(2000))") }
            let (_, seconds, rate) = try await cluster.storeRate(since: start)
            let bound =
                delay > 0
                ? String(
                    format: ", bound 2 × %d / %.2f s = %d/s", prefetch, 2.0 * Double(delay) / 1000,
                    Int(2.0 * Double(prefetch) / (2.0 * Double(delay) / 1000))) : ""
            lines.append(
                String(
                    format: "%d ms, prefetch %d, batch %d: %d orders in %.1f s = %.0f orders/s%@", delay, prefetch,
                    batch, part, seconds, rate, bound))
        }
        try await Cluster.run("restore")
        try await cluster.waitForEmptyQueue("orderflow.ingest")
        #expect(try await cluster.count("SELECT count(*) FROM orders") == Int64(stored))
        #expect(try await cluster.count("SELECT count(*) FROM processed_messages") == Int64(stored))
        #expect(try await cluster.count("SELECT count(*) FROM rejects") == 0)
        print("cluster, latency between worker hosts and brokers (two workers): " + lines.joined(separator: "; "))
    }
}

/// 1, 2 and 4 workers over the two worker hosts drain a backlog each; orders/s printed.
@Suite("cluster: scaling over two worker hosts", .serialized, .workerSlot)
struct ClusterScalingTests {
    @Test func oneTwoAndFourWorkersOverTwoHosts() async throws {
        let cluster = try await Cluster.fresh()
        let backlog = Cluster.orders / 2
        let walBefore = try await Cluster.run("sql", "SELECT pg_current_wal_lsn()").trimmingCharacters(
            in: .whitespacesAndNewlines)
        var stored = 0
        var lines: [String] = []
        for hosts in [["w1"], ["w1", "w2"], ["w1", "w2", "w1", "w2"]] {
            let publisher = try cluster.run(
                on: "shop", ["publish", "shopify", "--sample", "\(backlog)", "--seed", "\(stored + 7)"],
                environment: ["ORDERFLOW_AMQP_URL": cluster.amqpURL], daemon: false)
            #expect(try await publisher.waitForExit(timeout: .seconds(600)) == 0, "\(publisher.log.suffix(1000))")
            let start = Date.nowSeconds
            let workers = try hosts.map { try cluster.worker(on: $0) }
            stored += backlog
            try await waitForCount("orders", toBe: Int64(stored), timeout: .seconds(900), poll: .milliseconds(200)) {
                (try? await cluster.count("SELECT count(*) FROM orders")) ?? -1
            }
            for worker in workers { worker.signal(SIGTERM) }
            for worker in workers { #expect(try await worker.waitForExit() == 0, "\(worker.log.suffix(2000))") }
            let (_, seconds, rate) = try await cluster.storeRate(since: start)
            lines.append(
                String(format: "%d worker(s): %d orders in %.1f s = %.0f orders/s", hosts.count, backlog, seconds, rate)
            )
        }
        try await cluster.waitForEmptyQueue("orderflow.ingest")
        #expect(try await cluster.count("SELECT count(*) FROM orders") == Int64(stored))
        #expect(try await cluster.count("SELECT count(*) FROM processed_messages") == Int64(stored))
        // What an order costs the database: WAL written (what the standby receives) and size.
        let wal = try await cluster.count("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '\(walBefore)')::bigint")
        let size = try await cluster.count("SELECT pg_database_size('orderflow')")
        print(
            "cluster, scaling over two worker hosts: " + lines.joined(separator: "; ")
                + "; per order \(wal / Int64(stored)) bytes of WAL, database \(size / Int64(stored)) bytes "
                + "(\(stored) orders, \(size / 1_048_576) MiB)")
    }
}
