public import AMQP
import Foundation
import LibPQ
import OrdersBroker
import OrdersStore

/// Gathers a `StatusReport`. Queue depths and consumer counts come from passive declares (no
/// management plugin needed); the rest from the read model. Each side that cannot be reached is
/// reported as such, and the other is still shown.
public struct StatusCollector {
    /// The topology's work queues and their dead-letter queues.
    public static let defaultQueues = [Topology.ingest, Topology.notifier].flatMap { [$0.name, $0.deadLetterQueue] }

    public let queues: [String]

    public init(queues: [String] = StatusCollector.defaultQueues) { self.queues = queues }

    /// Asks the first of the broker nodes that answers (from a random one, in turn).
    public func collect(amqp: AMQPNodes, databaseURL: String) -> StatusReport {
        var report = StatusReport(broker: amqp.redactedDescription, database: Self.redacted(databaseURL))
        do {
            (report.broker, report.queues) = try queueStates(amqp)
        } catch {
            report.brokerError = "\(error)"
        }
        do {
            let db = try PostgresConnection(url: databaseURL, applicationName: "orderflow-status")
            defer { db.close() }
            let summary = try OperationsSummary.read(on: db)
            (report.outbox, report.rejects, report.emails) = (summary.outbox, summary.rejects, summary.emails)
            report.ordersWithLinesNotAddingUp = summary.ordersWithLinesNotAddingUp
        } catch {
            report.databaseError = "\(error)"
        }
        return report
    }

    /// A passive declare of a missing queue closes the channel (404), so each queue is asked on a
    /// connection that is opened again after such a failure.
    /// Returns the URL (without password) of the node that answered, with the states.
    private func queueStates(_ amqp: AMQPNodes) throws(AMQPError) -> (String, [StatusReport.Queue]) {
        let nodes = AMQPNodeRotation(amqp)
        var connection = try nodes.connect()
        defer { connection.close() }
        var states: [StatusReport.Queue] = []
        for name in queues {
            do {
                let (messages, consumers) = try connection.declareQueue(name, passive: true)
                states.append(.init(name: name, messages: messages, consumers: consumers))
            } catch  where error.replyCode == 404 {
                states.append(.init(name: name, messages: nil, consumers: nil))
                connection.close()
                connection = try AMQPConnection(connection.configuration)
            }
        }
        return (connection.configuration.redactedDescription, states)
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
