public import AMQP
import Foundation
import LibPQ
import OrdersBroker

/// Gathers a `StatusReport`. Queue depths and consumer counts come from passive declares (no
/// management plugin needed); the rest from the read model. Each side that cannot be reached is
/// reported as such, and the other is still shown.
public struct StatusCollector {
    /// The topology's work queues and their dead-letter queues.
    public static let defaultQueues = [Topology.ingest, Topology.notifier].flatMap { [$0.name, $0.deadLetterQueue] }

    public let queues: [String]

    public init(queues: [String] = StatusCollector.defaultQueues) { self.queues = queues }

    public func collect(amqp: AMQPConfiguration, databaseURL: String) -> StatusReport {
        var report = StatusReport(broker: amqp.redactedDescription, database: Self.redacted(databaseURL))
        do {
            report.queues = try queueStates(amqp)
        } catch {
            report.brokerError = "\(error)"
        }
        do {
            let db = try PostgresConnection(url: databaseURL, applicationName: "orderflow-status")
            defer { db.close() }
            try readModel(db, into: &report)
        } catch {
            report.databaseError = "\(error)"
        }
        return report
    }

    /// A passive declare of a missing queue closes the channel (404), so each queue is asked on a
    /// connection that is opened again after such a failure.
    private func queueStates(_ amqp: AMQPConfiguration) throws(AMQPError) -> [StatusReport.Queue] {
        var connection = try AMQPConnection(amqp)
        defer { connection.close() }
        var states: [StatusReport.Queue] = []
        for name in queues {
            do {
                let (messages, consumers) = try connection.declareQueue(name, passive: true)
                states.append(.init(name: name, messages: messages, consumers: consumers))
            } catch where error.replyCode == 404 {
                states.append(.init(name: name, messages: nil, consumers: nil))
                connection.close()
                connection = try AMQPConnection(amqp)
            }
        }
        return states
    }

    private func readModel(_ db: PostgresConnection, into report: inout StatusReport) throws(PostgresError) {
        let outbox = try db.execute("""
            SELECT count(*) AS unpublished,
                   floor(extract(epoch FROM now() - min(created_at)))::bigint AS oldest_age,
                   (SELECT last_error FROM outbox WHERE last_error IS NOT NULL AND published_at IS NULL
                    ORDER BY id DESC LIMIT 1) AS last_error
            FROM outbox WHERE published_at IS NULL
            """)
        report.outbox = .init(unpublished: outbox.int64(0, "unpublished") ?? 0, oldestAgeSeconds: outbox.int64(0, "oldest_age"),
                              lastError: outbox[0, "last_error"])
        let rejects = try db.execute("""
            SELECT count(*) FILTER (WHERE received_at > now() - interval '1 hour') AS last_hour,
                   count(*) FILTER (WHERE replayed_at IS NULL) AS not_replayed,
                   (SELECT reason FROM rejects ORDER BY id DESC LIMIT 1) AS newest_reason
            FROM rejects
            """)
        report.rejects = .init(lastHour: rejects.int64(0, "last_hour") ?? 0, notReplayed: rejects.int64(0, "not_replayed") ?? 0,
                               newestReason: rejects[0, "newest_reason"])
        let emails = try db.execute("""
            SELECT count(*) FILTER (WHERE status = 'sent') AS sent,
                   count(*) FILTER (WHERE status = 'failed') AS failed,
                   count(*) FILTER (WHERE status = 'sending') AS sending,
                   (SELECT smtp_reply FROM emails WHERE status = 'failed' ORDER BY claimed_at DESC LIMIT 1) AS last_failure
            FROM emails WHERE claimed_at > now() - interval '24 hours'
            """)
        report.emails = .init(sent: emails.int64(0, "sent") ?? 0, failed: emails.int64(0, "failed") ?? 0,
                              sending: emails.int64(0, "sending") ?? 0, lastFailure: emails[0, "last_failure"])
    }

    /// `postgres://user@host:port/db`: the URL without password or query (which may hold one).
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return "(database)" }
        var rest = url[scheme.upperBound...]
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        guard let at = rest.lastIndex(of: "@") else { return String(url[..<scheme.upperBound] + rest) }
        let user = rest[..<at].split(separator: ":", maxSplits: 1).first ?? ""
        return String(url[..<scheme.upperBound] + user + "@" + rest[rest.index(after: at)...])
    }
}
