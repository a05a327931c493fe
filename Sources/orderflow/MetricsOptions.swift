import AMQP
import ArgumentParser
import Foundation
import LibPQ
import Logging
import MailTransport
import MetricsEndpoint
import OrdersConsole
import OrdersDomain
import Settings

/// `--metrics-addr` / ORDERFLOW_METRICS_ADDR for the long-running commands.
struct MetricsOptions: ParsableArguments {
    @Option(
        name: .customLong("metrics-addr"),
        help: ArgumentHelp(
            "Serve /metrics and /healthz (and /console when ORDERFLOW_CONSOLE_TOKEN is set) on host:port "
                + "[env: ORDERFLOW_METRICS_ADDR]", valueName: "host:port"))
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

    /// The web console when ORDERFLOW_CONSOLE_TOKEN is set (and a metrics address to serve it on),
    /// else nil; its overview shows `queue`, the one this process consumes, beside the topology's.
    /// A token shorter than 16 characters is refused: it would be guessed.
    func console(
        amqp: AMQPNodes, databaseURL: String, queue: String, served address: MetricsAddress?, logger: Logger
    ) throws -> Console? {
        let key = SettingKey.consoleToken
        guard let token = Settings.current.resolve(key.name) else { return nil }
        let value = token.value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard value.count >= 16 else {
            throw SettingsError("\(key.name) (\(token.source)) must be at least 16 characters long")
        }
        guard address != nil else {
            logger.warning("\(key.name) is set but ORDERFLOW_METRICS_ADDR is not: the console is not served")
            return nil
        }
        guard let directory = ConsoleTemplates.shippedDirectory() else {
            throw ValidationError(
                "the console's templates are missing (looked beside the executable and in /usr/share/orderflow/console)"
            )
        }
        let handlingHours = try Setting.number("ORDERFLOW_HANDLING_HOURS", flag: nil) ?? VoucherPolicy().handlingHours
        var configuration = Console.Configuration(
            token: value, amqp: amqp, databaseURL: databaseURL, handlingHours: handlingHours)
        if !configuration.queues.contains(queue) { configuration.queues += [queue] }
        return Console(configuration, templates: try ConsoleTemplates(directory: directory))
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
