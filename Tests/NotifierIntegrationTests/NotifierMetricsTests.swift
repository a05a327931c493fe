import AMQP
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import OrdersTestSupport
import Testing

/// The notifier's /metrics and /healthz (ORDERFLOW_METRICS_ADDR), scraped from the real binary.
@Suite("notifier process: metrics endpoint", .serialized, .workerSlot)
struct NotifierMetricsTests {
    @Test func scrapeShowsTheSentEmailsAndHealthzTheConsumer() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let notifier = try NotifierProcess(
            harness, smtpURL: smtpURL, extraEnvironment: ["ORDERFLOW_METRICS_ADDR": "127.0.0.1:0"])
        let base = try await Self.endpoint(in: { notifier.log })
        try await waitUntilHealthy(base)
        let node = try AMQPConfiguration(url: LocalStack.amqpURL).node
        #expect(try await Self.get(base + "/healthz").body == "consuming \(harness.queue) on \(node)\n")

        let events = (0..<3).map { _ in TestEvents.shipment(carrier: "DHL", trackingNumber: "00340434161094042557") }
        try harness.publish(events)
        try await harness.waitFor("SELECT count(*) FROM emails WHERE status = 'sent'", toBe: 3)
        let scrape = try await Self.get(base + "/metrics")
        #expect(scrape.status == 200)
        #expect(scrape.body.contains("# TYPE orderflow_notifier_send_seconds"))
        #expect(scrape.body.contains("orderflow_notifier_emails_total{result=\"sent\"} 3"), "\(scrape.body)")
        notifier.signal(SIGTERM)
        #expect(try await notifier.waitForExit() == 0)
    }

    private func waitUntilHealthy(_ base: String) async throws {
        // Checked once more after the deadline: a test process starved by its neighbours wakes late.
        let deadline = TestTime.deadline(after: .seconds(60))
        while true {
            if (try? await Self.get(base + "/healthz"))?.status == 200 { return }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("the notifier never became healthy")
    }

    /// `http://127.0.0.1:PORT`, from the "metrics endpoint listening" log line (it binds port 0).
    static func endpoint(in log: () -> String) async throws -> String {
        let pattern = try Regex(#"http\.address=127\.0\.0\.1:(\d+)"#)
        let deadline = TestTime.deadline(after: .seconds(60))
        while true {
            if let match = log().firstMatch(of: pattern), let port = match.output[1].substring {
                return "http://127.0.0.1:\(port)"
            }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("no metrics endpoint in the log: \(log())")
    }

    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }
}
