public import LibPQ

/// What a database error a service retries is, for its log line and its count. Contention
/// (a deadlock, a serialization failure) is not an outage: the batch is fine and goes in on the
/// next try, and an operator reading "database unavailable" would look for the wrong fault.
public enum DatabaseTrouble: CounterKey {
    case transient(TransientKind)
    /// Anything else a retried call threw.
    case other

    public static var allCases: [DatabaseTrouble] { TransientKind.allCases.map(Self.transient) + [.other] }

    public init(_ error: any Error) {
        self = (error as? PostgresError)?.transientKind.map(Self.transient) ?? .other
    }

    /// The metric's `kind` label.
    public var name: String {
        if case .transient(let kind) = self { kind.rawValue } else { "other" }
    }

    /// The start of the log line.
    public var words: String {
        switch self {
        case .transient(.deadlock): "deadlock with another transaction (broken by the server)"
        case .transient(.serializationFailure): "serialization failure"
        case .transient(.lockNotAvailable): "lock not available"
        case .transient(.connectionFailed): "database unreachable"
        case .transient(.connectionLost): "database connection lost"
        case .transient(.commitOutcomeUnknown):
            "database connection lost during COMMIT (outcome unknown; the retry is idempotent)"
        case .transient(.readOnly): "database server is read-only (a standby); reconnecting to find the primary"
        case .transient(.serverShuttingDown): "database server shutting down"
        case .transient(.insufficientResources): "database out of resources"
        case .other: "database call failed"
        }
    }

    /// Deadlocks have a metric of their own: the one number that says batches lock rows in
    /// different orders, which must stay zero.
    public var metric: (label: String, dimensions: [(String, String)]) {
        self == .transient(.deadlock)
            ? ("orderflow_db_deadlocks_total", []) : ("orderflow_db_retries_total", [("kind", name)])
    }
}
