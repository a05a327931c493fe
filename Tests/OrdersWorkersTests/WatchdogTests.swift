import DaemonSupport
import OrdersTestSupport
import OrdersWorkers
import Testing

/// The loop feeds systemd's watchdog on every turn, idle or waiting out an outage, and only while
/// the source's connection thread turns too.
@Suite("Watchdog pacing")
struct WatchdogTests {
    private func pings(
        during duration: Duration, source: InMemoryMessageSource, store: InMemoryIngestStore
    ) async throws -> [ContinuousClock.Instant] {
        let listener = try NotifyListener(abstract: true)
        defer { listener.stop() }
        let systemd = SystemdNotifier(
            socket: NotifySocket(path: listener.address), watchdogInterval: .milliseconds(100))
        let service = IngestService(
            source: source, store: store, options: ingestOptions(drainTimeout: .milliseconds(100)),
            logger: testLogger("watchdog"),
            systemd: systemd)
        try await withRunningService(service) { try await Task.sleep(for: duration) }
        try await Task.sleep(for: .milliseconds(150))  // the listener polls its socket
        return listener.received.filter { $0.has("WATCHDOG=1") }.map(\.at)
    }

    @Test func anIdleLoopPingsAtThePace() async throws {
        // A 100 ms ping interval: a turn at least every 25 ms, a ping at most every 100 ms.
        expectPaced(
            try await pings(during: .milliseconds(1500), source: InMemoryMessageSource(), store: InMemoryIngestStore()))
    }

    @Test func aLoopWaitingOutADatabaseOutageStillPings() async throws {
        let source = InMemoryMessageSource()
        let store = InMemoryIngestStore()
        store.setUnavailable(true)
        source.connect()
        source.deliver(canonicalOrder(1))
        expectPaced(try await pings(during: .milliseconds(1500), source: source, store: store))
    }

    @Test func aStalledConnectionThreadStopsThePings() async throws {
        let source = InMemoryMessageSource()
        source.stall(milliseconds: 10_000)
        #expect(try await pings(during: .milliseconds(800), source: source, store: InMemoryIngestStore()).isEmpty)
    }

    /// Pings keep coming (on an idle machine about 15 in 1.5 s; a few even when the tests around
    /// starve this one), and never closer together than the interval.
    private func expectPaced(_ pings: [ContinuousClock.Instant]) {
        #expect(pings.count >= 3, "\(pings.count) pings in 1.5 s")
        let gaps = zip(pings.dropFirst(), pings).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= .milliseconds(90) }, "gaps \(gaps)")
    }
}
