import AMQP
import ArgumentParser
import OrdersOperations
import Settings

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Queue depths, consumers, outbox backlog, rejects and last errors.",
        discussion: """
            Asks the broker for each queue's depth and consumer count (passive declares: no management \
            plugin needed) and the database for the outbox backlog and its oldest event, rejects in the \
            last hour, and emails sent and failed in the last 24 hours. Alerts: a work queue with \
            messages and no consumer, dead letters, an unpublished event older than --outbox-age-alert, \
            a server that cannot be reached. Exit status: 0; 1 when a server cannot be reached; with \
            --check, 2 when there is any alert (for monitoring scripts).
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(
        name: .customLong("queue"),
        help: ArgumentHelp(
            "A queue to report (repeatable; default: the ingest and notifier queues and their dead-letter queues).",
            valueName: "name"))
    var queues: [String] = []

    @Option(help: ArgumentHelp("Alert when the oldest unpublished event is older than this.", valueName: "seconds"))
    var outboxAgeAlert: Int64 = 300

    @Flag(help: "Exit with status 2 when there is any alert.")
    var check = false

    func run() throws {
        let collector = StatusCollector(queues: queues.isEmpty ? StatusCollector.defaultQueues : queues)
        let report = collector.collect(
            amqp: try connection.amqpNodes(),
            databaseURL: connection.resolvedDatabaseURL)
        let alerts = StatusAlerts(outboxAgeThresholdSeconds: outboxAgeAlert).alerts(for: report)
        print(StatusFormatter.text(report, alerts: alerts))
        if report.brokerError != nil || report.databaseError != nil { throw ExitCode.failure }
        if check, !alerts.isEmpty { throw ExitCode(2) }
    }
}

extension Status: ConnectsAsRole {
    static let databaseRole = DatabaseRole.read
}
