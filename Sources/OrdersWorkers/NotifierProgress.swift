import Synchronization

/// What the notifier has done, readable from other tasks (progress lines, tests).
public final class NotifierProgress: Sendable {
    public struct Counts: Sendable, Equatable {
        /// Accepted by the SMTP server (or written to the mail folder).
        public var sent = 0
        /// Refused for good by the server (5xx): recorded as failed.
        public var failed = 0
        /// No usable address: recorded as skipped.
        public var skipped = 0
        /// Already settled by an earlier delivery: acknowledged without sending.
        public var duplicates = 0
        /// Not a usable event: dead-lettered.
        public var invalid = 0
        /// Temporary failures retried (4xx, connection, database).
        public var retries = 0

        var handled: Int { sent + failed + skipped + duplicates + invalid }
    }

    private struct State: Sendable {
        var counts = Counts()
        var shuttingDown = false
        var consuming = false
    }

    private let state = Mutex(State())

    public init() {}

    public var counts: Counts { state.withLock { $0.counts } }
    public var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }
    /// The consumer is registered on a live connection (for /healthz).
    public var isConsuming: Bool { state.withLock { $0.consuming } }

    func update(_ body: (inout Counts) -> Void) { state.withLock { body(&$0.counts) } }
    func beginShutdown() { state.withLock { $0.shuttingDown = true } }
    func markConsuming(_ consuming: Bool) { state.withLock { $0.consuming = consuming } }
}
