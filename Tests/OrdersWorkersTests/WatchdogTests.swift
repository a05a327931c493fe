import DaemonSupport
import OrdersTestSupport
import OrdersWorkers
import Testing

/// The loop feeds systemd's watchdog on every turn, idle or waiting out an outage, and only while
/// the source's connection thread turns too.
@Suite("Watchdog pacing")
struct WatchdogTests {
    private func pings(during duration: Duration, source: InMemoryMessageSource, store: InMemoryIngestStore) async throws -> Int {
        let listener = try NotifyListener(abstract: true)
        defer { listener.stop() }
        let systemd = SystemdNotifier(socket: NotifySocket(path: listener.address), watchdogInterval: .milliseconds(100))
        let service = IngestService(source: source, store: store, options: ingestOptions(drainTimeout: .milliseconds(100)),
                                    logger: testLogger("watchdog"),
                                    systemd: systemd)
        try await withRunningService(service) { try await Task.sleep(for: duration) }
        try await Task.sleep(for: .milliseconds(150))  // the listener polls its socket
        return listener.received.count { $0.has("WATCHDOG=1") }
    }

    @Test func anIdleLoopPingsAtThePace() async throws {
        // A 100 ms ping interval: a turn at least every 25 ms, a ping at most every 100 ms.
        let count = try await pings(during: .milliseconds(800), source: InMemoryMessageSource(), store: InMemoryIngestStore())
        #expect((4...10).contains(count), "\(count) pings in 800 ms")
    }

    @Test func aLoopWaitingOutADatabaseOutageStillPings() async throws {
        let source = InMemoryMessageSource()
        let store = InMemoryIngestStore()
        store.setUnavailable(true)
        source.connect()
        source.deliver(canonicalOrder(1))
        let count = try await pings(during: .milliseconds(800), source: source, store: store)
        #expect((4...10).contains(count), "\(count) pings in 800 ms")
    }

    @Test func aStalledConnectionThreadStopsThePings() async throws {
        let source = InMemoryMessageSource()
        source.stall(milliseconds: 10_000)
        let count = try await pings(during: .milliseconds(800), source: source, store: InMemoryIngestStore())
        #expect(count == 0)
    }
}
