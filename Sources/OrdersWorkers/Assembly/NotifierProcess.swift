public import AMQP
public import DaemonSupport
public import Logging
public import MailTransport
public import MetricsEndpoint
public import OrdersMail
public import ServiceLifecycle
import UnixSignals

/// Everything `orderflow notifier` runs, as typed values: the executable parses flags and settings
/// into this and calls `NotifierProcess.serviceGroup`.
public struct NotifierConfiguration: Sendable {
    public var amqp: AMQPNodes
    public var databaseURL: String
    public var transport: any MailTransport
    public var composer: EmailComposer
    public var options = NotifierOptions()
    public var metricsAddress: MetricsAddress?
    /// The labels of `orderflow_build_info` on /metrics.
    public var buildInfo = BuildInfo(version: "unknown", revision: "unknown")
    public var systemd = SystemdNotifier.disabled
    public var faults = FaultHooks.none

    public init(amqp: AMQPNodes, databaseURL: String, transport: any MailTransport, composer: EmailComposer) {
        self.amqp = amqp
        self.databaseURL = databaseURL
        self.transport = transport
        self.composer = composer
    }
}

public enum NotifierProcess {
    /// The metrics endpoint first (it stops last, so it can be scraped while the notifier finishes).
    public static func serviceGroup(_ configuration: NotifierConfiguration, logger: Logger) -> ServiceGroup {
        let registry = configuration.metricsAddress.map { _ in
            MetricsBootstrap.bootstrap(buildInfo: configuration.buildInfo)
        }
        let notifier = NotifierService(
            amqp: configuration.amqp,
            database: DatabaseExecutor(url: configuration.databaseURL, applicationName: "orderflow-notifier"),
            transport: configuration.transport, composer: configuration.composer, options: configuration.options,
            logger: logger, systemd: configuration.systemd, faults: configuration.faults)
        let services: [any Service] = [FreeMemoryReturner(), notifier]
        let queue = configuration.options.queue, status = notifier.status
        return ServiceGroup.daemon(services, metrics: configuration.metricsAddress, registry: registry, logger: logger)
        {
            .consumer(status, queue: queue, stopping: "finishing")
        }
    }
}
