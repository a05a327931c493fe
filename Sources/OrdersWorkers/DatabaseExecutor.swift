public import LibPQ
public import Resilience

/// One libpq connection on a thread of its own (libpq connections serve one thread at a time, and
/// their calls block). Opened on first use, so a service can start before PostgreSQL; libpq
/// re-establishes a broken connection on the next call.
public typealias DatabaseExecutor = ConfinedExecutor<PostgresConnection>

extension ConfinedExecutor where Handle == PostgresConnection {
    public convenience init(url: String, applicationName: String) {
        self.init(
            label: "db.\(applicationName)",
            open: { try PostgresConnection(url: url, applicationName: applicationName) },
            close: { connection, _ in connection.close() })
    }
}
