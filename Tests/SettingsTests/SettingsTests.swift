import Foundation
import Settings
import Testing

/// The loader's precedence and its refusals, on files the test writes (no servers).
@Suite("settings")
struct SettingsTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func load(
        _ environment: [String: String] = [:], config: String? = nil, role: DatabaseRole = .app, service: Bool = false,
        root: Bool = false, hostCredentials: String = "/nonexistent"
    ) throws(SettingsError) -> Settings {
        try Settings.load(
            environment: environment, configFile: config, databaseRole: role, isSystemdService: service, isRoot: root,
            defaultConfigFile: "/nonexistent/orderflow.env", hostCredentialsDirectory: hostCredentials)
    }

    @Test func flagsBeatEnvironmentBeatsConfigFileBeatsCredentials() throws {
        let credentials = folder.appendingPathComponent("credentials")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        _ = try write("credentials/amqp-url", "amqp://from-credential\n")
        _ = try write("credentials/database-url", "postgres://from-credential")
        let config = try write(
            "orderflow.env",
            """
            # comment
            ORDERFLOW_AMQP_URL=amqp://from-file
            ORDERFLOW_BATCH_SIZE="200"

            ORDERFLOW_PREFETCH=7
            """)
        let settings = try load(["CREDENTIALS_DIRECTORY": credentials.path, "ORDERFLOW_PREFETCH": "9"], config: config)
        #expect(settings.resolve("ORDERFLOW_AMQP_URL")?.value == "amqp://from-file")
        #expect(settings.resolve("ORDERFLOW_AMQP_URL")?.source == .configFile(path: config, line: 2))
        #expect(settings.resolve("ORDERFLOW_DATABASE_URL")?.value == "postgres://from-credential")
        #expect(settings.resolve("ORDERFLOW_DATABASE_URL")?.source == .credential(credentials.path + "/database-url"))
        #expect(settings.resolve("ORDERFLOW_BATCH_SIZE")?.value == "200")
        #expect(try settings.number("ORDERFLOW_PREFETCH") == 9)
        #expect(try settings.number("ORDERFLOW_PREFETCH", flag: 3) == 3)
        #expect(
            settings.resolve("ORDERFLOW_PREFETCH", flag: "4", flagName: "--prefetch")?.source == .flag("--prefetch"))
        #expect(settings.resolve("ORDERFLOW_INGEST_QUEUE", default: "orderflow.ingest")?.source == .defaultValue)
        #expect(settings.resolve("ORDERFLOW_INGEST_QUEUE") == nil)
    }

    @Test func aNamedSecretFileMustBeUsable() throws {
        let empty = try write("empty", "\n")
        for (path, words) in [(empty, "is empty"), (folder.appendingPathComponent("missing").path, "does not exist")] {
            let error = #expect(throws: SettingsError.self) { try load(["ORDERFLOW_SMTP_URL_FILE": path]) }
            #expect(error?.message.contains("ORDERFLOW_SMTP_URL_FILE") == true)
            #expect(error?.message.contains(words) == true)
        }
        let good = try write("smtp", "smtp://shop:secret@mail.example:587\n")
        #expect(
            try load(["ORDERFLOW_SMTP_URL_FILE": good]).resolve("ORDERFLOW_SMTP_URL")?.value
                == "smtp://shop:secret@mail.example:587")
    }

    @Test func anEmptyCredentialIsAnErrorAndAnAbsentOneIsNot() throws {
        let credentials = folder.appendingPathComponent("creds")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        #expect(try load(["CREDENTIALS_DIRECTORY": credentials.path]).resolve("ORDERFLOW_AMQP_URL") == nil)
        _ = try write("creds/amqp-url", "")
        let error = #expect(throws: SettingsError.self) { try load(["CREDENTIALS_DIRECTORY": credentials.path]) }
        #expect(error?.message.contains("ORDERFLOW_AMQP_URL") == true)
        #expect(error?.message.contains("is empty") == true)
    }

    /// The console token, from the credential `console-token` or a `_FILE`, and never printed.
    @Test func theConsoleTokenIsASecretWithItsCredential() throws {
        let credentials = folder.appendingPathComponent("creds")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        _ = try write("creds/console-token", "from-the-credential-0123\n")
        let fromCredential = try load(["CREDENTIALS_DIRECTORY": credentials.path]).resolve("ORDERFLOW_CONSOLE_TOKEN")
        #expect(fromCredential?.value == "from-the-credential-0123")
        let file = try write("token", "from-the-file-456789")
        let fromFile = try load(["CREDENTIALS_DIRECTORY": credentials.path, "ORDERFLOW_CONSOLE_TOKEN_FILE": file])
            .resolve("ORDERFLOW_CONSOLE_TOKEN")
        #expect(fromFile?.value == "from-the-file-456789")
        #expect(SettingKey.consoleToken.redacted("from-the-file-456789") == "***")
    }

    @Test func rootOnTheHostReadsTheCredentialOfItsRole() throws {
        let host = folder.appendingPathComponent("host")
        try FileManager.default.createDirectory(at: host, withIntermediateDirectories: true)
        _ = try write("host/database-url-owner", "postgres://orderflow_owner:o@db/orderflow")
        _ = try write("host/database-url-app", "postgres://orderflow_app:a@db/orderflow")
        let url = { (role: DatabaseRole, root: Bool) throws in
            try load(role: role, root: root, hostCredentials: host.path).resolve("ORDERFLOW_DATABASE_URL")?.value
        }
        #expect(try url(.owner, true) == "postgres://orderflow_owner:o@db/orderflow")
        #expect(try url(.app, true) == "postgres://orderflow_app:a@db/orderflow")
        #expect(try url(.read, true) == "postgres://orderflow_app:a@db/orderflow")  // no read role set up: the app's
        _ = try write("host/database-url-read", "postgres://orderflow_read:r@db/orderflow")
        #expect(try url(.read, true) == "postgres://orderflow_read:r@db/orderflow")
        #expect(try url(.owner, false) == nil)  // only root reads the host's credentials
    }

    @Test func shopwareCurrenciesAreAKeyValueList() throws {
        let settings = try load(["ORDERFLOW_SHOPWARE_CURRENCIES": " b7d2554b0ce847cd82f3ac9bd1c0dfca=EUR, 8f3a=chf ,"])
        let entries = try #require(try settings.keyValueList("ORDERFLOW_SHOPWARE_CURRENCIES"))
        #expect(entries.map(\.key) == ["b7d2554b0ce847cd82f3ac9bd1c0dfca", "8f3a"])
        #expect(entries.map(\.value) == ["EUR", "chf"])
        #expect(try settings.keyValueList("ORDERFLOW_PREFETCH") == nil)
        let broken = #expect(throws: SettingsError.self) {
            try load(["ORDERFLOW_SHOPWARE_CURRENCIES": "b7d2=EUR,8f3a"]).keyValueList("ORDERFLOW_SHOPWARE_CURRENCIES")
        }
        #expect(
            broken?.message
                == "ORDERFLOW_SHOPWARE_CURRENCIES (environment ORDERFLOW_SHOPWARE_CURRENCIES): "
                + "entry '8f3a' is not KEY=VALUE"
        )
    }

    @Test func unknownNamesAndChoicesAreErrors() throws {
        let typo = #expect(throws: SettingsError.self) { try load(["ORDERFLOW_BATCHSIZE": "5"]) }
        #expect(
            typo?.message
                == "unknown setting ORDERFLOW_BATCHSIZE in the environment (did you mean ORDERFLOW_BATCH_SIZE?)")
        let config = try write("typo.env", "ORDERFLOW_PREFETCH=5\nORDERFLOW_MAIL_FORM=x\n")
        let inFile = #expect(throws: SettingsError.self) { try load(config: config) }
        #expect(
            inFile?.message == "unknown setting ORDERFLOW_MAIL_FORM in \(config):2 (did you mean ORDERFLOW_MAIL_FROM?)")
        let level = #expect(throws: SettingsError.self) { try load(["ORDERFLOW_LOG_LEVEL": "verbose"]) }
        #expect(level?.message.contains("is not one of trace, debug, info") == true)
        let number = #expect(throws: SettingsError.self) {
            try load(["ORDERFLOW_BATCH_SIZE": "5OO"]).number("ORDERFLOW_BATCH_SIZE")
        }
        #expect(number?.message == "ORDERFLOW_BATCH_SIZE=5OO (environment ORDERFLOW_BATCH_SIZE) is not a whole number")
        // The test tools' own names pass through.
        _ = try load([
            "ORDERFLOW_TEST_SMTP_MAILDIR": "/tmp", "ORDERFLOW_FAULT_INJECTION": "wedge", "ORDERFLOW_LOCAL_STACK": "x",
        ])
        let missing = #expect(throws: SettingsError.self) { try load(config: "/nonexistent/other.env") }
        #expect(missing?.message == "configuration file /nonexistent/other.env does not exist")
    }

    @Test func theMailLanguageAndTimeZoneSettings() throws {
        let settings = try load([
            "ORDERFLOW_MAIL_DEFAULT_LANGUAGE": "fr", "ORDERFLOW_MAIL_TIME_ZONE": "Europe/Rome",
            "ORDERFLOW_TEMPLATE_DIR": "/srv/templates", "ORDERFLOW_MAIL_LOGO_URL": "https://shop.example/logo.png",
            "ORDERFLOW_MAIL_ACCENT_COLOR": "#1a6b3c", "ORDERFLOW_MAIL_SENDER_NAME_FR": "Maison de thé Vogel",
        ])
        #expect(settings.resolve("ORDERFLOW_MAIL_SENDER_NAME_FR")?.value == "Maison de thé Vogel")
        #expect(throws: SettingsError.self) { try load(["ORDERFLOW_MAIL_SENDER_NAME_ES": "Casa de té"]) }
        #expect(settings.resolve("ORDERFLOW_TEMPLATE_DIR")?.value == "/srv/templates")
        #expect(settings.resolve("ORDERFLOW_MAIL_LOGO_URL")?.value == "https://shop.example/logo.png")
        #expect(settings.resolve("ORDERFLOW_MAIL_ACCENT_COLOR")?.value == "#1a6b3c")
        #expect(settings.resolve("ORDERFLOW_MAIL_DEFAULT_LANGUAGE")?.value == "fr")
        #expect(settings.resolve("ORDERFLOW_MAIL_TIME_ZONE")?.value == "Europe/Rome")
        let language = #expect(throws: SettingsError.self) { try load(["ORDERFLOW_MAIL_DEFAULT_LANGUAGE": "es"]) }
        #expect(language?.message.contains("ORDERFLOW_MAIL_DEFAULT_LANGUAGE") == true)
        #expect(language?.message.contains("is not one of de, en, fr, nl, it") == true)
    }

    @Test func theDefaultFileIsReadOnTheHostOnly() throws {
        let file = try write("default.env", "ORDERFLOW_PREFETCH=11\n")
        let onHost = try Settings.load(
            environment: [:], configFile: nil, databaseRole: .app, isSystemdService: false, isRoot: false,
            defaultConfigFile: file, hostCredentialsDirectory: "/nonexistent")
        #expect(try onHost.number("ORDERFLOW_PREFETCH") == 11)
        #expect(onHost.configFile == file)
        let asService = try Settings.load(
            environment: [:], configFile: nil, databaseRole: .app, isSystemdService: true, isRoot: false,
            defaultConfigFile: file, hostCredentialsDirectory: "/nonexistent")
        #expect(try asService.number("ORDERFLOW_PREFETCH") == nil)
    }

    @Test(arguments: [
        ("amqp://orderflow:s3cret@broker:5672/%2F", "amqp://orderflow:***@broker:5672/%2F"),
        (
            "postgres://app:p%40ss@db:5432/orderflow?sslmode=verify-full",
            "postgres://app:***@db:5432/orderflow?sslmode=verify-full"
        ),
        ("postgres://db/orderflow?user=app&password=hunter2", "postgres://db/orderflow?user=app&password=***"),
        ("amqp://a:x@n1:5672/%2F,amqp://a:y@n2:5672/%2F", "amqp://a:***@n1:5672/%2F,amqp://a:***@n2:5672/%2F"),
        ("smtp://relay.example:587?starttls=required", "smtp://relay.example:587?starttls=required"),
        // libpq's multi-host form: one userinfo before the first host, the rest untouched.
        (
            "postgresql://app:s3cret@db1:5432,db2:5432/orderflow?target_session_attrs=read-write",
            "postgresql://app:***@db1:5432,db2:5432/orderflow?target_session_attrs=read-write"
        ),
        (
            "postgresql://db1,db2:5433/orderflow?user=app&password=hunter2&target_session_attrs=read-write",
            "postgresql://db1,db2:5433/orderflow?user=app&password=***&target_session_attrs=read-write"
        ),
    ])
    func passwordsAreRedacted(url: String, expected: String) {
        #expect(URLRedaction.redact(url) == expected)
    }

    /// Every ORDERFLOW_ name the checkout's scripts and tests pass to processes is allowed: a
    /// test tool's variable must not stop the binaries it starts with exit 78.
    @Test func everyNameTheCheckoutUsesIsKnown() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
            .standardized
        var names: Set<String> = []
        for folder in ["deploy", "Tests", "Sources", "Benchmarks", "systemd", ".ci"] {
            let enumerator = FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path)
            while let file = enumerator?.nextObject() as? String {
                guard !file.hasSuffix("SettingsTests.swift"), !file.hasSuffix(".h"),
                    let text = try? String(
                        contentsOf: root.appendingPathComponent(folder).appendingPathComponent(file), encoding: .utf8)
                else { continue }
                // Plain splitting: a Regex over the whole tree took over a minute on a busy machine.
                for piece in text.components(separatedBy: "ORDERFLOW_").dropFirst() {
                    let name = piece.prefix { $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }
                    if !name.isEmpty { names.insert("ORDERFLOW_" + name) }
                }
            }
        }
        #expect(names.count > 40)
        for name in names.sorted() where !name.hasSuffix("_") {
            do { _ = try load([name: "x"]) } catch { #expect(!error.message.hasPrefix("unknown setting"), "\(error)") }
        }
    }
}
