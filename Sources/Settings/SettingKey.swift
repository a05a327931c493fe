import Foundation

/// One setting orderflow reads, by its environment-variable name. The list of them (`known`) is the
/// one place that says which names exist: a name that is not in it is a typo, and an error.
public struct SettingKey: Sendable, Hashable {
    public enum Secrecy: Sendable, Hashable {
        /// Printed as it is.
        case none
        /// A URL whose password (userinfo, or a `password=` parameter) is hidden.
        case urlPassword
        /// A token or key: never printed.
        case secret
    }

    public let name: String
    /// The systemd credential (`LoadCredential=NAME:…`) that may carry it.
    public let credential: String?
    public let secrecy: Secrecy
    /// Allowed values, for a setting that is one of a few words.
    public let choices: [String]?

    init(_ name: String, credential: String? = nil, secrecy: Secrecy = .none, choices: [String]? = nil) {
        self.name = name
        self.credential = credential
        self.secrecy = secrecy
        self.choices = choices
    }

    public static let amqpURL = SettingKey("ORDERFLOW_AMQP_URL", credential: "amqp-url", secrecy: .urlPassword)
    public static let databaseURL = SettingKey(
        "ORDERFLOW_DATABASE_URL", credential: "database-url", secrecy: .urlPassword)
    public static let smtpURL = SettingKey("ORDERFLOW_SMTP_URL", credential: "smtp-url", secrecy: .urlPassword)
    /// Turns the web console on (`/console` on the metrics address) and is what signs in to it.
    public static let consoleToken = SettingKey(
        "ORDERFLOW_CONSOLE_TOKEN", credential: "console-token", secrecy: .secret)
    public static let logLevel = SettingKey(
        "ORDERFLOW_LOG_LEVEL", choices: ["trace", "debug", "info", "notice", "warning", "error", "critical"])
    public static let logFormat = SettingKey("ORDERFLOW_LOG_FORMAT", choices: ["text", "journal", "json"])
    public static let mailDefaultLanguage = SettingKey(
        "ORDERFLOW_MAIL_DEFAULT_LANGUAGE", choices: ["de", "en", "fr", "nl", "it"])

    /// Every setting, in the order `orderflow config` prints them.
    public static let known: [SettingKey] =
        [
            amqpURL, databaseURL, smtpURL,
            SettingKey("ORDERFLOW_PREFETCH"), SettingKey("ORDERFLOW_BATCH_SIZE"), SettingKey("ORDERFLOW_DRAIN_TIMEOUT"),
            SettingKey("ORDERFLOW_DELIVERY_LIMIT"), SettingKey("ORDERFLOW_INGEST_QUEUE"),
            SettingKey("ORDERFLOW_SWEEP_INTERVAL"),
            SettingKey("ORDERFLOW_EVENTS_EXCHANGE"),
            SettingKey("ORDERFLOW_VOUCHER_PERCENT"), SettingKey("ORDERFLOW_VOUCHER_AMOUNT"),
            SettingKey("ORDERFLOW_VOUCHER_MIN_ORDER"), SettingKey("ORDERFLOW_VOUCHER_VALID_DAYS"),
            SettingKey("ORDERFLOW_HANDLING_HOURS"), SettingKey("ORDERFLOW_NO_VOUCHER_CHANNELS"),
            SettingKey("ORDERFLOW_SHOPWARE_CURRENCIES"),
            SettingKey("ORDERFLOW_HISTORY_HORIZON_HOURS"),
            SettingKey("ORDERFLOW_NOTIFIER_PREFETCH"), SettingKey("ORDERFLOW_NOTIFIER_QUEUE"),
            SettingKey("ORDERFLOW_MAIL_FROM"), SettingKey("ORDERFLOW_MAIL_REPLY_TO"), SettingKey("ORDERFLOW_MAIL_DIR"),
            SettingKey("ORDERFLOW_MAIL_TIME_ZONE"), mailDefaultLanguage, SettingKey("ORDERFLOW_TEMPLATE_DIR"),
            SettingKey("ORDERFLOW_MAIL_LOGO_URL"), SettingKey("ORDERFLOW_MAIL_ACCENT_COLOR"),
            SettingKey("ORDERFLOW_MAIL_SENDER_NAME_DE"), SettingKey("ORDERFLOW_MAIL_SENDER_NAME_EN"),
            SettingKey("ORDERFLOW_MAIL_SENDER_NAME_FR"), SettingKey("ORDERFLOW_MAIL_SENDER_NAME_NL"),
            SettingKey("ORDERFLOW_MAIL_SENDER_NAME_IT"),
            SettingKey("ORDERFLOW_MERCHANT_NAME"), SettingKey("ORDERFLOW_MERCHANT_LEGAL_NAME"),
            SettingKey("ORDERFLOW_MERCHANT_ADDRESS"), SettingKey("ORDERFLOW_MERCHANT_DIRECTORS"),
            SettingKey("ORDERFLOW_MERCHANT_REGISTER"), SettingKey("ORDERFLOW_MERCHANT_VAT_ID"),
            SettingKey("ORDERFLOW_MERCHANT_SHOP_URL"),
            SettingKey("ORDERFLOW_RETAIN_PROCESSED_DAYS"), SettingKey("ORDERFLOW_RETAIN_OUTBOX_DAYS"),
            SettingKey("ORDERFLOW_RETAIN_REJECT_BODIES_DAYS"), SettingKey("ORDERFLOW_RETAIN_EMAIL_BODIES_DAYS"),
            SettingKey("ORDERFLOW_METRICS_ADDR"), consoleToken, logLevel, logFormat,
        ] + shopKeys + [SettingKey("ORDERFLOW_SHOP_TIMEOUT"), vouchersRequireSync]

    /// The shop connections (README "Shipments, vouchers and events"): a URL and a token per channel
    /// orderflow can create vouchers in; the token also as `…_TOKEN_FILE` or credential `shop-<channel>-token`.
    public static let shopChannels = ["shopify", "woocommerce", "shopware"]
    public static func shopURL(_ channel: String) -> SettingKey {
        SettingKey("ORDERFLOW_SHOP_\(channel.uppercased())_URL")
    }
    public static func shopToken(_ channel: String) -> SettingKey {
        SettingKey(
            "ORDERFLOW_SHOP_\(channel.uppercased())_TOKEN", credential: "shop-\(channel)-token", secrecy: .secret)
    }
    static let shopKeys = shopChannels.flatMap { [shopURL($0), shopToken($0)] }
    public static let vouchersRequireSync = SettingKey("ORDERFLOW_VOUCHERS_REQUIRE_SYNC", choices: ["on", "off"])

    /// Names that belong to the test and development tools, not to the product: allowed in the
    /// environment (a test runner passes its own down to the processes it starts), never listed.
    static let toolingPrefixes = [
        "ORDERFLOW_TEST_", "ORDERFLOW_LOCAL_", "ORDERFLOW_FAULT_", "ORDERFLOW_DEMO_", "ORDERFLOW_TESTHOST_",
    ]
    static let toolingNames: Set<String> = [
        "ORDERFLOW_STATE_DIR", "ORDERFLOW_FIXTURES", "ORDERFLOW_BIN", "ORDERFLOW_BINARY", "ORDERFLOW_FUZZ_CHANNEL",
        "ORDERFLOW_SCALING_BACKLOG", "ORDERFLOW_PACKAGE_BINARY", "ORDERFLOW_OWNER_PASSWORD", "ORDERFLOW_APP_PASSWORD",
        "ORDERFLOW_READ_PASSWORD",
        "ORDERFLOW_CONFIG",
    ]

    static func named(_ name: String) -> SettingKey? { known.first { $0.name == name } }

    /// What `value` looks like in output: passwords replaced by `***`.
    public func redacted(_ value: String) -> String {
        switch secrecy {
        case .none: value
        case .urlPassword: URLRedaction.redact(value)
        case .secret: "***"
        }
    }
}

/// Passwords out of URLs, for output: `scheme://user:***@host…`, `password=***` in a query, and the
/// same in each URL of a comma-separated list.
public enum URLRedaction {
    public static func redact(_ text: String) -> String {
        text.split(separator: ",", omittingEmptySubsequences: false).map { redactOne(String($0)) }.joined(
            separator: ",")
    }

    private static func redactOne(_ url: String) -> String {
        var result = url
        if let schemeEnd = result.range(of: "://") {
            let authorityEnd = result[schemeEnd.upperBound...].firstIndex { $0 == "/" || $0 == "?" } ?? result.endIndex
            if let at = result[schemeEnd.upperBound..<authorityEnd].lastIndex(of: "@"),
                let colon = result[schemeEnd.upperBound..<at].firstIndex(of: ":")
            {
                result.replaceSubrange(result.index(after: colon)..<at, with: "***")
            }
        }
        if let query = result.firstIndex(of: "?") {
            let parameters = result[result.index(after: query)...].split(
                separator: "&", omittingEmptySubsequences: false
            ).map { part in
                part.lowercased().hasPrefix("password=") ? "password=***" : String(part)
            }
            result = String(result[...query]) + parameters.joined(separator: "&")
        }
        return result
    }
}
