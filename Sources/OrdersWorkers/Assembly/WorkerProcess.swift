public import AMQP
public import DaemonSupport
public import Logging
public import MetricsEndpoint
import Prometheus
import UnixSignals
public import OrdersDomain
public import ServiceLifecycle

/// Everything `orderflow worker` runs, as typed values: the executable parses flags and settings
/// into this and calls `WorkerProcess.serviceGroup`.
public struct WorkerConfiguration: Sendable {
    /// The broker nodes (one URL, or a cluster's nodes): the consumer and the relay each use one at a time.
    public var amqp: AMQPNodes
    public var databaseURL: String
    public var ingest = IngestOptions()
    public var normalizer = Normalizer.standard
    /// nil: this process runs no outbox relay.
    public var relay: OutboxRelay.Options? = OutboxRelay.Options()
    /// nil: this process runs no overdue sweeper.
    public var sweeper: OverdueSweeper.Schedule?
    /// Where /metrics and /healthz are served; nil serves nothing.
    public var metricsAddress: MetricsAddress?
    /// The labels of `orderflow_build_info` on /metrics.
    public var buildInfo = BuildInfo(version: "unknown", revision: "unknown")
    public var systemd = SystemdNotifier.disabled
    public var faults = FaultHooks.none

    public init(amqp: AMQPNodes, databaseURL: String) {
        self.amqp = amqp
        self.databaseURL = databaseURL
    }
}

public enum WorkerProcess {
    /// The worker's services in the order they start (and the reverse of the order they stop):
    /// the metrics endpoint first, so it can be scraped while the others drain; each service with
    /// a database connection of its own (and the relay a broker connection of its own).
    public static func serviceGroup(_ configuration: WorkerConfiguration, logger: Logger) -> ServiceGroup {
        // Before the services: their metrics bind to the registry when they are created.
        let registry = configuration.metricsAddress.map { _ in
            MetricsBootstrap.bootstrap(buildInfo: configuration.buildInfo)
        }
        let ingest = IngestService(
            amqp: configuration.amqp,
            database: DatabaseExecutor(url: configuration.databaseURL, applicationName: "orderflow-worker"),
            options: configuration.ingest, normalizer: configuration.normalizer, logger: logger,
            systemd: configuration.systemd, faults: configuration.faults)
        var services: [any Service] = [FreeMemoryReturner(), ingest]
        if let relay = configuration.relay {
            services.append(
                OutboxRelay(
                    amqp: configuration.amqp,
                    database: DatabaseExecutor(url: configuration.databaseURL, applicationName: "orderflow-relay"),
                    options: relay, logger: logger, faults: configuration.faults))
        }
        if let schedule = configuration.sweeper {
            services.append(
                OverdueSweeper(
                    database: DatabaseExecutor(url: configuration.databaseURL, applicationName: "orderflow-sweeper"),
                    schedule: schedule, logger: logger))
        }
        let queue = configuration.ingest.queue, status = ingest.status
        return ServiceGroup.daemon(services, metrics: configuration.metricsAddress, registry: registry, logger: logger)
        {
            .consumer(status, queue: queue, stopping: "draining")
        }
    }
}

extension ServiceGroup {
    /// A daemon's group: stops on SIGTERM and SIGINT; the metrics endpoint, when an address is set,
    /// goes first, so that it stops last and can be scraped while the others finish.
    static func daemon(
        _ services: [any Service], metrics address: MetricsAddress?, registry: PrometheusCollectorRegistry?,
        logger: Logger, health: @escaping @Sendable () -> MetricsServer.Health
    ) -> ServiceGroup {
        var services = services
        if let address, let registry {
            services.insert(MetricsServer(address: address, registry: registry, logger: logger, health: health), at: 0)
        }
        return ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
    }
}

extension MetricsServer.Health {
    /// A consuming service is healthy while its consumer is registered, and while it stops.
    static func consumer(_ status: ConsumerStatus, queue: String, stopping: String) -> MetricsServer.Health {
        if status.isStopping { return .init(healthy: true, detail: stopping) }
        return status.isConsuming
            ? .init(healthy: true, detail: "consuming \(queue)" + (status.node.map { " on \($0)" } ?? ""))
            : .init(healthy: false, detail: "not consuming: waiting for the broker")
    }
}
