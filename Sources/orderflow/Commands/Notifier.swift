import AMQP
import ArgumentParser
import DaemonSupport
import Logging
import OrdersMail
import OrdersWorkers
import ServiceLifecycle

struct Notifier: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send shipment and apology emails for events, once per event.",
        discussion: """
            Consumes orderflow.notifier (declaring the topology on every connect) and sends each event's email \
            through ORDERFLOW_SMTP_URL, or writes it to ORDERFLOW_MAIL_DIR as <event id>.eml when no SMTP URL is \
            set. Once per event: the email is claimed in the emails table, sent, recorded as sent with the \
            server's reply, and only then acked; an event already sent is acked without sending. SMTP 4xx and \
            connection errors are retried with backoff (the message stays unacked); a 5xx records the email as \
            failed; an event without a usable address is recorded as skipped. The merchant's company details \
            are required: German law wants them in every business email.
            SIGTERM/SIGINT: finishes the email in hand, returns the rest to the queue, exits 0.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var mail: MailOptions
    @OptionGroup var delivery: MailDeliveryOptions
    @OptionGroup var metrics: MetricsOptions

    @Option(
        help: ArgumentHelp("Unacked events the broker sends ahead [env: ORDERFLOW_NOTIFIER_PREFETCH]", valueName: "n"))
    var prefetch: UInt16?

    @Option(
        help: ArgumentHelp(
            "Deliveries before an event is dead-lettered [env: ORDERFLOW_DELIVERY_LIMIT]", valueName: "n"))
    var deliveryLimit: Int64?

    @Option(
        help: ArgumentHelp(
            "Consume this queue instead of orderflow.notifier (it must exist) [env: ORDERFLOW_NOTIFIER_QUEUE]",
            valueName: "name"))
    var queue: String?

    func run() async throws {
        let logger = LogSetup.bootstrap()
        var options = NotifierOptions()
        if let value = try Setting.prefetch("ORDERFLOW_NOTIFIER_PREFETCH", flag: prefetch) { options.prefetch = value }
        if let value = try Setting.number("ORDERFLOW_DELIVERY_LIMIT", flag: deliveryLimit.map(Int.init)) {
            options.deliveryLimit = Int64(value)
        }
        if let queue = Setting("ORDERFLOW_NOTIFIER_QUEUE").resolve(flag: queue) {
            options.queue = queue
            options.declareTopology = queue == NotifierOptions().queue
        }
        let composer = try mail.composer(placeholders: false)
        var configuration = NotifierConfiguration(
            amqp: try connection.amqpNodes(), databaseURL: connection.resolvedDatabaseURL,
            transport: try delivery.transport(envelopeFrom: composer.from.address), composer: composer)
        logger.info("mail goes to \(delivery.destinationDescription())")
        configuration.options = options
        configuration.metricsAddress = try metrics.address()
        configuration.buildInfo = .running()
        configuration.systemd = SystemdNotifier.fromEnvironment()
        configuration.faults = try FaultInjection.hooks()
        let group = NotifierProcess.serviceGroup(configuration, logger: logger)
        try await group.run()
    }
}
