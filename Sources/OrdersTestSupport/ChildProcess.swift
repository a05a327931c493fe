import Foundation

/// Runs a command to its end and returns its exit status and what it printed (stdout and stderr
/// together). The output goes through a file rather than a pipe: a server that the command starts
/// would keep a pipe open, and reading it to the end would wait for that server instead.
public enum ChildProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let output: String
    }

    /// Like `run`, for async tests: the wait happens on a thread of its own, never on the cooperative
    /// pool (two test processes blocking its two threads on this machine would stall every test).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        standardOutputPath: String? = nil
    ) async throws
        -> Result
    {
        try await offThePool {
            try run(executable, arguments, environment: environment, standardOutputPath: standardOutputPath)
                as ChildProcess.Result
        }
    }

    /// `standardOutputPath`: a file for stdout alone (a command's output file, `> file`); `output` then
    /// holds only what went to stderr.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        standardOutputPath: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderflow-run-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let output = try FileHandle(forWritingTo: outputURL)
        defer { try? output.close() }
        var separate: FileHandle?
        if let standardOutputPath {
            _ = FileManager.default.createFile(atPath: standardOutputPath, contents: nil)
            separate = try FileHandle(forWritingTo: URL(fileURLWithPath: standardOutputPath))
        }
        defer { try? separate?.close() }
        process.standardOutput = separate ?? output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "")
    }
}
