public import Resilience
import LibPQ
public import OrdersStore

/// What the notifier needs of the `emails` ledger (see `EmailLedger`): PostgreSQL in production,
/// an in-memory ledger in unit tests. Every call throws when the database is unavailable.
public protocol EmailLedgerStore: Sendable {
    func claim(_ entry: EmailLedger.Entry) async throws -> EmailLedger.Claim
    func markSent(_ eventID: String, reply: String) async throws
    func markFailed(_ eventID: String, reply: String) async throws
    func markSkipped(_ entry: EmailLedger.Entry, reason: String) async throws
    func noteDeferral(_ eventID: String, reason: String) async throws
    func release(_ eventID: String) async throws
    func close() async
}

/// The ledger's SQL on a connection of its own: the claim's advisory lock is the session's, so
/// one connection holds it from claim to outcome.
public struct PostgresEmailLedgerStore: EmailLedgerStore {
    private let database: DatabaseExecutor
    private let ledger = EmailLedger()

    public init(database: DatabaseExecutor) { self.database = database }

    public func claim(_ entry: EmailLedger.Entry) async throws -> EmailLedger.Claim {
        try await database.run { [ledger] in try ledger.claim(entry, on: $0) }
    }

    public func markSent(_ eventID: String, reply: String) async throws {
        try await database.run { [ledger] in try ledger.markSent(eventID, reply: reply, on: $0) }
    }

    public func markFailed(_ eventID: String, reply: String) async throws {
        try await database.run { [ledger] in try ledger.markFailed(eventID, reply: reply, on: $0) }
    }

    public func markSkipped(_ entry: EmailLedger.Entry, reason: String) async throws {
        try await database.run { [ledger] in try ledger.markSkipped(entry, reason: reason, on: $0) }
    }

    public func noteDeferral(_ eventID: String, reason: String) async throws {
        try await database.run { [ledger] in try ledger.noteDeferral(eventID, reason: reason, on: $0) }
    }

    public func release(_ eventID: String) async throws {
        try await database.run { [ledger] in try ledger.release(eventID, on: $0) }
    }

    public func close() async { await database.close() }
}
