import Foundation

/// Which PostgreSQL role a command connects as (deploy/postgres-setup.sql): on the host, root's
/// commands take the matching credential file `database-url-<role>`.
public enum DatabaseRole: String, Sendable, CaseIterable {
    /// Owns the schema: `orderflow migrate`.
    case owner
    /// Reads and writes rows: the worker, the notifier, commands that change data.
    case app
    /// Reads rows: `status`, `rejects list|show`, `config`.
    case read
}

/// Where a value came from, for `orderflow config` and error messages.
public enum SettingSource: Sendable, Equatable, CustomStringConvertible {
    case flag(String)
    case environment(String)
    /// `ORDERFLOW_<NAME>_FILE=path`.
    case secretFile(String)
    case configFile(path: String, line: Int)
    case credential(String)
    case defaultValue

    public var description: String {
        switch self {
        case .flag(let flag): "flag \(flag)"
        case .environment(let name): "environment \(name)"
        case .secretFile(let path): "file \(path)"
        case .configFile(let path, let line): "\(path):\(line)"
        case .credential(let path): "credential \(path)"
        case .defaultValue: "default"
        }
    }
}

public struct ResolvedSetting: Sendable, Equatable {
    public let value: String
    public let source: SettingSource
}

/// A setting that cannot be used: the process exits with EX_CONFIG (78) and this message, which
/// names the setting and where it came from, never a secret's value.
public struct SettingsError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public static let exitCode: Int32 = 78
}

/// The settings of one run of a command, loaded once at start from, in this order of precedence:
/// flags (given to `resolve`), the environment (`ORDERFLOW_<NAME>`, then `ORDERFLOW_<NAME>_FILE`),
/// the configuration file (`--config FILE`, else `/etc/orderflow/orderflow.env` when the command is
/// not a systemd service), then credentials (`$CREDENTIALS_DIRECTORY` under systemd, else
/// `/etc/orderflow/credentials/` when root runs the command). A named file that is missing, empty
/// or unreadable, an unknown name and a value outside a setting's choices are errors at load.
public struct Settings: Sendable {
    public static let defaultConfigFile = "/etc/orderflow/orderflow.env"
    public static let hostCredentialsDirectory = "/etc/orderflow/credentials"

    /// Where the settings were read from, for `orderflow config`.
    public let configFile: String?
    public let credentialsDirectory: String?
    public let databaseRole: DatabaseRole
    private let values: [String: ResolvedSetting]

    /// The settings of this process, set once by the executable before a command runs.
    nonisolated(unsafe) public static var current = Settings(values: [:])

    private init(
        values: [String: ResolvedSetting], configFile: String? = nil, credentialsDirectory: String? = nil,
        databaseRole: DatabaseRole = .app
    ) {
        self.values = values
        self.configFile = configFile
        self.credentialsDirectory = credentialsDirectory
        self.databaseRole = databaseRole
    }

    /// - Parameters:
    ///   - configFile: `--config FILE`; an explicit file must exist.
    ///   - isSystemdService: systemd started this process (`INVOCATION_ID` set): its env file is
    ///     already in the environment, so the default file is not read again.
    ///   - isRoot: root may read the host's credential files.
    public static func load(
        environment: [String: String], configFile explicitFile: String?, databaseRole: DatabaseRole,
        isSystemdService: Bool, isRoot: Bool,
        defaultConfigFile: String = defaultConfigFile, hostCredentialsDirectory: String = hostCredentialsDirectory
    ) throws(SettingsError) -> Settings {
        var values: [String: ResolvedSetting] = [:]
        try checkNames(in: environment.keys.filter { $0.hasPrefix("ORDERFLOW_") }, where: "in the environment")

        // Lowest precedence first; each later source overwrites.
        var credentialsDirectory: String?
        if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty {
            credentialsDirectory = directory
            for key in SettingKey.known {
                guard let name = key.credential else { continue }
                if let value = try readCredential(directory + "/" + name, key: key) { values[key.name] = value }
            }
        } else if isRoot, FileManager.default.fileExists(atPath: hostCredentialsDirectory) {
            credentialsDirectory = hostCredentialsDirectory
            for key in SettingKey.known {
                guard let name = key.credential else { continue }
                for file in hostCredentialFiles(name, role: databaseRole) {
                    if let value = try readCredential(hostCredentialsDirectory + "/" + file, key: key) {
                        values[key.name] = value
                        break
                    }
                }
            }
        }

        let configFile =
            explicitFile ?? environment["ORDERFLOW_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (isSystemdService || !FileManager.default.fileExists(atPath: defaultConfigFile)
                ? nil : defaultConfigFile)
        if let configFile {
            for (name, value) in try readConfigFile(configFile) { values[name] = value }
        }

        for key in SettingKey.known {
            let fileVariable = key.name + "_FILE"
            if let path = environment[fileVariable] {
                let value = try readSecretFile(path, naming: "\(fileVariable) (\(key.name))")
                values[key.name] = ResolvedSetting(value: value, source: .secretFile(path))
            }
            if let value = environment[key.name], !value.isEmpty {
                values[key.name] = ResolvedSetting(value: value, source: .environment(key.name))
            }
        }

        for key in SettingKey.known {
            guard let choices = key.choices, let resolved = values[key.name] else { continue }
            guard choices.contains(resolved.value) else {
                throw SettingsError(
                    "\(key.name)=\(resolved.value) (\(resolved.source)) is not one of "
                        + "\(choices.joined(separator: ", "))"
                )
            }
        }
        return Settings(
            values: values, configFile: configFile, credentialsDirectory: credentialsDirectory,
            databaseRole: databaseRole)
    }

    /// Settings given outright (tests of code that reads settings).
    public init(_ values: [String: String]) {
        self.init(values: values.mapValues { ResolvedSetting(value: $0, source: .environment("test")) })
    }

    /// The flag when given, else the loaded value, else the default.
    public func resolve(
        _ name: String, flag: String? = nil, flagName: String? = nil, default defaultValue: String? = nil
    ) -> ResolvedSetting? {
        if let flag { return ResolvedSetting(value: flag, source: .flag(flagName ?? name)) }
        if let value = values[name] { return value }
        return defaultValue.map { ResolvedSetting(value: $0, source: .defaultValue) }
    }

    /// A whole number: the flag, else the loaded value; anything else in the text is an error naming the setting.
    public func number(_ name: String, flag: Int? = nil) throws(SettingsError) -> Int? {
        if let flag { return flag }
        guard let resolved = values[name] else { return nil }
        guard let value = Int(resolved.value.trimmingCharacters(in: .whitespaces)) else {
            throw SettingsError("\(name)=\(resolved.value) (\(resolved.source)) is not a whole number")
        }
        return value
    }

    /// A comma-separated list of `KEY=VALUE` entries ("b7d2…=EUR, 8f3a…=CHF"), spaces around them trimmed,
    /// empty entries skipped; nil when the setting is not given. An entry without a key or a value is an error
    /// naming the setting.
    public func keyValueList(_ name: String) throws(SettingsError) -> [(key: String, value: String)]? {
        guard let resolved = values[name] else { return nil }
        var entries: [(key: String, value: String)] = []
        for entry in resolved.value.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 1, parts[0].isEmpty { continue }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw SettingsError(
                    "\(name) (\(resolved.source)): entry '\(entry.trimmingCharacters(in: .whitespaces))' "
                        + "is not KEY=VALUE"
                )
            }
            entries.append((parts[0], parts[1]))
        }
        return entries
    }

    // MARK: sources

    static func hostCredentialFiles(_ credential: String, role: DatabaseRole) -> [String] {
        guard credential == "database-url" else { return [credential] }
        // Reading works with the app's role too, where no read-only one was set up.
        return role == .read ? ["database-url-read", "database-url-app"] : ["database-url-\(role.rawValue)"]
    }

    /// A credential file that is absent was not given; one that exists must be usable.
    private static func readCredential(_ path: String, key: SettingKey) throws(SettingsError) -> ResolvedSetting? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return ResolvedSetting(
            value: try readSecretFile(path, naming: "the credential for \(key.name)"), source: .credential(path))
    }

    private static func readSecretFile(_ path: String, naming what: String) throws(SettingsError) -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SettingsError("\(what): \(path) does not exist")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError("\(what): \(path) cannot be read (permissions?)")
        }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw SettingsError("\(what): \(path) is empty") }
        return value
    }

    /// systemd's EnvironmentFile= syntax as orderflow.env uses it: `KEY=value` lines, `#` comments,
    /// optional quotes around the value.
    static func readConfigFile(_ path: String) throws(SettingsError) -> [String: ResolvedSetting] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SettingsError("configuration file \(path) does not exist")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError("configuration file \(path) cannot be read (permissions?)")
        }
        var values: [String: ResolvedSetting] = [:]
        for (index, rawLine) in String(decoding: data, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false
        ).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw SettingsError("\(path):\(index + 1): expected NAME=value")
            }
            var name = line[..<equals].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("export ") { name = String(name.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            try checkNames(in: [name], where: "in \(path):\(index + 1)")
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            if value.isEmpty { continue }
            if name.hasSuffix("_FILE"), SettingKey.named(String(name.dropLast(5))) != nil {
                let setting = String(name.dropLast(5))
                values[setting] = ResolvedSetting(
                    value: try readSecretFile(value, naming: "\(name) (\(path):\(index + 1))"),
                    source: .secretFile(value))
                continue
            }
            values[name] = ResolvedSetting(value: value, source: .configFile(path: path, line: index + 1))
        }
        return values
    }

    private static func checkNames(in names: some Sequence<String>, where place: String) throws(SettingsError) {
        for name in names.sorted() where !isKnown(name) {
            let hint = closestKnownName(to: name).map { " (did you mean \($0)?)" } ?? ""
            throw SettingsError("unknown setting \(name) \(place)\(hint)")
        }
    }

    static func isKnown(_ name: String) -> Bool {
        if SettingKey.named(name) != nil || SettingKey.toolingNames.contains(name) { return true }
        if name.hasSuffix("_FILE"), SettingKey.named(String(name.dropLast(5))) != nil { return true }
        return SettingKey.toolingPrefixes.contains { name.hasPrefix($0) }
    }

    private static func closestKnownName(to name: String) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, ca) in a.enumerated() {
                var row = [i + 1]
                for (j, cb) in b.enumerated() {
                    row.append(min(previous[j + 1] + 1, row[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
                }
                previous = row
            }
            return previous[b.count]
        }
        let best = SettingKey.known.map { ($0.name, distance(Array(name), Array($0.name))) }.min { $0.1 < $1.1 }
        return best.flatMap { $0.1 <= 3 ? $0.0 : nil }
    }

    /// Every known setting that has a value, or a default given by `defaults`, in `known` order.
    public func effective(defaults: [String: String]) -> [(key: SettingKey, resolved: ResolvedSetting?)] {
        SettingKey.known.map { key in (key, resolve(key.name, default: defaults[key.name])) }
    }
}
