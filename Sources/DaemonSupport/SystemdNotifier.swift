import Foundation
import Synchronization

/// Tells systemd how a `Type=notify` service is doing: readiness, liveness, status and shutdown.
///
/// Build one per process with `SystemdNotifier.fromEnvironment()`. Outside systemd (no
/// `$NOTIFY_SOCKET`) every call does nothing, so services call it unconditionally.
///
/// How a long-running service uses it (the ingest worker does exactly this, the notifier should too):
///
///     let systemd = SystemdNotifier.fromEnvironment()
///     // once the broker has confirmed the consumer (basic.consume-ok), not before:
///     systemd.ready(status: "consuming orderflow.ingest")
///     // from the loop that makes progress, on every turn (it paces itself to half of WATCHDOG_USEC):
///     systemd.loopTurned()
///     // every few seconds:
///     systemd.status("1200 stored, 3 rejected, 240 orders/s")
///     // when graceful shutdown begins:
///     systemd.stopping()
///
/// Watchdog pings come only from `loopTurned()`: a loop that wedges stops pinging and systemd
/// restarts the service. There is deliberately no timer that pings on its own.
public final class SystemdNotifier: Sendable {
    private struct State: Sendable {
        var ready = false
        var stopping = false
        var lastPing: ContinuousClock.Instant?
        var lastExtension: ContinuousClock.Instant?
    }

    private let socket: NotifySocket?
    /// How often `loopTurned()` pings: half of `$WATCHDOG_USEC`; nil when systemd runs no watchdog.
    public let watchdogInterval: Duration?
    private let state = Mutex(State())

    /// A notifier that never sends anything (tests, and processes not started by systemd).
    public static let disabled = SystemdNotifier(socket: nil, watchdogInterval: nil)

    public init(socket: NotifySocket?, watchdogInterval: Duration?) {
        self.socket = socket
        self.watchdogInterval = socket == nil ? nil : watchdogInterval
    }

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` (the watchdog is ours only when
    /// WATCHDOG_PID is unset or our pid), as sd_watchdog_enabled(3) does.
    public static func fromEnvironment() -> SystemdNotifier {
        fromEnvironment(ProcessInfo.processInfo.environment, pid: ProcessInfo.processInfo.processIdentifier)
    }

    public static func fromEnvironment(_ environment: [String: String], pid: Int32) -> SystemdNotifier {
        guard let path = environment["NOTIFY_SOCKET"], let socket = NotifySocket(path: path) else { return .disabled }
        var interval: Duration?
        if let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0,
            environment["WATCHDOG_PID"].map({ Int32($0) == pid }) ?? true
        {
            interval = .microseconds(microseconds / 2)
        }
        return SystemdNotifier(socket: socket, watchdogInterval: interval)
    }

    public var isEnabled: Bool { socket != nil }
    public var isReady: Bool { state.withLock { $0.ready } }

    /// `READY=1`, once; later calls only update the status.
    public func ready(status: String? = nil) {
        let first = state.withLock { state in
            defer { state.ready = true }
            return !state.ready
        }
        send(first ? ["READY=1"] + Self.status(status) : Self.status(status))
    }

    /// `STATUS=...`: one line shown by `systemctl status`.
    public func status(_ text: String) { send(Self.status(text)) }

    /// `STOPPING=1`: graceful shutdown has begun.
    public func stopping(status: String? = nil) {
        state.withLock { $0.stopping = true }
        send(["STOPPING=1"] + Self.status(status))
    }

    /// Call on every turn of the loop that makes progress. Sends `WATCHDOG=1` when half the
    /// watchdog timeout has passed since the last ping. Before readiness it also extends the start
    /// timeout (`EXTEND_TIMEOUT_USEC`), so a worker that waits for its broker or database stays
    /// "activating" as long as its loop is alive, instead of being killed by `TimeoutStartSec`.
    public func loopTurned(now: ContinuousClock.Instant = .now) {
        guard socket != nil else { return }
        let pacing = watchdogInterval ?? Self.startExtensionPace
        let (ping, extend) = state.withLock { state -> (Bool, Bool) in
            if state.stopping { return (false, false) }
            var ping = false, extend = false
            if watchdogInterval != nil, state.lastPing.map({ $0.duration(to: now) >= pacing }) ?? true {
                state.lastPing = now
                ping = true
            }
            if !state.ready, state.lastExtension.map({ $0.duration(to: now) >= pacing }) ?? true {
                state.lastExtension = now
                extend = true
            }
            return (ping, extend)
        }
        var fields: [String] = []
        if ping { fields.append("WATCHDOG=1") }
        if extend { fields.append("EXTEND_TIMEOUT_USEC=\(Self.microseconds(pacing * 3))") }
        if !fields.isEmpty { send(fields) }
    }

    /// Without a watchdog, how often a service that is not ready yet extends its start timeout.
    static let startExtensionPace: Duration = .seconds(5)

    private static func status(_ text: String?) -> [String] {
        // One line: a newline would end the field and start another assignment.
        text.map { ["STATUS=" + $0.replacingOccurrences(of: "\n", with: " ")] } ?? []
    }

    private static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    /// Failures are ignored, as sd_notify's callers do: systemd may be gone during shutdown, and
    /// a status line is never worth stopping the service for.
    private func send(_ fields: [String]) {
        guard let socket, !fields.isEmpty else { return }
        try? socket.send(fields.joined(separator: "\n"))
    }
}
