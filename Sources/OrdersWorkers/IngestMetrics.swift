import Metrics

/// The ingest worker's metrics: fixed labels, the variable part in a bounded `result` dimension.
struct IngestMetrics: Sendable {
    let delivered = Counter(label: "orderflow_ingest_delivered_total")
    let redelivered = Counter(label: "orderflow_ingest_redelivered_total")
    let stored = Counter(label: "orderflow_ingest_messages_total", dimensions: [("result", "stored")])
    let rejected = Counter(label: "orderflow_ingest_messages_total", dimensions: [("result", "rejected")])
    let reconnects = Counter(label: "orderflow_amqp_reconnects_total")
    /// 1 while the consumer is registered on a live connection, else 0 (alert: 0 with a backlog).
    let consumerActive = Gauge(label: "orderflow_ingest_consumer_active")
    let databaseRetries = Counter(label: "orderflow_ingest_db_retries_total")
    let batchSize = Recorder(label: "orderflow_ingest_batch_size")
    let transactionLatency = Timer(label: "orderflow_ingest_transaction_seconds")
}
