public import Foundation

/// A running `orderflow` daemon (worker, notifier) for kill and signal tests, its output in a log
/// file. It counts as started once it handles SIGTERM: before `main` runs, the default action of
/// a SIGTERM would kill it instead of stopping it gracefully.
public final class OrderflowProcess: @unchecked Sendable {
    public let process = Process()
    public let logURL: URL

    /// `ORDERFLOW_BIN`, else the debug build of this checkout.
    public static var binary: String {
        if let path = ProcessInfo.processInfo.environment["ORDERFLOW_BIN"], !path.isEmpty { return path }
        return LocalStack.checkout.appendingPathComponent(".build/debug/orderflow").path
    }

    /// Starts `orderflow ARGUMENTS` with the test process's environment plus `environment`
    /// (a `nil` value removes a variable). A daemon is awaited until it handles SIGTERM; a command
    /// like `publish` is not (`daemon: false`). A `launcher` (e.g. `ip netns exec HOST`) runs the
    /// binary for it; it must exec it, so that the pid stays the daemon's.
    public init(
        _ arguments: [String], environment overrides: [String: String?], daemon: Bool = true, launcher: [String] = []
    ) throws {
        let command = arguments.first ?? "orderflow"
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderflow-\(command)-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = launcher.dropFirst() + [Self.binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in overrides { environment[name] = value }
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = TestTime.deadline(after: .seconds(20))
        while daemon, !handlesSignal(SIGTERM), process.isRunning, ContinuousClock.now < deadline { usleep(2000) }
    }

    public var pid: Int32 { process.processIdentifier }

    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// Whether the process catches or ignores `signal` yet (from /proc/PID/status).
    public func handlesSignal(_ signal: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        let bit: UInt64 = 1 << UInt64(signal - 1)
        return status.split(separator: "\n").contains { line in
            guard line.hasPrefix("SigCgt:") || line.hasPrefix("SigIgn:") else { return false }
            return (UInt64(line.split(separator: "\t").last ?? "", radix: 16) ?? 0) & bit != 0
        }
    }

    /// Waits for the exit and returns its status; kills it and throws if it does not come in time.
    public func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = TestTime.deadline(after: timeout)
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(pid, SIGKILL)
                throw TestFailure(
                    "orderflow \(process.arguments?.first ?? "") did not exit in time; log: \(log.suffix(3000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    public var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: logURL)
    }
}

extension OrderflowProcess {
    /// `orderflow worker` on a test's own queue, schema and events exchange.
    public convenience init(
        worker queue: String, databaseURL: String, eventsExchange: String, batchSize: Int = 200,
        extraArguments: [String] = [], extraEnvironment: [String: String] = [:]
    ) throws {
        var environment: [String: String?] = [
            "ORDERFLOW_AMQP_URL": LocalStack.amqpURL, "ORDERFLOW_DATABASE_URL": databaseURL,
            "ORDERFLOW_EVENTS_EXCHANGE": eventsExchange,
        ]
        for (name, value) in extraEnvironment { environment[name] = value }
        try self.init(
            ["worker", "--queue", queue, "--batch-size", String(batchSize), "--drain-timeout", "15"] + extraArguments,
            environment: environment)
    }

    /// The test merchant's sender and company details, which every email's footer needs.
    public static let testMerchant: [String: String] = [
        "ORDERFLOW_MAIL_FROM": "Teehaus Vogel <service@teehaus-vogel.example>",
        "ORDERFLOW_MAIL_REPLY_TO": "hilfe@teehaus-vogel.example",
        "ORDERFLOW_MERCHANT_NAME": "Teehaus Vogel",
        "ORDERFLOW_MERCHANT_LEGAL_NAME": "Teehaus Vogel GmbH",
        "ORDERFLOW_MERCHANT_ADDRESS": "Hauptstraße 1, 80331 München, Deutschland",
        "ORDERFLOW_MERCHANT_REGISTER": "Amtsgericht München, HRB 123456",
        "ORDERFLOW_MERCHANT_DIRECTORS": "Lena Vogel, Jonas Vogel",
    ]

    /// `orderflow notifier` on a test's own queue and schema, sending to `smtpURL` as the test merchant.
    public convenience init(
        notifier queue: String, databaseURL: String, smtpURL: String, extraEnvironment: [String: String] = [:]
    ) throws {
        var environment: [String: String?] = [
            "ORDERFLOW_MAIL_DIR": nil,
            "ORDERFLOW_AMQP_URL": LocalStack.amqpURL,
            "ORDERFLOW_DATABASE_URL": databaseURL,
            "ORDERFLOW_SMTP_URL": smtpURL,
        ]
        for (name, value) in Self.testMerchant.merging(extraEnvironment, uniquingKeysWith: { $1 }) {
            environment[name] = value
        }
        try self.init(["notifier", "--queue", queue], environment: environment)
    }
}
