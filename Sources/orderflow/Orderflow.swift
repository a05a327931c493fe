import AMQP
import ArgumentParser
import DaemonSupport
import Foundation
import LibPQ
import Logging
import MailTransport
import Settings

@main
struct Orderflow: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "orderflow",
        abstract: "Ingests channel orders from RabbitMQ into PostgreSQL and mails shipment and apology emails.",
        discussion: """
            Every setting is a flag with an environment-variable fallback (shown in each command's --help). \
            Then, when a command is not a systemd service, /etc/orderflow/orderflow.env (or --config FILE before \
            or after the command name); then credentials: systemd's $CREDENTIALS_DIRECTORY (amqp-url, \
            database-url, smtp-url), or /etc/orderflow/credentials/ when root runs a command (database-url-owner \
            for migrate, database-url-read for status, rejects list/show, orders show/search, emails list and \
            vouchers report, \
            database-url-app for the rest). \
            ORDERFLOW_<NAME>_FILE names a file holding a value. A named file that is missing, empty or \
            unreadable, an unknown ORDERFLOW_ name and a malformed value stop the command with exit status 78. \
            `orderflow config` prints the effective settings and where each came from.
            """,
        version:
            "orderflow \(version) (librabbitmq \(AMQPConnection.libraryVersion), libpq "
            + "\(PostgresConnection.libraryVersionString), libcurl \(LibCurl.version))",
        subcommands: [
            Migrate.self, TopologyCommand.self, Worker.self, Notifier.self, Publish.self, Normalize.self,
            Render.self, Rejects.self, DeadLetters.self, Orders.self, Emails.self, Vouchers.self, Templates.self,
            Status.self, Prune.self, Customers.self, Config.self,
        ]
    )

    /// Parses the command, loads the settings for it, then runs it. A setting that cannot be used
    /// ends the run with EX_CONFIG (78) and a line naming it.
    nonisolated static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        do {
            let configFile = try takeConfigOption(from: &arguments)
            var command = try parseAsRoot(arguments)
            Settings.current = try loadSettings(
                configFile: configFile, role: (command as? any ConnectsAsRole).map { type(of: $0).databaseRole } ?? .app
            )
            if let parsed = command as? any AsyncParsableCommand {
                // Parsed on the main actor, run by this one task only: nothing else touches it.
                nonisolated(unsafe) var asyncCommand = parsed
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(onError: error)
        }
    }

    /// The last line of a failed run. Under journald it carries the error priority, so
    /// `journalctl -p err` shows why a unit failed.
    private static func exit(onError error: any Error) -> Never {
        let priority =
            LineLogHandler.Format.automatic(environment: ProcessInfo.processInfo.environment) == .journal
            ? "<\(LineLogHandler.priority(of: .error))>" : ""
        if let error = error as? SettingsError {
            FileHandle.standardError.write(Data("\(priority)orderflow: \(error.message)\n".utf8))
            Foundation.exit(SettingsError.exitCode)
        }
        // A refused login or an unusable URL is the configuration's fault, like a bad setting.
        if let error = error as? AMQPError, !error.isRecoverable {
            FileHandle.standardError.write(Data("\(priority)orderflow: error: \(error)\n".utf8))
            Foundation.exit(SettingsError.exitCode)
        }
        let code = exitCode(for: error)
        if code != .success, code != .validationFailure, !(error is ExitCode) {
            FileHandle.standardError.write(Data("\(priority)orderflow: error: \(message(for: error))\n".utf8))
            Foundation.exit(code.rawValue)
        }
        exit(withError: error)
    }

    /// This process's settings as `role`'s commands see them.
    static func loadSettings(configFile: String?, role: DatabaseRole) throws(SettingsError) -> Settings {
        let environment = ProcessInfo.processInfo.environment
        return try Settings.load(
            environment: environment, configFile: configFile, databaseRole: role,
            isSystemdService: environment["INVOCATION_ID"] != nil, isRoot: geteuid() == 0)
    }

    /// `--config FILE` / `--config=FILE` anywhere on the line, for every command.
    static func takeConfigOption(from arguments: inout [String]) throws -> String? {
        var file: String?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { break }
            if argument == "--config" {
                guard index + 1 < arguments.count else { throw ValidationError("--config needs a file") }
                file = arguments[index + 1]
                arguments.removeSubrange(index...(index + 1))
            } else if argument.hasPrefix("--config=") {
                file = String(argument.dropFirst("--config=".count))
                arguments.remove(at: index)
            } else {
                index += 1
            }
        }
        return file
    }
}

/// A command that connects to the database as a role other than the app's (see `DatabaseRole`).
protocol ConnectsAsRole {
    static var databaseRole: DatabaseRole { get }
}

extension PostgresConnection {
    /// "15.18" from libpq's integer version 150018.
    static var libraryVersionString: String {
        let v = libraryVersion
        return v >= 100_000 ? "\(v / 10000).\(v % 10000)" : "\(v / 10000).\(v / 100 % 100).\(v % 100)"
    }
}
