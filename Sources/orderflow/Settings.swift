import AMQP
import ArgumentParser
import OrdersBroker
import OrdersDomain
import OrdersWorkers
import Settings

/// A setting of the current run (`Settings.current`, loaded before the command runs): the flag,
/// else the environment, the configuration file, the credentials, else the default.
struct Setting {
    let name: String

    init(_ name: String) { self.name = name }

    func resolve(flag: String?, default defaultValue: String? = nil) -> String? {
        Settings.current.resolve(name, flag: flag, default: defaultValue)?.value
    }

    /// A whole-number setting; a malformed value is an error naming it (exit 78), not a default.
    static func number(_ name: String, flag: Int?) throws -> Int? {
        try Settings.current.number(name, flag: flag)
    }

    /// A prefetch count (the flag `--prefetch`, else `name`): 1 to 65535, as AMQP carries it.
    static func prefetch(_ name: String, flag: UInt16?) throws -> UInt16? {
        guard let value = try number(name, flag: flag.map(Int.init)) else { return nil }
        guard (1...65535).contains(value) else { throw ValidationError("--prefetch must be between 1 and 65535") }
        return UInt16(value)
    }

    /// ORDERFLOW_SHOPWARE_CURRENCIES: Shopware currency ids to ISO codes; an unknown code is an error naming it.
    static func shopwareCurrencies() throws -> [String: Currency] {
        let name = "ORDERFLOW_SHOPWARE_CURRENCIES"
        var currencies: [String: Currency] = [:]
        for (id, code) in try Settings.current.keyValueList(name) ?? [] {
            guard let currency = Currency(code: code.uppercased()) else {
                throw SettingsError("\(name): '\(code)' (for \(id)) is not an ISO 4217 currency code")
            }
            currencies[id] = currency
        }
        return currencies
    }

    static let amqpURL = Setting(SettingKey.amqpURL.name)
    static let databaseURL = Setting(SettingKey.databaseURL.name)
}

/// The defaults `orderflow config` shows beside the loaded values, read from the option types
/// that apply them, so the two cannot drift apart.
enum SettingDefaults {
    static let amqpURL = "amqp://guest:guest@127.0.0.1:5672/%2F"
    static let databaseURL = "postgres://127.0.0.1:5432/orderflow"
    static let sweepIntervalSeconds = 60
    static var all: [String: String] {
        let ingest = IngestOptions(), notifier = NotifierOptions(), policy = VoucherPolicy()
        var defaults = [
            "ORDERFLOW_AMQP_URL": amqpURL, "ORDERFLOW_DATABASE_URL": databaseURL,
            "ORDERFLOW_PREFETCH": String(ingest.prefetch), "ORDERFLOW_BATCH_SIZE": String(ingest.batchSize),
            "ORDERFLOW_DRAIN_TIMEOUT": String(ingest.drainTimeout.components.seconds),
            "ORDERFLOW_DELIVERY_LIMIT": String(Topology().deliveryLimit), "ORDERFLOW_INGEST_QUEUE": ingest.queue,
            "ORDERFLOW_SWEEP_INTERVAL": String(sweepIntervalSeconds),
            "ORDERFLOW_EVENTS_EXCHANGE": OutboxRelay.Options().exchange,
            "ORDERFLOW_VOUCHER_VALID_DAYS": String(policy.validityDays),
            "ORDERFLOW_HANDLING_HOURS": String(policy.handlingHours),
            "ORDERFLOW_NO_VOUCHER_CHANNELS": policy.channelsWithoutVouchers.sorted().joined(separator: ","),
            "ORDERFLOW_HISTORY_HORIZON_HOURS": String(policy.delayHorizonHours),
            "ORDERFLOW_NOTIFIER_PREFETCH": String(notifier.prefetch), "ORDERFLOW_NOTIFIER_QUEUE": notifier.queue,
            "ORDERFLOW_LOG_LEVEL": "info",
        ]
        if case .percent(let percent) = policy.value { defaults["ORDERFLOW_VOUCHER_PERCENT"] = String(percent) }
        return defaults
    }
}

/// Connection options shared by the commands that talk to the broker and/or the database.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .customLong("amqp-url"),
        help: ArgumentHelp(
            "Broker URL, amqp:// or amqps://; a cluster's nodes as a comma-separated list of URLs "
                + "(one node at a time, a random one first, the next after a failure) [env: ORDERFLOW_AMQP_URL]",
            valueName: "url[,url...]"))
    var amqpURL: String?

    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "PostgreSQL URL, postgres://...?sslmode=...; for failover several hosts: "
                + "postgresql://user@h1:5432,h2:5432/orderflow?target_session_attrs=read-write "
                + "[env: ORDERFLOW_DATABASE_URL]", valueName: "url")
    )
    var databaseURL: String?

    /// The broker node(s); a malformed URL is a settings error naming the entry, never its text.
    func amqpNodes() throws(SettingsError) -> AMQPNodes {
        let resolved = Settings.current.resolve(
            SettingKey.amqpURL.name, flag: amqpURL, flagName: "--amqp-url", default: SettingDefaults.amqpURL)!
        do {
            return try AMQPNodes(urls: resolved.value)
        } catch {
            throw SettingsError("\(SettingKey.amqpURL.name) (\(resolved.source)): \(error.message)")
        }
    }

    var resolvedAMQPURL: String { Setting.amqpURL.resolve(flag: amqpURL, default: SettingDefaults.amqpURL)! }
    var resolvedDatabaseURL: String {
        Setting.databaseURL.resolve(flag: databaseURL, default: SettingDefaults.databaseURL)!
    }
}
