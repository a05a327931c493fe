// The ingest benchmark (SPEC 4): one worker process draining a backlog of Shopify-shaped orders,
// publish-to-commit latency at a fixed offered rate, peak RSS, and the ratio to the machine's
// ceiling measured by ../shared/bench/limit.sh on the same servers and the same body.
//
// usage: IngestBenchmark [--orders N] [--rate R] [--rate-seconds S] [--seed N] [--no-limit]
// env:   ORDERFLOW_AMQP_URL, ORDERFLOW_DATABASE_URL (deploy/local.sh env), ORDERFLOW_BIN (release worker)
import AMQP
import Foundation
import LibPQ
import Logging
import OrdersDomain
import OrdersSamples
import OrdersStore

struct Arguments {
    var orders = 100_000
    var rate = 1000
    var rateSeconds = 20
    var runLimit = true
    /// The sample seed: fixed by default, so that runs compare the same orders (body sizes vary by seed).
    var seed: UInt64 = 1

    init() {
        var it = CommandLine.arguments.dropFirst().makeIterator()
        while let arg = it.next() {
            switch arg {
            case "--orders": orders = Int(it.next() ?? "") ?? orders
            case "--rate": rate = Int(it.next() ?? "") ?? rate
            case "--rate-seconds": rateSeconds = Int(it.next() ?? "") ?? rateSeconds
            case "--no-limit": runLimit = false
            case "--seed": seed = UInt64(it.next() ?? "") ?? seed
            default: fatalError("unknown argument \(arg)")
            }
        }
    }
}

let arguments = Arguments()
let environment = ProcessInfo.processInfo.environment
let amqpURL = environment["ORDERFLOW_AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:55672/%2F"
let databaseURL =
    environment["ORDERFLOW_DATABASE_URL"] ?? "postgres://orderflow_owner:orderflow-local@127.0.0.1:55432/orderflow"
let workerBinary = environment["ORDERFLOW_BIN"] ?? ".build/release/orderflow"
let id = UUID().uuidString.prefix(8).lowercased()
let schema = "bench_\(id)", queue = "bench.ingest.\(id)", exchange = "bench.inbound.\(id)"
// The worker's relay publishes the run's shipment events here, not to the shared orderflow.events.
let eventsExchange = "bench.events.\(id)", eventsQueue = "bench.notifier.\(id)"
let benchURL = databaseURL + (databaseURL.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)"

func say(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

// --- setup: a private schema and queue ---
let admin = try PostgresConnection(url: databaseURL)
try admin.execute("CREATE SCHEMA \(schema)")
defer { _ = try? admin.execute("DROP SCHEMA \(schema) CASCADE") }
try Migrator(logger: Logger(label: "bench")).migrate(try PostgresConnection(url: benchURL))
var publisher = try AMQPPublisher(try AMQPConfiguration(url: amqpURL))
try publisher.underlyingConnection.declareExchange(exchange, type: "topic", durable: false)
try publisher.underlyingConnection.declareQueue(
    queue, arguments: ["x-queue-type": .string("quorum"), "x-delivery-limit": .int(5)])
try publisher.underlyingConnection.bindQueue(queue, exchange: exchange, routingKey: "order.shopify")
try publisher.underlyingConnection.declareExchange(eventsExchange, type: "topic", durable: false)
try publisher.underlyingConnection.declareQueue(eventsQueue, arguments: ["x-queue-type": .string("quorum")])
try publisher.underlyingConnection.bindQueue(eventsQueue, exchange: eventsExchange, routingKey: "#")
/// Deletes the run's queue and exchange on a fresh connection (the publisher's may have gone idle).
func removeBrokerObjects() {
    guard let broker = try? AMQPConnection(try AMQPConfiguration(url: amqpURL)) else { return }
    _ = try? broker.deleteQueue(queue)
    _ = try? broker.deleteExchange(exchange)
    _ = try? broker.deleteQueue(eventsQueue)
    _ = try? broker.deleteExchange(eventsExchange)
    broker.close()
}

let sampler = OrderSampler(channel: "shopify", seed: arguments.seed, now: UTCTimestamp(epochMilliseconds: nowMillis()))!
@MainActor func publish(_ range: Range<Int>, messageID: (Int) -> String) throws {
    let messages = range.map { index in
        let sample = sampler.order(at: index)
        // The worker reads the channel from the routing key, so publish through the run's own topic
        // exchange (never a shared one: other runs' queues must not receive copies).
        return OutgoingMessage(
            exchange: exchange, routingKey: "order.shopify", body: sample.body,
            properties: AMQPProperties(messageID: messageID(index), contentType: "application/json", deliveryMode: 2))
    }
    let result = publisher.publish(messages, timeout: .seconds(60))
    guard result.failure == nil, result.outcomes.allSatisfy({ $0 == .confirmed }) else {
        fatalError("publish failed: \(String(describing: result.failure))")
    }
}
let bodySize = sampler.order(at: 0).body.count

func countOrders(_ db: PostgresConnection) throws -> Int {
    Int(try db.execute("SELECT count(*) AS n FROM orders").int64(0, "n") ?? 0)
}
func rss(_ pid: Int32) -> (current: Int, peak: Int) {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
    func kb(_ key: String) -> Int {
        status.split(separator: "\n").first { $0.hasPrefix(key) }.flatMap {
            Int($0.split(whereSeparator: { $0 == " " || $0 == "\t" })[1])
        } ?? 0
    }
    return (kb("VmRSS:"), kb("VmHWM:"))
}
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// The release `orderflow worker` on the run's queue and schema, as an operator would run it.
func startWorker() throws -> Process {
    let worker = Process()
    worker.executableURL = URL(fileURLWithPath: workerBinary)
    worker.arguments = ["worker", "--queue", queue]
    var workerEnvironment = environment
    workerEnvironment["ORDERFLOW_DATABASE_URL"] = benchURL
    workerEnvironment["ORDERFLOW_AMQP_URL"] = amqpURL
    workerEnvironment["ORDERFLOW_EVENTS_EXCHANGE"] = eventsExchange
    workerEnvironment["ORDERFLOW_LOG_LEVEL"] = "warning"
    worker.environment = workerEnvironment
    worker.standardInput = FileHandle.nullDevice
    try worker.run()
    return worker
}
func stopWorker(_ worker: Process) {
    worker.interrupt()  // SIGINT: graceful
    worker.waitUntilExit()
}
let db = try PostgresConnection(url: benchURL)

// --- phase 1: latency at a fixed offered rate, the worker keeping up (steady state) ---
// Measured first, on its own: right after a backlog drain the database is still writing out that
// gigabyte (checkpoint), which is the drain's cost, not the steady state's.
var worker = try startWorker()
Thread.sleep(forTimeInterval: 2)  // connected and consuming
let latencyCount = arguments.rate * arguments.rateSeconds
say("offering \(arguments.rate) msg/s for \(arguments.rateSeconds) s...")
var sentAt: [Int64] = []
sentAt.reserveCapacity(latencyCount)
let tick = 10  // messages per 10 ms step at 1000/s
let perTick = max(1, arguments.rate * tick / 1000)
var sent = 0
let rateStart = ContinuousClock.now
while sent < latencyCount {
    let batch = min(perTick, latencyCount - sent)
    let now = nowMillis()
    try publish(sent..<sent + batch) { "latency-\($0)" }
    sentAt.append(contentsOf: repeatElement(now, count: batch))
    sent += batch
    let due = rateStart + .milliseconds(sent * 1000 / arguments.rate)
    if ContinuousClock.now < due { Thread.sleep(forTimeInterval: seconds(due - ContinuousClock.now)) }
}
while try countOrders(db) < latencyCount { Thread.sleep(forTimeInterval: 0.1) }
let stored = try db.execute(
    """
    SELECT substring(message_id from 9)::int AS i, (extract(epoch from stored_at) * 1000)::bigint AS ms
    FROM orders WHERE message_id LIKE 'latency-%'
    """)
let latencies = stored.rows.compactMap { row -> Int64? in
    guard let i = row[0].flatMap({ Int($0) }), let ms = row[1].flatMap({ Int64($0) }), i < sentAt.count else {
        return nil
    }
    return ms - sentAt[i]
}.sorted()
@MainActor func percentile(_ p: Double) -> Int64 {
    latencies.isEmpty ? -1 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
}
stopWorker(worker)

// --- phase 2: a backlog drained by one worker ---
// A fresh connection: the first one sat idle (no heartbeats serviced) while the worker stopped.
publisher.close()
publisher = try AMQPPublisher(try AMQPConfiguration(url: amqpURL))
say("publishing a backlog of \(arguments.orders) Shopify orders (\(bodySize) bytes each)...")
let publishStart = ContinuousClock.now
for window in stride(from: 0, to: arguments.orders, by: 2000) {
    try publish(latencyCount + window..<latencyCount + min(window + 2000, arguments.orders)) { "backlog-\($0)" }
}
let publishSeconds = seconds(ContinuousClock.now - publishStart)

let drainStart = ContinuousClock.now
worker = try startWorker()
var rssSamples: [Int] = []
// The highest RSS in each tenth of the drain: flat means the last tenths are no higher than the first.
var rssByTenth = [Int](repeating: 0, count: 10)
while case let drained = try countOrders(db) - latencyCount, drained < arguments.orders {
    Thread.sleep(forTimeInterval: 0.1)
    let current = rss(worker.processIdentifier).current
    rssSamples.append(current)
    let tenth = min(9, max(0, drained) * 10 / arguments.orders)
    rssByTenth[tenth] = max(rssByTenth[tenth], current)
    guard worker.isRunning else { fatalError("worker exited early") }
}
let drainSeconds = seconds(ContinuousClock.now - drainStart)
let drainRate = Double(arguments.orders) / drainSeconds
say("drained \(arguments.orders) orders in \(String(format: "%.1f", drainSeconds)) s (\(Int(drainRate)) orders/s)")
let peakRSS = rss(worker.processIdentifier).peak
stopWorker(worker)
publisher.close()
removeBrokerObjects()

// --- the ceiling on the same servers and body ---
var limitRate: Double?
if arguments.runLimit {
    let bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-bench-body-\(id).json")
    try Data(sampler.order(at: 0).body).write(to: bodyFile)
    let amqp = try AMQPConfiguration(url: amqpURL)
    let limit = Process()
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../../shared/bench/limit.sh"
    ).standardized
    limit.executableURL = URL(fileURLWithPath: "/bin/bash")
    limit.arguments = [script.path, bodyFile.path, String(arguments.orders)]
    var limitEnvironment = environment
    limitEnvironment["AMQP_HOST"] = amqp.host
    limitEnvironment["AMQP_PORT"] = String(amqp.port)
    limitEnvironment["AMQP_USER"] = amqp.user
    limitEnvironment["AMQP_PASS"] = amqp.password
    limitEnvironment["LIMIT_PG"] = benchURL.replacingOccurrences(of: "options=-csearch_path%3D\(schema)", with: "")
    limit.environment = limitEnvironment
    let pipe = Pipe()
    limit.standardOutput = pipe
    limit.standardInput = FileHandle.nullDevice
    say("running the ceiling probe (shared/bench/limit.sh) with \(arguments.orders) messages...")
    try limit.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    limit.waitUntilExit()
    try? FileManager.default.removeItem(at: bodyFile)
    if let line = output.split(separator: "\n").first(where: { $0.contains("msg/s") }),
        let number = line.split(separator: " ").reversed().dropFirst().first(where: { Double($0) != nil })
    {
        limitRate = Double(number)
    }
    say(output.trimmingCharacters(in: .whitespacesAndNewlines))
}

func f(_ x: Double) -> String { String(Int(x.rounded())) }
print(
    """
    ingest benchmark: \(ProcessInfo.processInfo.activeProcessorCount) cores, \
    \(ProcessInfo.processInfo.physicalMemory >> 30) GiB, Shopify-shaped body \(bodySize) bytes
      publish backlog:   \(arguments.orders) messages in \(String(format: "%.1f", publishSeconds)) s \
    (\(f(Double(arguments.orders) / publishSeconds)) msg/s, confirms)
      drain, 1 worker:   \(arguments.orders) orders in \(String(format: "%.1f", drainSeconds)) s = \(f(drainRate)) \
    orders/s
      latency at \(arguments.rate)/s:  p50 \(percentile(0.50)) ms, p99 \(percentile(0.99)) ms, max \
    \(latencies.last ?? -1) ms (publish to row written, \(latencies.count) messages)
      worker RSS:        peak \(peakRSS / 1024) MiB, during drain \
    \(rssSamples.min().map { $0 / 1024 } ?? 0)-\(rssSamples.max().map { $0 / 1024 } ?? 0) MiB
      RSS per tenth:     \(rssByTenth.map { String($0 / 1024) }.joined(separator: " ")) MiB (highest in each tenth of \
    the drain)
    """)
if let limitRate {
    print(
        "  ceiling (limit.sh): \(f(limitRate)) msg/s; ratio \(String(format: "%.2f", drainRate / limitRate)) (target "
            + "0.6)"
    )
}
