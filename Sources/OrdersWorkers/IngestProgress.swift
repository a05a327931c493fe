import Synchronization

/// What the ingest loop has done, readable from other tasks (status lines, readiness, tests).
public final class IngestProgress: Sendable {
    private struct State: Sendable {
        var stored = 0
        var rejected = 0
        var consumingGeneration: UInt64 = 0
        var connected = false
        var drainStartedAt: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    public init() {}

    public var stored: Int { state.withLock { $0.stored } }
    public var rejected: Int { state.withLock { $0.rejected } }
    /// Counts the connections the consumer has been registered on (1 for the first, +1 per reconnect).
    public var consumingGeneration: UInt64 { state.withLock { $0.consumingGeneration } }
    /// True while the consumer is registered on a live connection.
    public var isConsuming: Bool { state.withLock { $0.connected } }
    public var isDraining: Bool { state.withLock { $0.drainStartedAt != nil } }

    func record(stored: Int, rejected: Int) {
        state.withLock { $0.stored += stored; $0.rejected += rejected }
    }

    func markConsuming(generation: UInt64) { state.withLock { $0.consumingGeneration = generation; $0.connected = true } }
    func markDisconnected() { state.withLock { $0.connected = false } }
    func beginDrain() { state.withLock { if $0.drainStartedAt == nil { $0.drainStartedAt = .now } } }

    func drainExpired(after timeout: Duration) -> Bool {
        state.withLock { $0.drainStartedAt.map { $0.duration(to: .now) > timeout } ?? false }
    }
}
