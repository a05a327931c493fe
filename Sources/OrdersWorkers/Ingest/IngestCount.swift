/// What the ingest worker counts; each count is also a metric with fixed labels.
public enum IngestCount: CounterKey {
    case delivered, redelivered, stored, rejected, databaseRetries
    /// Orders stored whose lines do not add up to their items total (stored as given, flagged).
    case linesNotAddingUp

    public var metric: (label: String, dimensions: [(String, String)]) {
        switch self {
        case .delivered: ("orderflow_ingest_delivered_total", [])
        case .redelivered: ("orderflow_ingest_redelivered_total", [])
        case .stored: ("orderflow_ingest_messages_total", [("result", "stored")])
        case .rejected: ("orderflow_ingest_messages_total", [("result", "rejected")])
        case .databaseRetries: ("orderflow_ingest_db_retries_total", [])
        case .linesNotAddingUp: ("orderflow_ingest_lines_not_adding_up_total", [])
        }
    }
}
