import AMQP
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import OrdersTestSupport
import Testing

/// The worker's /metrics and /healthz (ORDERFLOW_METRICS_ADDR), scraped over HTTP from the real
/// `orderflow worker` binary while it ingests.
@Suite("worker process: metrics endpoint", .serialized, .workerSlot)
struct MetricsEndpointTests {
    /// The series the README documents for the worker.
    static let documentedSeries = [
        "orderflow_ingest_delivered_total", "orderflow_ingest_redelivered_total", "orderflow_ingest_messages_total",
        "orderflow_ingest_batch_size", "orderflow_ingest_transaction_seconds", "orderflow_amqp_reconnects_total",
        "orderflow_ingest_db_retries_total", "orderflow_db_retries_total", "orderflow_db_deadlocks_total",
        "orderflow_ingest_consumer_active",
        "orderflow_outbox_backlog", "orderflow_outbox_oldest_age_seconds", "orderflow_outbox_published_total",
        "orderflow_outbox_failed_total",
    ]

    @Test func scrapeShowsTheDocumentedSeriesWithTheirCounts() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        // Whole seconds: the kernel counts a process's start in clock ticks since boot, boot time in seconds.
        let started = Date().timeIntervalSince1970.rounded(.down) - 1
        let worker = try WorkerProcess(harness, extraEnvironment: ["ORDERFLOW_METRICS_ADDR": "127.0.0.1:0"])
        let base = try await Self.endpoint(of: worker)

        try await waitUntil(timeout: .seconds(30)) { (try? await Self.get(base + "/healthz"))?.status == 200 }
        let health = try await Self.get(base + "/healthz")
        let node = try AMQPConfiguration(url: amqpURL).node
        #expect(health.body == "consuming \(harness.queue) on \(node)\n")

        var messages = (1...50).map { ("order.canonical", CanonicalSamples.order($0), "m-\($0)") }
        messages += [
            ("order.canonical", Array("not json".utf8), "m-bad-1"), ("order.nowhere", Array("{}".utf8), "m-bad-2"),
        ]
        try harness.publish(messages)
        try await harness.waitFor("SELECT count(*) FROM rejects", toBe: 2)
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: 50)

        let scrape = try await Self.get(base + "/metrics")
        #expect(scrape.status == 200)
        #expect(scrape.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
        let samples = Self.samples(scrape.body)
        for series in Self.documentedSeries {
            #expect(scrape.body.contains("# TYPE \(series)"), "\(series) missing from:\n\(scrape.body)")
        }
        #expect(samples["orderflow_ingest_messages_total{result=\"stored\"}"] == 50, "\(scrape.body)")
        #expect(samples["orderflow_ingest_messages_total{result=\"rejected\"}"] == 2)
        #expect(samples["orderflow_ingest_delivered_total"] == 52)
        #expect(samples["orderflow_ingest_consumer_active"] == 1)
        #expect((samples["orderflow_ingest_transaction_seconds_count"] ?? 0) >= 1)
        #expect((samples["orderflow_ingest_batch_size_sum"] ?? 0) == 52)
        #expect(samples["orderflow_outbox_backlog"] == 0, "no parcel, no event waiting")
        try Self.expectProcessSeries(scrape.body, samples: samples, startedAfter: started)

        #expect(try await Self.get(base + "/nothing").status == 404)
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
    }

    @Test func healthzIsUnavailableWhileTheWorkerHasNoBroker() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let worker = try WorkerProcess(
            harness,
            extraEnvironment: [
                "ORDERFLOW_METRICS_ADDR": "127.0.0.1:0",
                "ORDERFLOW_AMQP_URL": "amqp://guest:guest@127.0.0.1:1/%2F",
            ])
        let base = try await Self.endpoint(of: worker)
        let health = try await Self.get(base + "/healthz")
        #expect(health.status == 503)
        #expect(health.body.hasPrefix("not consuming"))
        let scrape = try await Self.get(base + "/metrics")
        #expect(Self.samples(scrape.body)["orderflow_ingest_consumer_active"] ?? 0 == 0)
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
    }

    /// The process series (from /proc) and the build's labels, with values this worker can have.
    static func expectProcessSeries(_ body: String, samples: [String: Double], startedAfter started: Double) throws {
        for (series, type) in [
            ("process_resident_memory_bytes", "gauge"), ("process_cpu_seconds_total", "counter"),
            ("process_open_fds", "gauge"), ("process_start_time_seconds", "gauge"),
        ] {
            #expect(body.contains("# TYPE \(series) \(type)\n"), "\(series) missing from:\n\(body)")
        }
        let resident = try #require(samples["process_resident_memory_bytes"])
        #expect(resident > 4 * 1024 * 1024 && resident < 1024 * 1024 * 1024, "\(resident) bytes")
        let cpu = try #require(samples["process_cpu_seconds_total"])
        #expect(cpu > 0 && cpu < 600, "\(cpu) s")
        // Standard streams, the broker's and the database's sockets, the listening socket at least.
        let descriptors = try #require(samples["process_open_fds"])
        #expect(descriptors >= 6 && descriptors < 1000, "\(descriptors) descriptors")
        let start = try #require(samples["process_start_time_seconds"])
        #expect(start >= started && start <= Date().timeIntervalSince1970, "started at \(start), test at \(started)")

        let buildInfo = try #require(
            body.split(separator: "\n").first { $0.hasPrefix("orderflow_build_info{") }, "no build info in:\n\(body)")
        #expect(buildInfo.hasSuffix("} 1") || buildInfo.hasSuffix("} 1.0"), "\(buildInfo)")
        for label in [#"version="0.1.0""#, #"libpq=""#, #"librabbitmq=""#, #"libcurl=""#] {
            #expect(buildInfo.contains(label), "\(buildInfo)")
        }
        // The commit of an installed package, else unknown.
        #expect(buildInfo.contains(try Regex(#"revision="([0-9a-f]{40}|unknown)""#)), "\(buildInfo)")
    }

    /// `http://127.0.0.1:PORT`, from the worker's "metrics endpoint listening" log line (it binds port 0).
    static func endpoint(of worker: WorkerProcess) async throws -> String {
        let pattern = try Regex(#"http\.address=127\.0\.0\.1:(\d+)"#)
        let deadline = TestTime.deadline(after: .seconds(20))
        while true {
            if let match = worker.log.firstMatch(of: pattern), let port = match.output[1].substring {
                return "http://127.0.0.1:\(port)"
            }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("no metrics endpoint in the log: \(worker.log)")
    }

    struct Response { let status: Int; let contentType: String?; let body: String }

    static func get(_ url: String) async throws -> Response {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        let http = response as! HTTPURLResponse
        return Response(
            status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"),
            body: String(decoding: data, as: UTF8.self))
    }

    /// "name{labels} value" lines, by "name{labels}".
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            samples[String(line[..<space])] = value
        }
        return samples
    }
}
