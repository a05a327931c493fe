import ArgumentParser
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

    static let amqpURL = Setting(SettingKey.amqpURL.name)
    static let databaseURL = Setting(SettingKey.databaseURL.name)
}

/// The defaults `orderflow config` shows beside the loaded values.
enum SettingDefaults {
    static let amqpURL = "amqp://guest:guest@127.0.0.1:5672/%2F"
    static let databaseURL = "postgres://127.0.0.1:5432/orderflow"
    static let all: [String: String] = [
        "ORDERFLOW_AMQP_URL": amqpURL, "ORDERFLOW_DATABASE_URL": databaseURL,
        "ORDERFLOW_PREFETCH": "1000", "ORDERFLOW_BATCH_SIZE": "500", "ORDERFLOW_DRAIN_TIMEOUT": "20",
        "ORDERFLOW_DELIVERY_LIMIT": "5", "ORDERFLOW_INGEST_QUEUE": "orderflow.ingest", "ORDERFLOW_SWEEP_INTERVAL": "60",
        "ORDERFLOW_EVENTS_EXCHANGE": "orderflow.events", "ORDERFLOW_VOUCHER_PERCENT": "10",
        "ORDERFLOW_VOUCHER_VALID_DAYS": "90", "ORDERFLOW_HANDLING_HOURS": "48", "ORDERFLOW_NO_VOUCHER_CHANNELS": "amazon,ebay",
        "ORDERFLOW_HISTORY_HORIZON_HOURS": "168", "ORDERFLOW_NOTIFIER_PREFETCH": "20",
        "ORDERFLOW_NOTIFIER_QUEUE": "orderflow.notifier", "ORDERFLOW_LOG_LEVEL": "info",
    ]
}

/// Connection options shared by the commands that talk to the broker and/or the database.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("amqp-url"), help: ArgumentHelp("Broker URL, amqp:// or amqps:// [env: ORDERFLOW_AMQP_URL]", valueName: "url"))
    var amqpURL: String?

    @Option(name: .customLong("database-url"), help: ArgumentHelp("PostgreSQL URL, postgres://...?sslmode=... [env: ORDERFLOW_DATABASE_URL]", valueName: "url"))
    var databaseURL: String?

    var resolvedAMQPURL: String { Setting.amqpURL.resolve(flag: amqpURL, default: SettingDefaults.amqpURL)! }
    var resolvedDatabaseURL: String { Setting.databaseURL.resolve(flag: databaseURL, default: SettingDefaults.databaseURL)! }
}
