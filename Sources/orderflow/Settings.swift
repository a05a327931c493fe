import ArgumentParser
import Foundation

/// Resolves a setting: the flag, else the environment variable, else `<VAR>_FILE` (a file holding
/// the value), else the systemd credential of that name, else the default.
struct Setting {
    let environmentVariable: String
    let credentialName: String?

    func resolve(flag: String?, default defaultValue: String? = nil) -> String? {
        if let flag { return flag }
        let environment = ProcessInfo.processInfo.environment
        if let value = environment[environmentVariable], !value.isEmpty { return value }
        if let path = environment[environmentVariable + "_FILE"], let value = Self.read(path) { return value }
        if let credentialName, let directory = environment["CREDENTIALS_DIRECTORY"],
           let value = Self.read(directory + "/" + credentialName) { return value }
        return defaultValue
    }

    private static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    /// A whole-number setting: the flag, else the environment variable; a malformed value is an error, not a default.
    static func number(_ environmentVariable: String, flag: Int?) -> Int? {
        if let flag { return flag }
        guard let text = Setting(environmentVariable: environmentVariable, credentialName: nil).resolve(flag: nil) else { return nil }
        guard let value = Int(text) else {
            FileHandle.standardError.write(Data("orderflow: \(environmentVariable)=\(text) is not a whole number\n".utf8))
            Foundation.exit(64)
        }
        return value
    }

    static let amqpURL = Setting(environmentVariable: "ORDERFLOW_AMQP_URL", credentialName: "amqp-url")
    static let databaseURL = Setting(environmentVariable: "ORDERFLOW_DATABASE_URL", credentialName: "database-url")
}

/// Connection options shared by the commands that talk to the broker and/or the database.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("amqp-url"), help: ArgumentHelp("Broker URL, amqp:// or amqps:// [env: ORDERFLOW_AMQP_URL]", valueName: "url"))
    var amqpURL: String?

    @Option(name: .customLong("database-url"), help: ArgumentHelp("PostgreSQL URL, postgres://...?sslmode=... [env: ORDERFLOW_DATABASE_URL]", valueName: "url"))
    var databaseURL: String?

    var resolvedAMQPURL: String { Setting.amqpURL.resolve(flag: amqpURL, default: "amqp://guest:guest@127.0.0.1:5672/%2F")! }
    var resolvedDatabaseURL: String { Setting.databaseURL.resolve(flag: databaseURL, default: "postgres://127.0.0.1:5432/orderflow")! }
}
