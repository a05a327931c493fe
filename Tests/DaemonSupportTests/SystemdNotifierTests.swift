import DaemonSupport
import OrdersTestSupport
import Testing

/// The datagrams themselves, against a socket bound by the test (no systemd needed).
@Suite("sd_notify")
struct SystemdNotifierTests {
    @Test(arguments: [false, true])
    func readyStatusAndStoppingReachTheSocket(abstract: Bool) async throws {
        let listener = try NotifyListener(abstract: abstract)
        defer { listener.stop() }
        let systemd = SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": listener.address], pid: 1)
        #expect(systemd.isEnabled)
        systemd.ready(status: "consuming q")
        systemd.ready(status: "still consuming")
        systemd.status("10 stored\nline two")
        systemd.stopping()
        try await listener.waitFor("STOPPING=1", timeout: .seconds(5))
        let fields = listener.received.map(\.fields)
        #expect(
            fields == [
                ["READY=1", "STATUS=consuming q"], ["STATUS=still consuming"], ["STATUS=10 stored line two"],
                ["STOPPING=1"],
            ])
    }

    @Test func watchdogPingsArePacedToHalfTheTimeout() async throws {
        let listener = try NotifyListener(abstract: true)
        defer { listener.stop() }
        let systemd = SystemdNotifier.fromEnvironment(
            ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "400000"], pid: 1)
        #expect(systemd.watchdogInterval == .milliseconds(200))
        systemd.ready()
        let start = ContinuousClock.now
        // A loop turning every 10 ms for a second pings five times (at 0, 200, ... 800 ms), not a hundred.
        for turn in 0..<100 { systemd.loopTurned(now: start + .milliseconds(10 * turn)) }
        try await waitUntilReceived(listener, count: 6)
        let pings = listener.received.filter { $0.has("WATCHDOG=1") }
        #expect(pings.count == 5, "\(pings.count) pings")
    }

    @Test func beforeReadinessTheStartTimeoutIsExtended() async throws {
        let listener = try NotifyListener(abstract: false)
        defer { listener.stop() }
        let systemd = SystemdNotifier.fromEnvironment(
            ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "2000000"], pid: 1)
        systemd.loopTurned()
        let first = try await listener.waitFor("WATCHDOG=1", timeout: .seconds(2))
        #expect(first.value("EXTEND_TIMEOUT_USEC") == "3000000")
        systemd.ready()
        try await Task.sleep(for: .milliseconds(1100))
        systemd.loopTurned()
        try await Task.sleep(for: .milliseconds(100))
        #expect(listener.received.last?.has("WATCHDOG=1") == true)
        #expect(listener.received.last?.value("EXTEND_TIMEOUT_USEC") == nil, "a ready service does not extend")
    }

    @Test func theWatchdogBelongsToTheProcessThatWatchdogPidNames() {
        let base = ["NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "30000000"]
        #expect(SystemdNotifier.fromEnvironment(base, pid: 7).watchdogInterval == .seconds(15))
        #expect(
            SystemdNotifier.fromEnvironment(base.merging(["WATCHDOG_PID": "7"]) { $1 }, pid: 7).watchdogInterval
                == .seconds(15))
        #expect(
            SystemdNotifier.fromEnvironment(base.merging(["WATCHDOG_PID": "8"]) { $1 }, pid: 7).watchdogInterval == nil)
        #expect(SystemdNotifier.fromEnvironment(["WATCHDOG_USEC": "30000000"], pid: 7).isEnabled == false)
        #expect(SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": "relative/path"], pid: 7).isEnabled == false)
    }
}

/// The datagrams arrive on the listener's thread: wait a little for `count` of them (READY included).
func waitUntilReceived(_ listener: NotifyListener, count: Int) async throws {
    for _ in 0..<100 where listener.received.count < count { try await Task.sleep(for: .milliseconds(10)) }
}
