/// An error from PostgreSQL or from libpq.
///
/// `description` stays generic (code and SQLSTATE only, and libpq's reason for a failed
/// connection) so that nothing from a statement, a parameter or a connection string reaches a log
/// line by accident; the server's message is in `debugDescription`.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidURL, connectionFailed, connectionLost, commitOutcomeUnknown, server, pipeline,
                protocolViolation,
                invalidParameter
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The database URL could not be used.
        public static let invalidURL = Code(.invalidURL)
        /// A connection could not be opened.
        public static let connectionFailed = Code(.connectionFailed)
        /// An open connection broke (server gone, backend terminated).
        public static let connectionLost = Code(.connectionLost)
        /// The connection broke after COMMIT was sent and before its answer came (the primary lost
        /// in a failover): the transaction may or may not have committed. Retried like a lost
        /// connection, which is safe only for work that is idempotent (the ingest batch is).
        public static let commitOutcomeUnknown = Code(.commitOutcomeUnknown)
        /// The server refused a statement; `sqlState` says why.
        public static let server = Code(.server)
        /// Pipeline mode could not be entered, synced or left.
        public static let pipeline = Code(.pipeline)
        /// libpq returned something this wrapper did not expect.
        public static let protocolViolation = Code(.protocolViolation)
        /// A parameter libpq cannot send as it is (a text with a NUL byte); refused before it reaches libpq.
        public static let invalidParameter = Code(.invalidParameter)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// The five-character SQLSTATE, for server errors.
    public let sqlState: String?
    /// The server's or libpq's message. May quote data: only for debugging, never for logs by default.
    public let message: String

    public init(_ code: Code, sqlState: String? = nil, message: String) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
    }

    /// A connection failure carries libpq's reason (refused, timed out, password authentication
    /// failed for user …, certificate verify failed …): it names servers and users, never a
    /// password or data, and without it a wrong password looks like an outage.
    public var description: String {
        if code == .connectionFailed, !message.isEmpty {
            let reason = message.split(whereSeparator: \.isNewline)
                .map { $0.drop { $0 == " " || $0 == "\t" } }.filter { !$0.isEmpty }.joined(separator: " ")
            return "PostgresError(\(code)): \(reason)"
        }
        // Names the parameter's position only, never its value.
        if code == .invalidParameter { return "PostgresError(\(code)): \(message)" }
        return sqlState.map { "PostgresError(\(code), sqlstate \($0))" } ?? "PostgresError(\(code))"
    }

    public var debugDescription: String { "\(description): \(message)" }

    /// Worth retrying on a new connection or after a pause: connection trouble, server shutting
    /// down, serialization failures and deadlocks, resource exhaustion. Everything else is permanent.
    public var isTransient: Bool { transientKind != nil }

    /// What kind of passing trouble this is, nil for a permanent error: logs and metrics name a
    /// deadlock a deadlock, not an outage.
    public var transientKind: TransientKind? {
        if code == .connectionFailed { return .connectionFailed }
        if code == .connectionLost { return .connectionLost }
        if code == .commitOutcomeUnknown { return .commitOutcomeUnknown }
        guard let sqlState else { return nil }
        switch sqlState {
        // read_only_sql_transaction: a connection that landed on a standby (or on a primary that was
        // demoted); the connection is re-established, and libpq's target_session_attrs finds the primary.
        case "25006": return .readOnly
        case "40P01": return .deadlock
        case "40001": return .serializationFailure
        case "55P03": return .lockNotAvailable
        case _ where sqlState.hasPrefix("08"): return .connectionLost
        case _ where sqlState.hasPrefix("53"): return .insufficientResources
        case _ where sqlState.hasPrefix("57P"): return .serverShuttingDown
        default: return nil
        }
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }
}

/// The kinds of database errors worth retrying; `rawValue` names it in logs and metrics.
public enum TransientKind: String, Sendable, CaseIterable {
    case deadlock
    case serializationFailure = "serialization_failure"
    case lockNotAvailable = "lock_not_available"
    case connectionFailed = "connection_failed"
    case connectionLost = "connection_lost"
    case commitOutcomeUnknown = "commit_outcome_unknown"
    case readOnly = "read_only"
    case serverShuttingDown = "server_shutting_down"
    case insufficientResources = "insufficient_resources"
}
