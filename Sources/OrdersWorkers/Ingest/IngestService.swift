public import AMQP
public import DaemonSupport
public import Logging
public import OrdersDomain
import OrdersBroker
import OrdersStore
public import Resilience
public import ServiceLifecycle

/// `orderflow worker`'s ingest: the consuming loop on `orderflow.ingest` with the ingest handler.
///
/// Each turn takes what the consumer thread has buffered (up to `batchSize`; what arrives during
/// one write makes the next batch), normalises it on the cooperative pool, writes it in one
/// pipelined transaction on the database thread, and only then acks it with one `multiple` ack
/// per connection. On SIGTERM it stops consuming and stores and acks what was delivered.
public final class IngestService: Service {
    private let loop: ConsumerLoop
    private let handler: IngestHandler
    private let options: IngestOptions
    private let logger: Logger
    /// What was stored and rejected (also exported as metrics).
    public let counters: Counters<IngestCount>
    /// Consuming, reconnecting or draining (for /healthz and tests).
    public var status: ConsumerStatus { loop.status }

    public init(
        source: any MessageSource, store: any IngestStore, options: IngestOptions, normalizer: Normalizer = .standard,
        logger: Logger, systemd: SystemdNotifier = .disabled, faults: FaultHooks = .none
    ) {
        var loopOptions = ConsumerLoop.Options(
            queue: options.queue, batchSize: options.batchSize,
            shutdown: .drain(timeout: options.drainTimeout),
            activeGauge: "orderflow_ingest_consumer_active")
        loopOptions.batchWindow = options.batchWindow
        loopOptions.isolateRedeliveries = true
        loop = ConsumerLoop(source: source, options: loopOptions, systemd: systemd, logger: logger)
        counters = Counters()
        handler = IngestHandler(
            store: store, normalizer: normalizer, counters: counters, retry: RetryPolicy(),
            faults: faults, logger: logger)
        self.options = options
        self.logger = logger
    }

    /// The production wiring: the queue's AMQP consumer and PostgreSQL.
    public convenience init(
        amqp: AMQPNodes, database: DatabaseExecutor, options: IngestOptions,
        normalizer: Normalizer = .standard, logger: Logger, systemd: SystemdNotifier = .disabled,
        faults: FaultHooks = .none
    ) {
        let source = AMQPConsumer.consuming(
            options.queue, amqp: amqp, prefetch: options.prefetch,
            reconnectDelay: options.reconnectDelay,
            topology: options.declareTopology ? Topology(deliveryLimit: options.deliveryLimit) : nil)
        let store = PostgresIngestStore(
            database: database,
            orders: OrderStore(eventHorizonSeconds: options.eventHorizon.components.seconds))
        self.init(
            source: source, store: store, options: options, normalizer: normalizer, logger: logger, systemd: systemd,
            faults: faults)
        logger.info(
            "ingest worker starting",
            metadata: ["amqp.queue": "\(options.queue)", "amqp.broker": "\(amqp.redactedDescription)"])
    }

    public func run() async throws {
        let counters = self.counters, buffer = loop.source.buffer
        let progressLines = ProgressLines.every(
            options.progressInterval, logger: logger,
            snapshot: {
                [counters[.stored], counters[.rejected]]
            }
        ) { now, last, seconds in
            [
                "orders.stored": "\(now[0])", "orders.rejected": "\(now[1])",
                "orders.per_second": "\(Int(Double(now[0] + now[1] - last[0] - last[1]) / seconds))",
                "amqp.buffered": "\(buffer.count)",
            ]
        }
        let statusLines = IngestStatusLine(
            systemd: loop.systemd, counters: counters, status: loop.status, queue: options.queue)
        try await loop.run(
            handler, companions: [progressLines, statusLines.run],
            stoppingStatus: "draining: storing and acking what was delivered")
        logger.info(
            "ingest worker stopped",
            metadata: ["orders.stored": "\(counters[.stored])", "orders.rejected": "\(counters[.rejected])"])
    }
}
