import AMQP
import ArgumentParser
import DaemonSupport
import Logging
import OrdersDomain
import OrdersWorkers
import ServiceLifecycle

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Consume channel orders, normalise and store them, acknowledging after each commit.",
        discussion: """
            Consumes orderflow.ingest (declaring the topology on every connect), writes batches of up to \
            --batch-size messages in one transaction and acks them after the commit. Invalid messages are \
            kept in the rejects table. Waits for the broker and the database when they are down.
            Also runs the outbox relay (publishes shipment.dispatched, voucher.issued and order.delayed events \
            to orderflow.events) and the overdue sweeper (every --sweep-interval seconds: delay vouchers for late \
            orders, delay notices on marketplaces, cancellation vouchers for merchant cancellations), unless \
            --no-relay / --no-sweeper. Every worker may run both: no voucher is issued twice, and an event goes \
            out twice only after a crash between its publish and its record.
            SIGTERM/SIGINT: stops consuming, stores and acks what was delivered (up to --drain-timeout), exits 0.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var metrics: MetricsOptions
    @OptionGroup(title: "Voucher policy") var policy: VoucherPolicyOptions

    @Option(help: ArgumentHelp("Unacked deliveries the broker sends ahead [env: ORDERFLOW_PREFETCH]", valueName: "n"))
    var prefetch: UInt16?

    @Option(help: ArgumentHelp("Most messages per transaction [env: ORDERFLOW_BATCH_SIZE]", valueName: "n"))
    var batchSize: Int?

    @Option(
        help: ArgumentHelp(
            "Seconds to finish in-flight work on shutdown [env: ORDERFLOW_DRAIN_TIMEOUT]", valueName: "seconds"))
    var drainTimeout: Int?

    @Option(
        help: ArgumentHelp(
            "Deliveries before a message is dead-lettered [env: ORDERFLOW_DELIVERY_LIMIT]", valueName: "n"))
    var deliveryLimit: Int64?

    @Option(
        help: ArgumentHelp(
            "Consume this queue instead of orderflow.ingest (it must exist) [env: ORDERFLOW_INGEST_QUEUE]",
            valueName: "name"))
    var queue: String?

    @Option(
        help: ArgumentHelp(
            "The instance name of a templated unit (orderflow-worker@N passes %i): a number N serves the metrics on "
                + "the port of ORDERFLOW_METRICS_ADDR plus N, so every instance on a host has its own",
            valueName: "name"))
    var instance: String?

    @Flag(help: "Do not run the outbox relay in this process.")
    var noRelay = false

    @Flag(help: "Do not run the overdue-order sweeper in this process.")
    var noSweeper = false

    @Option(
        help: ArgumentHelp(
            "Seconds between overdue-order sweeps (default 60) [env: ORDERFLOW_SWEEP_INTERVAL]", valueName: "seconds"))
    var sweepInterval: Int?

    @Option(
        help: ArgumentHelp(
            "Publish events to this exchange instead of orderflow.events [env: ORDERFLOW_EVENTS_EXCHANGE]",
            valueName: "name"))
    var eventsExchange: String?

    func run() async throws {
        let logger = LogSetup.bootstrap()
        var options = IngestOptions()
        if let value = try Setting.prefetch("ORDERFLOW_PREFETCH", flag: prefetch) { options.prefetch = value }
        if let value = try Setting.number("ORDERFLOW_BATCH_SIZE", flag: batchSize) {
            guard value >= 1 else { throw ValidationError("--batch-size must be at least 1") }
            options.batchSize = value
        }
        if let value = try Setting.number("ORDERFLOW_DRAIN_TIMEOUT", flag: drainTimeout) {
            options.drainTimeout = .seconds(value)
        }
        if let value = try Setting.number("ORDERFLOW_DELIVERY_LIMIT", flag: deliveryLimit.map(Int.init)) {
            options.deliveryLimit = Int64(value)
        }

        if let queue = Setting("ORDERFLOW_INGEST_QUEUE").resolve(flag: queue) {
            options.queue = queue
        }
        let policy = try policy.resolve()
        options.eventHorizon = .seconds(Int64(policy.delayHorizonHours) * 3600)
        let sweepSeconds =
            try Setting.number("ORDERFLOW_SWEEP_INTERVAL", flag: sweepInterval) ?? SettingDefaults.sweepIntervalSeconds
        guard sweepSeconds >= 1 else { throw ValidationError("--sweep-interval must be at least 1 second") }

        var configuration = WorkerConfiguration(
            amqp: try connection.amqpNodes(),
            databaseURL: connection.resolvedDatabaseURL)
        configuration.ingest = options
        configuration.normalizer = Normalizer.standard(
            context: NormalizationContext(
                handlingTimeSeconds: Int64(policy.handlingHours) * 3600,
                shopwareCurrencies: try Setting.shopwareCurrencies()))
        if noRelay {
            configuration.relay = nil
        } else {
            configuration.relay?.deliveryLimit = options.deliveryLimit
            if let exchange = Setting("ORDERFLOW_EVENTS_EXCHANGE").resolve(flag: eventsExchange) {
                configuration.relay?.exchange = exchange
            }
        }
        configuration.sweeper =
            noSweeper ? nil : OverdueSweeper.Schedule(policy: policy, interval: .seconds(sweepSeconds))
        configuration.metricsAddress = try metrics.address(instance: instance)
        configuration.buildInfo = .running()
        configuration.systemd = SystemdNotifier.fromEnvironment()
        configuration.faults = try FaultInjection.hooks()
        let group = WorkerProcess.serviceGroup(configuration, logger: logger)
        try await group.run()
    }
}
