import ArgumentParser
import Logging
import MetricsEndpoint
import OrdersWorkers

/// `--metrics-addr` / ORDERFLOW_METRICS_ADDR for the long-running commands.
struct MetricsOptions: ParsableArguments {
    @Option(name: .customLong("metrics-addr"), help: ArgumentHelp("Serve /metrics and /healthz on host:port [env: ORDERFLOW_METRICS_ADDR]", valueName: "host:port"))
    var metricsAddress: String?

    /// The endpoint's service, or nil when no address is set. Bootstraps swift-metrics with the
    /// Prometheus registry: call it before creating the services whose metrics it should export.
    /// `instance`: the systemd instance name of a templated unit; a number N moves the port by N.
    func server(logger: Logger, instance: String? = nil, health: @escaping @Sendable () -> MetricsServer.Health) throws -> MetricsServer? {
        guard let text = Setting("ORDERFLOW_METRICS_ADDR").resolve(flag: metricsAddress) else { return nil }
        guard var address = MetricsAddress(text) else { throw ValidationError("--metrics-addr must be host:port, not '\(text)'") }
        if let instance, let number = Int(instance) {
            guard let shifted = address.offset(by: number) else {
                throw ValidationError("instance \(instance) moves the metrics port \(address.port) out of range")
            }
            address = shifted
        }
        return MetricsServer(address: address, registry: MetricsBootstrap.bootstrap(), logger: logger, health: health)
    }
}

extension MetricsServer.Health {
    /// The worker is healthy while its consumer is registered (and while it drains on shutdown).
    static func ingest(_ progress: IngestProgress, queue: String) -> MetricsServer.Health {
        if progress.isDraining { return .init(healthy: true, detail: "draining") }
        return progress.isConsuming ? .init(healthy: true, detail: "consuming \(queue)")
                                    : .init(healthy: false, detail: "not consuming: waiting for the broker")
    }

    /// The notifier is healthy while its consumer is registered (and while it finishes on shutdown).
    static func notifier(_ progress: NotifierProgress, queue: String) -> MetricsServer.Health {
        if progress.isShuttingDown { return .init(healthy: true, detail: "finishing") }
        return progress.isConsuming ? .init(healthy: true, detail: "consuming \(queue)")
                                    : .init(healthy: false, detail: "not consuming: waiting for the broker")
    }
}
