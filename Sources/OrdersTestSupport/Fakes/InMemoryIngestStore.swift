public import OrdersStore
public import OrdersWorkers
import LibPQ
import Synchronization

/// The ingest store without PostgreSQL: keeps what was committed (once per message id, as the
/// real `processed_messages` does) and the suspects, and can be told to be unavailable.
public final class InMemoryIngestStore: IngestStore {
    private struct State: Sendable {
        var committed: [String: IngestItem] = [:]
        var commits = 0
        var suspects: [String: Int] = [:]
        var failuresLeft = 0
        var unavailable = false
        var closed = false
    }

    private let state = Mutex(State())
    private let log: EventLog?

    public init(log: EventLog? = nil) { self.log = log }

    /// The next `count` calls fail as a lost connection would.
    public func fail(next count: Int) { state.withLock { $0.failuresLeft = count } }
    /// Every call fails until set back.
    public func setUnavailable(_ unavailable: Bool) { state.withLock { $0.unavailable = unavailable } }
    /// Seeds a suspect record, as earlier attempts that crashed would have left it.
    public func setSuspect(_ messageID: String, attempts: Int) { state.withLock { $0.suspects[messageID] = attempts } }

    public var committed: [String: IngestItem] { state.withLock { $0.committed } }
    public var commits: Int { state.withLock { $0.commits } }
    public var suspects: [String: Int] { state.withLock { $0.suspects } }
    public var isClosed: Bool { state.withLock { $0.closed } }

    public func store(
        _ items: [IngestItem], clearingSuspects suspects: [String],
        beforeCommit: (@Sendable () -> Void)?
    ) async throws -> String? {
        try failIfAsked()
        beforeCommit?()
        state.withLock { state in
            for item in items where state.committed[item.messageID] == nil { state.committed[item.messageID] = item }
            for suspect in suspects { state.suspects[suspect] = nil }
            state.commits += 1
        }
        log?.append("commit \(items.map(\.messageID))")
        return nil
    }

    public func markSuspect(_ messageID: String) async throws -> Int {
        try failIfAsked()
        return state.withLock { state in
            state.suspects[messageID, default: 0] += 1
            return state.suspects[messageID]!
        }
    }

    public func close() async { state.withLock { $0.closed = true } }

    private func failIfAsked() throws {
        let fail = state.withLock { state -> Bool in
            if state.unavailable { return true }
            guard state.failuresLeft > 0 else { return false }
            state.failuresLeft -= 1
            return true
        }
        if fail { throw PostgresError(.connectionLost, message: "test: database unavailable") }
    }
}
