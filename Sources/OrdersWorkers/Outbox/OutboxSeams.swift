public import AMQP
import LibPQ
public import OrdersStore
public import Resilience

/// What the relay needs of the outbox table (see `OutboxStore`): PostgreSQL in production.
public protocol OutboxQueue: Sendable {
    /// Leases up to `limit` unpublished events; also returns the ids of entries it cannot read.
    func claim(limit: Int) async throws -> (events: [OutboxStore.Claimed], unreadable: [Int64])
    /// Marks the confirmed events published and gives the others back with the reason.
    func settle(published: [Int64], failed: [Int64], error: String) async throws
    func backlog() async throws -> (count: Int64, oldestAgeSeconds: Double)
    func close() async
}

/// Where the relay publishes: the broker with confirms in production.
public protocol EventPublisher: Sendable {
    /// Publishes and waits for the confirms. Throws when no connection could be opened; a
    /// connection that fails during the publish is reported in the result's `failure`.
    func publish(_ messages: [OutgoingMessage]) async throws -> PublishBatchResult
    func close() async
}

public struct PostgresOutboxQueue: OutboxQueue {
    private let database: DatabaseExecutor
    private let store = OutboxStore()

    public init(database: DatabaseExecutor) { self.database = database }

    public func claim(limit: Int) async throws -> (events: [OutboxStore.Claimed], unreadable: [Int64]) {
        try await database.run { [store] in try store.claim(limit: limit, on: $0) }
    }

    public func settle(published: [Int64], failed: [Int64], error: String) async throws {
        try await database.run { [store] connection in
            try store.markPublished(published, on: connection)
            try store.release(failed, error: error, on: connection)
        }
    }

    public func backlog() async throws -> (count: Int64, oldestAgeSeconds: Double) {
        try await database.run { [store] in try store.backlog(on: $0) }
    }

    public func close() async { await database.close() }
}

/// A publisher connection on a thread of its own (librabbitmq connections are not thread-safe and
/// block), opened on first use, replaced after a failure and renewed after 10 s idle (librabbitmq
/// only answers heartbeats inside its own calls, so an idle connection may have been dropped).
/// Each new connection goes to the next of the broker nodes in turn (the first one at random).
public struct AMQPEventPublisher: EventPublisher {
    private let executor: ConfinedExecutor<AMQPPublisher>
    private let confirmTimeout: Duration

    /// `prepare` runs on every new connection (to declare the topology), `connected` after it
    /// with the node's `host:port` (to log it).
    public init(
        nodes: AMQPNodes, label: String, confirmTimeout: Duration = .seconds(10),
        prepare: @escaping @Sendable (AMQPConnection) throws(AMQPError) -> Void = { _ in },
        connected: @escaping @Sendable (_ node: String) -> Void = { _ in }
    ) {
        self.confirmTimeout = confirmTimeout
        let rotation = AMQPNodeRotation(nodes)
        executor = ConfinedExecutor(
            label: "amqp.\(label)", maximumIdle: .seconds(10),
            open: {
                let publisher = try AMQPPublisher(rotation.next())
                do throws(AMQPError) { try prepare(publisher.underlyingConnection) } catch {
                    publisher.underlyingConnection.abandon()
                    throw error
                }
                connected(publisher.underlyingConnection.configuration.node)
                return publisher
            },
            close: { publisher, broken in
                // A broken connection is abandoned: a close handshake on a dead socket could block.
                if broken { publisher.underlyingConnection.abandon() } else { publisher.close() }
            })
    }

    public func publish(_ messages: [OutgoingMessage]) async throws -> PublishBatchResult {
        try await executor.run(brokenIf: { $0.failure != nil }) { [confirmTimeout] in
            $0.publish(messages, timeout: confirmTimeout)
        }
    }

    public func close() async { await executor.close() }
}
