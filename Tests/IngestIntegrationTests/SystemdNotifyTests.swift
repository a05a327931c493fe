import AMQP
import Foundation
import OrdersTestSupport
import Testing

/// The `orderflow worker` binary under a stand-in for systemd: the test binds the socket that
/// `$NOTIFY_SOCKET` names and reads what the worker tells systemd.
@Suite("worker process: sd_notify", .serialized, .workerSlot)
struct SystemdNotifyTests {
    /// WATCHDOG_USEC of 2 s: the worker must ping every second, and never leave 2 s without a ping.
    static let watchdog = ["WATCHDOG_USEC": "2000000"]

    @Test func readyOnlyWithAConsumerWatchdogAtHalfTheTimeoutStatusAndStoppingOnSigterm() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let systemd = try NotifyListener(abstract: true)
        defer { systemd.stop() }
        let worker = try WorkerProcess(
            harness, extraEnvironment: Self.watchdog.merging(["NOTIFY_SOCKET": systemd.address]) { $1 })

        let ready = try await systemd.waitFor("READY=1", timeout: .seconds(30))
        let consumers = try Self.consumers(harness.queue)
        #expect(consumers == 1, "READY=1 came while \(harness.queue) had \(consumers) consumers")
        #expect(ready.value("STATUS") == "consuming \(harness.queue)")
        #expect(systemd.received.filter { $0.has("READY=1") }.count == 1)

        // Pings while idle and while orders flow; the status line reports the throughput.
        try await Task.sleep(for: .seconds(2))
        try harness.publish((1...300).map { ("order.canonical", CanonicalSamples.order($0), "n-\($0)") })
        try await harness.waitFor("SELECT count(*) FROM orders", toBe: 300)
        let status = try await Self.waitForStatus(systemd, containing: "300 stored", timeout: .seconds(15))
        #expect(status.hasPrefix("consuming \(harness.queue): 300 stored, 0 rejected"), "\(status)")

        let pings = systemd.received.filter { $0.has("WATCHDOG=1") && $0.at > ready.at }.map(\.at)
        let gaps = zip(pings.dropFirst(), pings).map { $0.0 - $0.1 }
        #expect(pings.count >= 3, "\(pings.count) pings since READY")
        #expect(gaps.allSatisfy { $0 >= .milliseconds(950) && $0 < .seconds(2) }, "gaps between pings: \(gaps)")

        worker.signal(SIGTERM)
        let stopping = try await systemd.waitFor("STOPPING=1", timeout: .seconds(10))
        #expect(stopping.value("STATUS")?.hasPrefix("draining") == true)
        let exit = try await worker.waitForExit(timeout: .seconds(30))
        #expect(exit == 0, "exit status \(exit); log: \(worker.log.suffix(2000))")
    }

    @Test func withoutABrokerThereIsNoReadyButTheWatchdogIsFedAndTheStartTimeoutExtended() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let systemd = try NotifyListener(abstract: false)
        defer { systemd.stop() }
        let environment = Self.watchdog.merging([
            "NOTIFY_SOCKET": systemd.address,
            "ORDERFLOW_AMQP_URL": "amqp://guest:guest@127.0.0.1:1/%2F",
        ]) { $1 }
        let worker = try WorkerProcess(harness, extraEnvironment: environment)
        try await Task.sleep(for: .seconds(4))
        let received = systemd.received
        #expect(!received.contains { $0.has("READY=1") }, "READY=1 without a broker")
        #expect(
            received.filter { $0.has("WATCHDOG=1") }.count >= 3,
            "the loop waiting for the broker is alive: \(received.map(\.fields))")
        #expect(received.contains { $0.value("EXTEND_TIMEOUT_USEC") == "3000000" })
        worker.signal(SIGTERM)
        try await systemd.waitFor("STOPPING=1", timeout: .seconds(10))
        #expect(try await worker.waitForExit(timeout: .seconds(30)) == 0)
    }

    static func consumers(_ queue: String) throws -> UInt32 {
        let broker = try AMQPConnection(try AMQPConfiguration(url: amqpURL))
        defer { broker.close() }
        return try broker.declareQueue(queue, passive: true).consumers
    }

    static func waitForStatus(
        _ systemd: NotifyListener, containing text: String, timeout: Duration
    ) async throws -> String {
        let deadline = TestTime.deadline(after: timeout)
        while true {
            if let status = systemd.received.compactMap({ $0.value("STATUS") }).last(where: { $0.contains(text) }) {
                return status
            }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("no STATUS with '\(text)'; got \(systemd.received.compactMap { $0.value("STATUS") })")
    }
}
