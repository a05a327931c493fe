import Dispatch

/// Owns one handle of a C library that must stay on one thread at a time (a libpq connection, a
/// librabbitmq publisher) and runs blocking work on it on a serial queue of its own, off Swift's
/// cooperative pool. The handle is opened on first use (so a service can start before its
/// server), replaced after the work says it broke, and renewed after a long idle spell when
/// `maximumIdle` is set (librabbitmq only answers heartbeats inside its own calls).
public final class ConfinedExecutor<Handle>: Sendable {
    private let queue: DispatchQueue
    private let slot = Slot<Handle>()
    private let open: @Sendable () throws -> Handle
    private let closeHandle: @Sendable (_ handle: Handle, _ broken: Bool) -> Void
    private let maximumIdle: Duration?

    /// `open` makes a handle; `close(handle, broken)` ends one (gracefully unless `broken`).
    public init(
        label: String, maximumIdle: Duration? = nil, open: @escaping @Sendable () throws -> Handle,
        close: @escaping @Sendable (_ handle: Handle, _ broken: Bool) -> Void
    ) {
        queue = DispatchQueue(label: "orderflow.\(label)")
        self.open = open
        closeHandle = close
        self.maximumIdle = maximumIdle
    }

    /// Runs `body` with the handle on the executor's thread. When `isBroken` says the result shows
    /// a broken handle, the handle is closed and the next call opens a new one.
    public func run<T: Sendable>(
        brokenIf isBroken: @escaping @Sendable (T) -> Bool = { _ in false },
        _ body: @escaping @Sendable (Handle) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [slot, open, closeHandle, maximumIdle] in
                continuation.resume(
                    with: Result {
                        if let maximumIdle, let idleSince = slot.idleSince, let handle = slot.handle,
                            ContinuousClock.now - idleSince > maximumIdle
                        {
                            closeHandle(handle, true)
                            slot.handle = nil
                        }
                        let handle = try slot.handle ?? open()
                        slot.handle = handle
                        let result = try body(handle)
                        if isBroken(result) {
                            closeHandle(handle, true)
                            slot.handle = nil
                        }
                        slot.idleSince = .now
                        return result
                    })
            }
        }
    }

    /// Closes the handle gracefully; a later `run` opens a new one.
    public func close() async {
        await withCheckedContinuation { continuation in
            queue.async { [slot, closeHandle] in
                if let handle = slot.handle { closeHandle(handle, false) }
                slot.handle = nil
                continuation.resume()
            }
        }
    }
}

/// The executor's handle. `@unchecked Sendable` because it is only ever touched from the
/// executor's serial queue: that queue is the confinement the C library requires.
private final class Slot<Handle>: @unchecked Sendable {
    var handle: Handle?
    var idleSince: ContinuousClock.Instant?
}
