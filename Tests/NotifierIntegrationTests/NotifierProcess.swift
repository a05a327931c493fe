import Foundation
import OrdersTestSupport

/// An `orderflow notifier` process against a harness's queue and schema, for kill and signal tests.
final class NotifierProcess {
    let process = Process()
    let logURL: URL

    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["ORDERFLOW_BIN"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/orderflow").path
    }

    init(_ harness: NotifierHarness, smtpURL: String, extraEnvironment: [String: String] = [:]) throws {
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-notifier-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["notifier", "--queue", harness.queue]
        var environment = ProcessInfo.processInfo.environment
        environment["ORDERFLOW_MAIL_DIR"] = nil
        environment.merge([
            "ORDERFLOW_AMQP_URL": LocalStack.amqpURL,
            "ORDERFLOW_DATABASE_URL": harness.databaseURL,
            "ORDERFLOW_SMTP_URL": smtpURL,
            "ORDERFLOW_MAIL_FROM": "Teehaus Vogel <service@teehaus-vogel.example>",
            "ORDERFLOW_MAIL_REPLY_TO": "hilfe@teehaus-vogel.example",
            "ORDERFLOW_MERCHANT_NAME": "Teehaus Vogel",
            "ORDERFLOW_MERCHANT_LEGAL_NAME": "Teehaus Vogel GmbH",
            "ORDERFLOW_MERCHANT_ADDRESS": "Hauptstraße 1, 80331 München, Deutschland",
            "ORDERFLOW_MERCHANT_REGISTER": "Amtsgericht München, HRB 123456",
            "ORDERFLOW_MERCHANT_DIRECTORS": "Lena Vogel, Jonas Vogel",
        ]) { $1 }
        environment.merge(extraEnvironment) { $1 }
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Started means: SIGTERM is handled. Before main runs, the default action would kill it.
        let deadline = ContinuousClock.now + .seconds(20)
        while !handlesSIGTERM, process.isRunning, ContinuousClock.now < deadline { usleep(2000) }
    }

    var pid: Int32 { process.processIdentifier }

    func signal(_ signal: Int32) { kill(pid, signal) }

    private var handlesSIGTERM: Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        let bit: UInt64 = 1 << UInt64(SIGTERM - 1)
        return status.split(separator: "\n").contains { line in
            line.hasPrefix("SigCgt:") && (UInt64(line.split(separator: "\t").last ?? "", radix: 16) ?? 0) & bit != 0
        }
    }

    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(pid, SIGKILL)
                throw MailboxError(description: "notifier did not exit in time; log: \(log)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: logURL)
    }
}
