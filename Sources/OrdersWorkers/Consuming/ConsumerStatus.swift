import Synchronization

/// Where a consuming loop stands, readable from other tasks (/healthz, systemd status, tests).
/// Counts are not kept here but in the service's `Counters`.
public final class ConsumerStatus: Sendable {
    private struct State: Sendable {
        var generation: UInt64 = 0
        var connected = false
        var node: String?
        var stoppingSince: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    public init() {}

    /// Counts the connections the consumer has been registered on (1 for the first, +1 per reconnect).
    public var consumingGeneration: UInt64 { state.withLock { $0.generation } }
    /// True while the consumer is registered on a live connection.
    public var isConsuming: Bool { state.withLock { $0.connected } }
    /// The broker node (`host:port`) of the current or last connection, nil before the first.
    public var node: String? { state.withLock { $0.node } }
    /// Graceful shutdown has begun.
    public var isStopping: Bool { state.withLock { $0.stoppingSince != nil } }

    func markConsuming(generation: UInt64, node: String) {
        state.withLock {
            $0.generation = generation; $0.connected = true; $0.node = node
        }
    }
    func markDisconnected() { state.withLock { $0.connected = false } }
    func beginStopping() { state.withLock { if $0.stoppingSince == nil { $0.stoppingSince = .now } } }

    func stoppingLonger(than timeout: Duration) -> Bool {
        state.withLock { $0.stoppingSince.map { $0.duration(to: .now) > timeout } ?? false }
    }
}
