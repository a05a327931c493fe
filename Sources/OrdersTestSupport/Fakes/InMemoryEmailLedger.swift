public import OrdersStore
public import OrdersWorkers
import LibPQ
import Synchronization

/// The `emails` ledger without PostgreSQL: one status per event id, as `EmailLedger` keeps it.
public final class InMemoryEmailLedger: EmailLedgerStore {
    public struct Record: Sendable, Equatable {
        public var status: String
        public var attempts: Int
        public var reply: String?

        public init(status: String, attempts: Int, reply: String?) {
            self.status = status
            self.attempts = attempts
            self.reply = reply
        }
    }

    private struct State: Sendable {
        var records: [String: Record] = [:]
        var heldElsewhere: Set<String> = []
        var failuresLeft = 0
        var deferrals = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Pretends another notifier holds these events' locks.
    public func holdElsewhere(_ eventID: String) { state.withLock { _ = $0.heldElsewhere.insert(eventID) } }
    /// Seeds an outcome recorded earlier.
    public func settle(_ eventID: String, status: String) {
        state.withLock { $0.records[eventID] = Record(status: status, attempts: 1, reply: nil) }
    }
    /// The next `count` calls fail as a lost connection would.
    public func fail(next count: Int) { state.withLock { $0.failuresLeft = count } }

    public func record(_ eventID: String) -> Record? { state.withLock { $0.records[eventID] } }
    public var deferrals: Int { state.withLock { $0.deferrals } }

    public func claim(_ entry: EmailLedger.Entry) async throws -> EmailLedger.Claim {
        try failIfAsked()
        return state.withLock { state in
            if state.heldElsewhere.contains(entry.eventID) { return .heldElsewhere }
            if let record = state.records[entry.eventID], record.status != "sending" {
                return .settled(status: record.status)
            }
            let attempts = (state.records[entry.eventID]?.attempts ?? 0) + 1
            state.records[entry.eventID] = Record(status: "sending", attempts: attempts, reply: nil)
            return .claimed(attempt: attempts)
        }
    }

    public func markSent(_ eventID: String, reply: String) async throws { try settle(eventID, "sent", reply) }
    public func markFailed(_ eventID: String, reply: String) async throws { try settle(eventID, "failed", reply) }

    public func markSkipped(_ entry: EmailLedger.Entry, reason: String) async throws {
        try settle(entry.eventID, "skipped", reason)
    }

    public func noteDeferral(_ eventID: String, reason: String) async throws {
        try failIfAsked()
        state.withLock { $0.deferrals += 1 }
    }

    public func release(_ eventID: String) async throws {
        try failIfAsked()
        state.withLock { state in
            if state.records[eventID]?.status == "sending" { state.records[eventID]?.status = "released" }
        }
    }

    public func close() async {}

    private func settle(_ eventID: String, _ status: String, _ reply: String) throws {
        try failIfAsked()
        state.withLock { state in
            state.records[eventID] = Record(
                status: status, attempts: state.records[eventID]?.attempts ?? 0, reply: reply)
        }
    }

    private func failIfAsked() throws {
        let fail = state.withLock { state -> Bool in
            guard state.failuresLeft > 0 else { return false }
            state.failuresLeft -= 1
            return true
        }
        if fail { throw PostgresError(.connectionLost, message: "test: database unavailable") }
    }
}
