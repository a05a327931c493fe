import LibPQ

/// What a database error a service retries is, for its log line and its count. Contention
/// (a deadlock, a serialization failure) is not an outage: the batch is fine and goes in on the
/// next try, and an operator reading "database unavailable" would look for the wrong fault.
public enum DatabaseTrouble: String, CounterKey {
    case deadlock
    case serializationFailure = "serialization_failure"
    case lockNotAvailable = "lock_not_available"
    case connectionFailed = "connection_failed"
    case connectionLost = "connection_lost"
    case serverShuttingDown = "server_shutting_down"
    case insufficientResources = "insufficient_resources"
    /// Anything else a retried call threw.
    case other

    public init(_ error: any Error) {
        self = (error as? PostgresError)?.transientKind.flatMap { Self(rawValue: $0.rawValue) } ?? .other
    }

    /// The start of the log line.
    public var words: String {
        switch self {
        case .deadlock: "deadlock with another transaction (broken by the server)"
        case .serializationFailure: "serialization failure"
        case .lockNotAvailable: "lock not available"
        case .connectionFailed: "database unreachable"
        case .connectionLost: "database connection lost"
        case .serverShuttingDown: "database server shutting down"
        case .insufficientResources: "database out of resources"
        case .other: "database call failed"
        }
    }

    /// Deadlocks have a metric of their own: the one number that says batches lock rows in
    /// different orders, which must stay zero.
    public var metric: (label: String, dimensions: [(String, String)]) {
        self == .deadlock ? ("orderflow_db_deadlocks_total", []) : ("orderflow_db_retries_total", [("kind", rawValue)])
    }
}
