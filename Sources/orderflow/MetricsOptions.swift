import AMQP
import ArgumentParser
import Foundation
import LibPQ
import MailTransport
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

extension BuildInfo {
    /// This binary's version, the commit the installed package was built from (its build-info file;
    /// "unknown" for a binary not installed from the package) and the C libraries' versions.
    static func running(buildInfoFile: String = "/usr/share/doc/orderflow/build-info") -> BuildInfo {
        BuildInfo(
            version: Orderflow.version,
            revision: (try? String(contentsOfFile: buildInfoFile, encoding: .utf8)).flatMap(commit(in:)) ?? "unknown",
            libraries: [
                "librabbitmq": AMQPConnection.libraryVersion, "libpq": PostgresConnection.libraryVersionString,
                "libcurl": LibCurl.version,
            ])
    }

    /// The `commit:` line of the package's build-info file.
    static func commit(in buildInfo: String) -> String? {
        for line in buildInfo.split(separator: "\n") where line.hasPrefix("commit: ") {
            let commit = line.dropFirst("commit: ".count).trimmingCharacters(in: .whitespaces)
            return commit.isEmpty ? nil : commit
        }
        return nil
    }
}
