import Foundation
public import AMQP
public import DaemonSupport
public import Logging
public import MailTransport
import OrdersBroker
public import OrdersMail
public import ServiceLifecycle

/// `orderflow notifier`: the consuming loop on `orderflow.notifier` with the notifier's handler,
/// one email per event (see `NotifierHandler`). On SIGTERM it finishes the email in hand and
/// returns the rest to the queue.
///
/// Threads: the AMQP connection is the consumer thread's, the libpq connection the database
/// executor's queue, the libcurl handle the transport's queue; the loop only awaits them.
public final class NotifierService: Service {
    private let loop: ConsumerLoop
    private let handler: NotifierHandler
    private let options: NotifierOptions
    private let logger: Logger
    /// What became of the emails (also exported as metrics).
    public let counters: Counters<NotifierCount>
    /// Consuming, reconnecting or finishing (for /healthz and tests).
    public var status: ConsumerStatus { loop.status }

    public init(
        source: any MessageSource, ledger: any EmailLedgerStore, transport: any MailTransport, composer: EmailComposer,
        options: NotifierOptions, logger: Logger, systemd: SystemdNotifier = .disabled, faults: FaultHooks = .none
    ) {
        loop = ConsumerLoop(
            source: source,
            options: ConsumerLoop.Options(
                queue: options.queue, batchSize: 1, shutdown: .finishInHand,
                activeGauge: "orderflow_notifier_consumer_active"),
            systemd: systemd, logger: logger)
        counters = Counters()
        handler = NotifierHandler(
            ledger: ledger, transport: transport, composer: composer, options: options, counters: counters,
            faults: faults, logger: logger)
        self.options = options
        self.logger = logger
    }

    /// The production wiring: the queue's AMQP consumer and the PostgreSQL ledger.
    public convenience init(
        amqp: AMQPNodes, database: DatabaseExecutor, transport: any MailTransport,
        composer: EmailComposer, options: NotifierOptions, logger: Logger,
        systemd: SystemdNotifier = .disabled, faults: FaultHooks = .none
    ) {
        let source = AMQPConsumer.consuming(
            options.queue, amqp: amqp, prefetch: options.prefetch,
            reconnectDelay: options.reconnectDelay,
            topology: options.declareTopology ? Topology(deliveryLimit: options.deliveryLimit) : nil)
        self.init(
            source: source, ledger: PostgresEmailLedgerStore(database: database), transport: transport,
            composer: composer,
            options: options, logger: logger, systemd: systemd, faults: faults)
        logger.info(
            "notifier starting",
            metadata: ["amqp.queue": "\(options.queue)", "amqp.broker": "\(amqp.redactedDescription)"])
    }

    public func run() async throws {
        let counters = self.counters, buffer = loop.source.buffer
        let progressLines = ProgressLines.every(
            options.progressInterval, logger: logger, snapshot: { counters.snapshot() }
        ) {
            now, last, seconds in
            let handled = { (counts: [NotifierCount: Int]) in NotifierCount.handled.reduce(0) { $0 + (counts[$1] ?? 0) }
            }
            return [
                "emails.sent": "\(now[.sent] ?? 0)", "emails.failed": "\(now[.failed] ?? 0)",
                "emails.skipped": "\(now[.skipped] ?? 0)", "emails.duplicates": "\(now[.duplicates] ?? 0)",
                "events.invalid": "\(now[.invalid] ?? 0)", "retries": "\(now[.retries] ?? 0)",
                "emails.per_second": "\(String(format: "%.1f", Double(handled(now) - handled(last)) / seconds))",
                "amqp.buffered": "\(buffer.count)",
            ]
        }
        defer { logStopped() }
        try await loop.run(handler, companions: [progressLines], stoppingStatus: "finishing the email in hand")
    }

    private func logStopped() {
        logger.info(
            "notifier stopped",
            metadata: [
                "emails.sent": "\(counters[.sent])", "emails.failed": "\(counters[.failed])",
                "emails.skipped": "\(counters[.skipped])",
                "emails.duplicates": "\(counters[.duplicates])",
            ])
    }
}
