public import Resilience
import LibPQ
public import OrdersStore

/// What the ingest handler needs of the database: PostgreSQL in production (`PostgresIngestStore`),
/// an in-memory store in unit tests.
public protocol IngestStore: Sendable {
    /// Writes the items in one transaction, clearing `suspects` in it. Items the database refuses
    /// for good are kept as rejects instead; the refusal is returned (nil when all went in whole).
    /// Throws when the database is unavailable: nothing was written, the caller retries.
    /// `beforeCommit` runs between the statements and COMMIT.
    func store(
        _ items: [IngestItem], clearingSuspects suspects: [String],
        beforeCommit: (@Sendable () -> Void)?
    ) async throws -> String?
    /// Records one more attempt at a redelivered message; returns the attempts so far.
    func markSuspect(_ messageID: String) async throws -> Int
    func close() async
}

/// The ingest SQL of `OrderStore`, run on a connection of its own.
public struct PostgresIngestStore: IngestStore {
    private let database: DatabaseExecutor
    private let orders: OrderStore

    public init(database: DatabaseExecutor, orders: OrderStore) {
        self.database = database
        self.orders = orders
    }

    public func store(
        _ items: [IngestItem], clearingSuspects suspects: [String],
        beforeCommit: (@Sendable () -> Void)?
    ) async throws -> String? {
        try await database.run { [orders] connection in
            try orders.storeIsolatingRefusals(
                items, clearingSuspects: suspects, on: connection, beforeCommit: beforeCommit)?
                .description
        }
    }

    public func markSuspect(_ messageID: String) async throws -> Int {
        try await database.run { [orders] connection in try orders.markSuspect(messageID, on: connection) }
    }

    public func close() async { await database.close() }
}
