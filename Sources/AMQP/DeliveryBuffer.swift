import Synchronization

/// The one hand-off between a consumer thread and the loop that handles its deliveries: the
/// thread appends, the loop waits and takes batches. Bounded: the consumer thread stops reading
/// from the socket while it is full (the broker's prefetch keeps it from filling in practice).
public final class DeliveryBuffer: Sendable {
    private struct State: Sendable {
        var events: [AMQPConsumer.Event] = []
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?
        /// An interrupt that found nobody waiting: the next wait returns at once instead of missing it.
        var wakePending = false
    }

    /// Deliveries it holds at most before the consumer thread stops reading.
    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    public func append(_ event: AMQPConsumer.Event) {
        resumeWaiter { $0.events.append(event) }
    }

    /// No more events will come (the consumer stopped).
    public func finish() {
        resumeWaiter { $0.finished = true }
    }

    /// Wakes a waiting `waitForEvents` without adding anything (shutdown has begun, a timer fired).
    public func interrupt() {
        resumeWaiter { if $0.waiter == nil { $0.wakePending = true } }
    }

    private func resumeWaiter(after change: (inout State) -> Void) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            change(&state)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Suspends until there is at least one event, the buffer is finished, or it is interrupted.
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

    /// Like `waitForEvents()`, but returns after `timeout` at the latest, so that an idle loop
    /// still turns (and proves to the watchdog that it is alive).
    public func waitForEvents(atMost timeout: Duration) async {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.waitForEvents(); return false
            }
            group.addTask { (try? await Task.sleep(for: timeout)) != nil }
            // The timer won: wake the waiter (or, if it is not waiting yet, make its wait return at once).
            if await group.next() == true { interrupt() }
            group.cancelAll()
        }
    }

    public var count: Int { state.withLock { $0.events.count } }
    public var hasRoom: Bool { count < capacity }
    /// Finished and emptied: nothing more will ever come.
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
