import Metrics

/// The notifier's metrics: fixed labels, the outcome in a bounded `result` dimension.
struct NotifierMetrics: Sendable {
    let sent = Counter(label: "orderflow_notifier_emails_total", dimensions: [("result", "sent")])
    let failed = Counter(label: "orderflow_notifier_emails_total", dimensions: [("result", "failed")])
    let skipped = Counter(label: "orderflow_notifier_emails_total", dimensions: [("result", "skipped")])
    let duplicates = Counter(label: "orderflow_notifier_emails_total", dimensions: [("result", "duplicate")])
    let invalid = Counter(label: "orderflow_notifier_emails_total", dimensions: [("result", "invalid")])
    let retries = Counter(label: "orderflow_notifier_retries_total")
    let sendLatency = Timer(label: "orderflow_notifier_send_seconds")
}
