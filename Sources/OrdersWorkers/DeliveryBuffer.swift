public import AMQP
import Synchronization

/// Hands the consumer thread's events to the ingest loop, which takes them in batches.
///
/// Unbounded because the broker's prefetch bounds how many deliveries can be outstanding.
public final class DeliveryBuffer: Sendable {
    private struct State: Sendable {
        var events: [AMQPConsumer.Event] = []
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?
        /// An interrupt that found nobody waiting: the next wait returns at once instead of missing it.
        var wakePending = false
    }

    private let state = Mutex(State())

    public init() {}

    public func append(_ event: AMQPConsumer.Event) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.events.append(event)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// No more events will come (the consumer stopped).
    public func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Wakes a waiting `waitForEvents` without adding anything (shutdown has begun).
    public func interrupt() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.waiter = nil }
            if state.waiter == nil { state.wakePending = true }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Suspends until there is at least one event or the buffer is finished.
    public func waitForEvents() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if !state.events.isEmpty || state.finished || state.wakePending {
                    state.wakePending = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    public var count: Int { state.withLock { $0.events.count } }
    public var isFinished: Bool { state.withLock { $0.finished && $0.events.isEmpty } }

    /// Removes and returns up to `maximum` events, oldest first.
    public func take(_ maximum: Int) -> [AMQPConsumer.Event] {
        state.withLock { state in
            let n = min(maximum, state.events.count)
            defer { state.events.removeFirst(n) }
            return Array(state.events.prefix(n))
        }
    }
}
