import Foundation

/// An `orderflow worker` process against a harness's queue and schema, for kill and signal tests.
final class WorkerProcess {
    let process = Process()
    let logURL: URL

    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["ORDERFLOW_BIN"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/orderflow").path
    }

    init(_ harness: IngestHarness, batchSize: Int = 200, extraArguments: [String] = [], extraEnvironment: [String: String] = [:]) throws {
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-worker-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["worker", "--queue", harness.queue, "--batch-size", String(batchSize), "--drain-timeout", "15"] + extraArguments
        var environment = ProcessInfo.processInfo.environment
        environment["ORDERFLOW_AMQP_URL"] = amqpURL
        environment["ORDERFLOW_DATABASE_URL"] = harness.databaseURL
        environment["ORDERFLOW_EVENTS_EXCHANGE"] = harness.eventsExchange
        environment.merge(extraEnvironment) { $1 }
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Started means: SIGTERM is handled. Before main runs, the default action would kill it.
        let deadline = ContinuousClock.now + .seconds(20)
        while !handlesSignal(SIGTERM), process.isRunning, ContinuousClock.now < deadline { usleep(2000) }
    }

    var pid: Int32 { process.processIdentifier }

    func signal(_ signal: Int32) { kill(pid, signal) }

    /// Whether the process catches or ignores `signal` yet (from /proc/PID/status).
    func handlesSignal(_ signal: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        let bit: UInt64 = 1 << UInt64(signal - 1)
        return status.split(separator: "\n").contains { line in
            guard line.hasPrefix("SigCgt:") || line.hasPrefix("SigIgn:") else { return false }
            return (UInt64(line.split(separator: "\t").last ?? "", radix: 16) ?? 0) & bit != 0
        }
    }

    /// Waits for the exit and returns its status; throws if it does not come in time.
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(pid, SIGKILL)
                throw WorkerProcessError(description: "worker did not exit in time; log: \(log)")
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

struct WorkerProcessError: Error, CustomStringConvertible { let description: String }
