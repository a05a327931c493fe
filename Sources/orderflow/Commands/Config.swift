import ArgumentParser
import Foundation
import Settings

struct Config: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the effective settings, secrets redacted, with where each value came from.",
        discussion: """
            Reads the settings as every command does (environment, configuration file, credentials) and prints \
            one line per setting: name, value, source (environment, file:line, credential path, default). \
            Passwords in URLs show as ***. With --database-role, the database URL is the one that role's \
            commands use (on the host: /etc/orderflow/credentials/database-url-ROLE). Exit status 78 when a \
            setting cannot be used, as for every command.
            """
    )

    @Option(
        help: ArgumentHelp(
            "Show the database URL of this role's commands: owner (migrate), app (worker, notifier), read (status).",
            valueName: "role"))
    var databaseRole: String?

    @Flag(
        help: ArgumentHelp(
            "One JSON object: {\"configFile\", \"credentialsDirectory\", \"settings\": [{\"name\", \"value\", "
                + "\"source\"}]}.")
    )
    var json = false

    func run() throws {
        var settings = Settings.current
        if let databaseRole {
            guard let role = DatabaseRole(rawValue: databaseRole) else {
                throw ValidationError("--database-role must be owner, app or read")
            }
            settings = try Orderflow.loadSettings(configFile: settings.configFile, role: role)
        }
        let rows = settings.effective(defaults: SettingDefaults.all).map { key, resolved in
            (
                name: key.name, value: resolved.map { key.redacted($0.value) },
                source: resolved?.source.description ?? "not set"
            )
        }
        if json {
            let object: [String: Any] = [
                "configFile": settings.configFile ?? NSNull(),
                "credentialsDirectory": settings.credentialsDirectory ?? NSNull(),
                "databaseRole": settings.databaseRole.rawValue,
                "settings": rows.map {
                    ["name": $0.name, "value": $0.value ?? NSNull(), "source": $0.source] as [String: Any]
                },
            ]
            let data = try JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("configuration file  \(settings.configFile ?? "none")")
        print("credentials         \(settings.credentialsDirectory ?? "none")")
        print("database role       \(settings.databaseRole.rawValue)")
        let nameWidth = rows.map(\.name.count).max() ?? 0
        let valueWidth = min(60, rows.map { ($0.value ?? "-").count }.max() ?? 0)
        for row in rows {
            let value = row.value ?? "-"
            print(
                row.name.padding(toLength: nameWidth + 2, withPad: " ", startingAt: 0)
                    + (value.count < valueWidth
                        ? value.padding(toLength: valueWidth + 2, withPad: " ", startingAt: 0) : value + "  ")
                    + row.source)
        }
    }
}

extension Config: ConnectsAsRole {
    static let databaseRole = DatabaseRole.read
}
