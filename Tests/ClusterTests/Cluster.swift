import Foundation
import OrdersTestSupport
import Testing

/// The hosts of `deploy/cluster.sh` (network namespaces on this machine) and the orderflow
/// processes a scenario runs on them: workers on w1 and w2, the notifier on n1, publishers and the
/// operator's queries on shop. The test process itself stays outside: it reaches the hosts only
/// through the script and `ip netns exec`.
struct Cluster {
    /// Unique orders published per scenario: `ORDERFLOW_TEST_CLUSTER_ORDERS` (50,000 with
    /// `deploy/local.sh test --cluster`), a few thousand in the default phase.
    static let orders = Int(ProcessInfo.processInfo.environment["ORDERFLOW_TEST_CLUSTER_ORDERS"] ?? "") ?? 4000

    static let script =
        ProcessInfo.processInfo.environment["ORDERFLOW_TEST_CLUSTER_SCRIPT"]
        ?? LocalStack.checkout.appendingPathComponent("deploy/cluster.sh").path

    let environment: [String: String]

    var amqpURL: String { environment["ORDERFLOW_TEST_CLUSTER_AMQP_URL"] ?? "" }
    /// The same brokers through each host's delaying relay (`cluster.sh delay`).
    var relayedAMQPURL: String { environment["ORDERFLOW_TEST_CLUSTER_RELAYED_AMQP_URL"] ?? "" }
    var ownerDatabaseURL: String { environment["ORDERFLOW_TEST_CLUSTER_DATABASE_URL"] ?? "" }
    var appDatabaseURL: String { environment["ORDERFLOW_TEST_CLUSTER_APP_DATABASE_URL"] ?? "" }
    var smtpURL: String { environment["ORDERFLOW_TEST_CLUSTER_SMTP_URL"] ?? "" }
    var mailbox: Mailbox { Mailbox(directory: environment["ORDERFLOW_TEST_CLUSTER_MAILDIR"] ?? "") }

    /// `deploy/cluster.sh ARGUMENTS`; throws with its output when it fails.
    @discardableResult
    static func run(_ arguments: String...) async throws -> String {
        let result = try await ChildProcess.run("/bin/bash", [script] + arguments)
        guard result.status == 0 else {
            throw TestFailure("deploy/cluster.sh \(arguments.joined(separator: " ")): \(result.output.suffix(3000))")
        }
        return result.output
    }

    /// Every host up and healed (servers started, faults lifted), the queues empty, a fresh
    /// database with orderflow's schema.
    static func fresh() async throws -> Cluster {
        try await run("up")
        try await run("restore")
        try await run("reset")
        var environment: [String: String] = [:]
        for line in try await run("env").split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { environment[String(pair[0])] = String(pair[1]) }
        }
        let cluster = Cluster(environment: environment)
        // A database node that has just rejoined can refuse the first connection: a few tries.
        var log = ""
        for _ in 1...3 {
            let migrate = try cluster.run(
                on: "shop", ["migrate"], environment: ["ORDERFLOW_DATABASE_URL": cluster.ownerDatabaseURL],
                daemon: false)
            if try await migrate.waitForExit(timeout: .seconds(120)) == 0 { return cluster }
            log = migrate.log
            try await Task.sleep(for: .seconds(5))
        }
        throw TestFailure("orderflow migrate failed three times: \(log.suffix(2000))")
    }

    /// `orderflow ARGUMENTS` inside HOST.
    func run(
        on host: String, _ arguments: [String], environment: [String: String?], daemon: Bool = true
    ) throws -> OrderflowProcess {
        try OrderflowProcess(
            arguments, environment: environment, daemon: daemon,
            launcher: ["/usr/sbin/ip", "netns", "exec", "ofc-\(host)"])
    }

    /// `orderflow worker` on HOST with its outbox relay, through the relays when `relayed`.
    func worker(
        on host: String, relayed: Bool = false, prefetch: Int? = nil, batchSize: Int? = nil
    ) throws
        -> OrderflowProcess
    {
        var arguments = ["worker", "--no-sweeper", "--drain-timeout", "15"]
        if let prefetch { arguments += ["--prefetch", "\(prefetch)"] }
        if let batchSize { arguments += ["--batch-size", "\(batchSize)"] }
        return try run(
            on: host, arguments,
            environment: [
                "ORDERFLOW_AMQP_URL": relayed ? relayedAMQPURL : amqpURL, "ORDERFLOW_DATABASE_URL": appDatabaseURL,
                "ORDERFLOW_METRICS_ADDR": nil, "ORDERFLOW_LOG_LEVEL": "info",
            ])
    }

    /// `orderflow notifier` on HOST, sending to the smtp host's sink as the test merchant.
    func notifier(on host: String) throws -> OrderflowProcess {
        var environment: [String: String?] = [
            "ORDERFLOW_AMQP_URL": amqpURL, "ORDERFLOW_DATABASE_URL": appDatabaseURL, "ORDERFLOW_SMTP_URL": smtpURL,
            "ORDERFLOW_MAIL_DIR": nil, "ORDERFLOW_METRICS_ADDR": nil,
        ]
        for (name, value) in OrderflowProcess.testMerchant { environment[name] = value }
        return try run(on: host, ["notifier"], environment: environment)
    }

    /// `orderflow publish` on the shop host: ORDERS Shopify orders, then (a second process)
    /// PARCELS parcel notices for some of them, both paced at `rate` messages per second.
    func publish(orders: Int, parcels: Int, seed: Int, rate: Int) throws -> [OrderflowProcess] {
        let environment: [String: String?] = ["ORDERFLOW_AMQP_URL": amqpURL]
        var publishers = [
            try run(
                on: "shop", ["publish", "shopify", "--sample", "\(orders)", "--seed", "\(seed)", "--rate", "\(rate)"],
                environment: environment, daemon: false)
        ]
        if parcels > 0 {
            publishers.append(
                try run(
                    on: "shop",
                    [
                        "publish", "canonical", "--shipment", "--sample", "\(parcels)", "--orders", "shopify", "--seed",
                        "\(seed)", "--rate", "\(max(1, rate * parcels / orders))",
                    ], environment: environment, daemon: false))
        }
        return publishers
    }

    /// A number from `deploy/cluster.sh sql` (as orderflow_owner on whichever node is the primary).
    func count(_ query: String) async throws -> Int64 {
        let output = try await Self.run("sql", query).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = Int64(output.split(separator: "\n").last ?? "") else {
            throw TestFailure("\(query): not a number: \(output.suffix(500))")
        }
        return value
    }

    /// Messages ready or unacknowledged in a queue, asked of the first broker node that answers.
    func queueDepth(_ queue: String) async throws -> Int64 {
        for node in ["mq1", "mq2", "mq3"] {
            guard
                let output = try? await Self.run(
                    "ctl", node, "-q", "list_queues", "name", "messages", "--no-table-headers"),
                let line = output.split(separator: "\n").first(where: { $0.hasPrefix(queue + "\t") }),
                let depth = Int64(line.split(separator: "\t").last ?? "")
            else { continue }
            return depth
        }
        throw TestFailure("no broker node answers")
    }

    /// Seconds since 1970 of every order's insertion, in order (orders.stored_at, clock time).
    func storedTimes() async throws -> [Double] {
        try await Self.run("sql", "SELECT extract(epoch FROM stored_at) FROM orders ORDER BY stored_at")
            .split(separator: "\n").compactMap { Double($0) }
    }
}

extension Cluster {
    /// Orders per second from the first to the last order stored after `since` (seconds since 1970):
    /// the rate of the drain itself, without the workers' start.
    func storeRate(since: Double) async throws -> (orders: Int64, seconds: Double, rate: Double) {
        let output = try await Self.run(
            "sql",
            "SELECT count(*), extract(epoch FROM max(stored_at) - min(stored_at)) FROM orders "
                + "WHERE stored_at >= to_timestamp(\(since))")
        let fields = output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|")
        guard fields.count == 2, let count = Int64(fields[0]), let seconds = Double(fields[1]), seconds > 0 else {
            throw TestFailure("no rate from \(output)")
        }
        return (count, seconds, Double(count) / seconds)
    }

    /// Waits until no message of `queue` is ready or unacknowledged (the counts trail the acks).
    func waitForEmptyQueue(_ queue: String) async throws {
        try await waitUntil(timeout: .seconds(60), poll: .seconds(1)) { (try? await queueDepth(queue)) == 0 }
    }
}

/// What a scenario measures around a fault.
struct Outage: CustomStringConvertible {
    /// From the fault to the end of the longest pause in stored orders that began at or after it
    /// (less 0.5 s for a batch in flight): the first order stored once the cluster served again.
    let toFirstCommit: Double
    /// The longest pause itself.
    let pause: Double

    /// From the stored times: the longest gap between two consecutive orders that starts within
    /// [fault - 0.5 s, fault + 90 s].
    init(fault: Double, stored: [Double]) {
        var best = (start: fault, end: fault)
        for (previous, next) in zip(stored, stored.dropFirst())
        where previous >= fault - 0.5 && previous <= fault + 90 && next - previous > best.end - best.start {
            best = (previous, next)
        }
        toFirstCommit = max(0, best.end - fault)
        pause = best.end - best.start
    }

    var description: String {
        String(
            format: "longest pause in stored orders %.1f s, the first order after it stored %.1f s after the fault",
            pause, toFirstCommit)
    }
}

/// When each worker consumed again after the fault: its log's `consuming` lines counted before and
/// polled after.
final class Reconnects: @unchecked Sendable {
    private let processes: [(String, OrderflowProcess)]
    private let before: [Int]
    private let fault: ContinuousClock.Instant
    private(set) var after: [String: Duration] = [:]

    init(_ processes: [(String, OrderflowProcess)]) {
        self.processes = processes
        before = processes.map { Self.consumingLines($0.1) }
        fault = .now
    }

    static func consumingLines(_ process: OrderflowProcess) -> Int {
        process.log.split(separator: "\n").filter { $0.contains("consuming") && $0.contains("amqp.generation") }.count
    }

    /// Notes each process whose count of `consuming` lines grew since the fault.
    func poll() {
        for ((name, process), count) in zip(processes, before) where after[name] == nil {
            if Self.consumingLines(process) > count { after[name] = .now - fault }
        }
    }

    var description: String {
        processes.map { name, _ in
            if let duration = after[name] {
                return "\(name) consuming again after \(Self.seconds(duration))"
            }
            return "\(name) kept its connection"
        }.joined(separator: ", ")
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}

extension Date {
    static var nowSeconds: Double { Date().timeIntervalSince1970 }
}
