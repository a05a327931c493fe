import DaemonSupport
import OrdersTestSupport
import OrdersWorkers
import Testing

/// The loop feeds systemd's watchdog on every turn, idle or waiting out an outage, and only while
/// the source's connection thread turns too.
@Suite("Watchdog pacing", .timeLimit(.minutes(TestTime.minutes(1))))
struct WatchdogTests {
    /// The pings sent while the service runs for `duration`, or until `enough` pings came (a
    /// starved test process turns late, so the wait is bounded by pings, not by the clock).
    private func pings(
        during duration: Duration, enough: Int = .max, source: InMemoryMessageSource, store: InMemoryIngestStore
    ) async throws -> [ContinuousClock.Instant] {
        let listener = try NotifyListener(abstract: true)
        defer { listener.stop() }
        let systemd = SystemdNotifier(
            socket: NotifySocket(path: listener.address), watchdogInterval: .milliseconds(100))
        let service = IngestService(
            source: source, store: store, options: ingestOptions(drainTimeout: .milliseconds(100)),
            logger: testLogger("watchdog"),
            systemd: systemd)
        let received = { listener.received.filter { $0.has("WATCHDOG=1") }.map(\.at) }
        try await withRunningService(service) {
            try? await waitUntil(timeout: duration, poll: .milliseconds(20)) { received().count >= enough }
        }
        try await Task.sleep(for: .milliseconds(150))  // the listener polls its socket
        return received()
    }

    @Test func anIdleLoopPingsAtThePace() async throws {
        // A 100 ms ping interval: a turn at least every 25 ms, a ping at most every 100 ms.
        expectPaced(
            try await pings(
                during: .seconds(30), enough: 5, source: InMemoryMessageSource(), store: InMemoryIngestStore()))
    }

    @Test func aLoopWaitingOutADatabaseOutageStillPings() async throws {
        let source = InMemoryMessageSource()
        let store = InMemoryIngestStore()
        store.setUnavailable(true)
        source.connect()
        source.deliver(canonicalOrder(1))
        expectPaced(try await pings(during: .seconds(30), enough: 5, source: source, store: store))
    }

    @Test func aStalledConnectionThreadStopsThePings() async throws {
        let source = InMemoryMessageSource()
        source.stall(milliseconds: 10_000)
        #expect(try await pings(during: .milliseconds(800), source: source, store: InMemoryIngestStore()).isEmpty)
    }

    /// Pings keep coming (five within 30 s even when the tests around starve this one; on an idle
    /// machine within half a second), and no more often than the 100 ms interval. The times are
    /// when the listener read each ping: on a busy machine one read late makes the next gap look
    /// short, so the pace is checked over the whole run, with one interval of slack for the late
    /// first or last read (a loop pinging on every 25 ms turn would send five in 100 ms).
    private func expectPaced(_ pings: [ContinuousClock.Instant]) {
        #expect(pings.count >= 5, "\(pings.count) pings")
        guard let first = pings.first, let last = pings.last else { return }
        let gaps = zip(pings.dropFirst(), pings).map { $0 - $1 }
        #expect(last - first >= .milliseconds(100) * (pings.count - 2), "gaps \(gaps)")
    }
}
