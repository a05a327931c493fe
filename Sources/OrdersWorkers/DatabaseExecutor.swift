import Dispatch
public import LibPQ

/// Runs blocking libpq work off Swift's cooperative pool, on a serial queue that owns one
/// connection. The connection is opened lazily (so a worker can start before PostgreSQL) and
/// re-established by the next call after it breaks.
public final class DatabaseExecutor: Sendable {
    private let queue: DispatchQueue
    private let holder: ConnectionHolder
    private let url: String
    private let applicationName: String

    public init(url: String, applicationName: String) {
        self.url = url
        self.applicationName = applicationName
        queue = DispatchQueue(label: "orderflow.db.\(applicationName)")
        holder = ConnectionHolder()
    }

    /// Runs `body` with the connection, on the executor's thread.
    public func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [holder, url, applicationName] in
                continuation.resume(with: Result {
                    if holder.connection == nil {
                        holder.connection = try PostgresConnection(url: url, applicationName: applicationName)
                    }
                    return try body(holder.connection!)
                })
            }
        }
    }

    public func close() async {
        await withCheckedContinuation { continuation in
            queue.async { [holder] in
                holder.connection?.close()
                holder.connection = nil
                continuation.resume()
            }
        }
    }
}

/// Holds the executor's connection. `@unchecked Sendable` because it is only ever touched from
/// the executor's serial queue: that queue is the confinement libpq requires.
private final class ConnectionHolder: @unchecked Sendable {
    var connection: PostgresConnection?
}
