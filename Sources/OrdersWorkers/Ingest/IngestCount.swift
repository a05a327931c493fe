/// What the ingest worker counts; each count is also a metric with fixed labels.
public enum IngestCount: CounterKey {
    case delivered, redelivered, stored, rejected, databaseRetries

    public var metric: (label: String, dimensions: [(String, String)]) {
        switch self {
        case .delivered: ("orderflow_ingest_delivered_total", [])
        case .redelivered: ("orderflow_ingest_redelivered_total", [])
        case .stored: ("orderflow_ingest_messages_total", [("result", "stored")])
        case .rejected: ("orderflow_ingest_messages_total", [("result", "rejected")])
        case .databaseRetries: ("orderflow_ingest_db_retries_total", [])
        }
    }
}
