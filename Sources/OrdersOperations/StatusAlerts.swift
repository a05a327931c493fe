import OrdersStore
/// The conditions an operator is paged for (reliability checklist 26), derived from a report.
public struct StatusAlerts: Sendable {
    /// An unpublished event older than this means the relay is stuck or the broker refuses it.
    public var outboxAgeThresholdSeconds: Int64 = 300

    public init(outboxAgeThresholdSeconds: Int64 = 300) {
        self.outboxAgeThresholdSeconds = outboxAgeThresholdSeconds
    }

    public func alerts(for report: StatusReport) -> [String] {
        var alerts: [String] = []
        if let error = report.brokerError { alerts.append("broker unreachable: \(error)") }
        if let error = report.databaseError { alerts.append("database unreachable: \(error)") }
        for queue in report.queues ?? [] {
            guard let messages = queue.messages, let consumers = queue.consumers else {
                alerts.append("queue \(queue.name) does not exist: run `orderflow topology`")
                continue
            }
            if queue.isDeadLetterQueue, messages > 0 {
                alerts.append("\(queue.name) holds \(messages) dead letter(s)")
            } else if !queue.isDeadLetterQueue, consumers == 0, messages > 0 {
                alerts.append("\(queue.name) has \(messages) message(s) waiting and no consumer")
            }
        }
        if let age = report.outbox?.oldestAgeSeconds, age > outboxAgeThresholdSeconds {
            alerts.append(
                "oldest unpublished event is \(StatusFormatter.age(age)) old (threshold "
                    + "\(StatusFormatter.age(outboxAgeThresholdSeconds)))"
            )
        }
        if let sync = report.voucherSync, sync.failed > 0 {
            alerts.append(
                "\(sync.failed) voucher(s) refused by their shop (\(StatusFormatter.oneLine(sync.lastFailure ?? "")))"
                    + ": see `orderflow vouchers list --status failed`, then `orderflow vouchers sync --retry-failed`")
        }
        return alerts
    }
}
