import ArgumentParser
import MetricsEndpoint

/// `--metrics-addr` / ORDERFLOW_METRICS_ADDR for the long-running commands.
struct MetricsOptions: ParsableArguments {
    @Option(
        name: .customLong("metrics-addr"),
        help: ArgumentHelp(
            "Serve /metrics and /healthz on host:port [env: ORDERFLOW_METRICS_ADDR]", valueName: "host:port"))
    var metricsAddress: String?

    /// Where to serve /metrics and /healthz, or nil when no address is set. `instance`: the
    /// systemd instance name of a templated unit; a number N moves the port by N.
    func address(instance: String? = nil) throws -> MetricsAddress? {
        guard let text = Setting("ORDERFLOW_METRICS_ADDR").resolve(flag: metricsAddress) else { return nil }
        guard let address = MetricsAddress(text) else {
            throw ValidationError("--metrics-addr must be host:port, not '\(text)'")
        }
        guard let instance, let number = Int(instance) else { return address }
        guard let shifted = address.offset(by: number) else {
            throw ValidationError("instance \(instance) moves the metrics port \(address.port) out of range")
        }
        return shifted
    }
}
