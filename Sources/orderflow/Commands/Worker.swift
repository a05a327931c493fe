import AMQP
import ArgumentParser
import DaemonSupport
import Logging
import OrdersWorkers
import ServiceLifecycle
import UnixSignals

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Consume channel orders, normalise and store them, acknowledging after each commit.",
        discussion: """
            Consumes orderflow.ingest (declaring the topology on every connect), writes batches of up to
            --batch-size messages in one transaction and acks them after the commit. Invalid messages are
            kept in the rejects table. Waits for the broker and the database when they are down.
            SIGTERM/SIGINT: stops consuming, stores and acks what was delivered (up to --drain-timeout), exits 0.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var metrics: MetricsOptions

    @Option(help: ArgumentHelp("Unacked deliveries the broker sends ahead [env: ORDERFLOW_PREFETCH]", valueName: "n"))
    var prefetch: UInt16?

    @Option(help: ArgumentHelp("Most messages per transaction [env: ORDERFLOW_BATCH_SIZE]", valueName: "n"))
    var batchSize: Int?

    @Option(help: ArgumentHelp("Seconds to finish in-flight work on shutdown [env: ORDERFLOW_DRAIN_TIMEOUT]", valueName: "seconds"))
    var drainTimeout: Int?

    @Option(help: ArgumentHelp("Deliveries before a message is dead-lettered [env: ORDERFLOW_DELIVERY_LIMIT]", valueName: "n"))
    var deliveryLimit: Int64?

    @Option(help: ArgumentHelp("Consume this queue instead of orderflow.ingest (it must exist) [env: ORDERFLOW_INGEST_QUEUE]", valueName: "name"))
    var queue: String?

    @Flag(help: "Do not run the outbox relay in this process.")
    var noRelay = false

    @Flag(help: "Do not run the overdue-order sweeper in this process.")
    var noSweeper = false

    @Option(help: ArgumentHelp("Seconds between overdue-order sweeps", valueName: "seconds"))
    var sweepInterval: Int = 60

    func run() async throws {
        let logger = LogSetup.bootstrap()
        var options = IngestOptions()
        if let value = Setting.number("ORDERFLOW_PREFETCH", flag: prefetch.map(Int.init)) {
            guard (1...65535).contains(value) else { throw ValidationError("--prefetch must be between 1 and 65535") }
            options.prefetch = UInt16(value)
        }
        if let value = Setting.number("ORDERFLOW_BATCH_SIZE", flag: batchSize) {
            guard value >= 1 else { throw ValidationError("--batch-size must be at least 1") }
            options.batchSize = value
        }
        if let value = Setting.number("ORDERFLOW_DRAIN_TIMEOUT", flag: drainTimeout) { options.drainTimeout = .seconds(value) }
        if let value = Setting.number("ORDERFLOW_DELIVERY_LIMIT", flag: deliveryLimit.map(Int.init)) { options.deliveryLimit = Int64(value) }

        if let queue = Setting(environmentVariable: "ORDERFLOW_INGEST_QUEUE", credentialName: nil).resolve(flag: queue) {
            options.queue = queue
        }
        let amqp = try AMQPConfiguration(url: connection.resolvedAMQPURL)
        let database = DatabaseExecutor(url: connection.resolvedDatabaseURL, applicationName: "orderflow-worker")
        let progress = IngestProgress()
        let queue = options.queue
        // Before the services: their metrics bind to the registry when they are created.
        let endpoint = try metrics.server(logger: logger) { .ingest(progress, queue: queue) }
        let ingest = IngestService(amqp: amqp, database: database, options: options, logger: logger, progress: progress,
                                   systemd: ServiceNotifier.fromEnvironment())
        let group = ServiceGroup(configuration: .init(
            services: (endpoint.map { [.init(service: $0)] } ?? []) + [.init(service: ingest)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await group.run()
    }
}
