import Foundation

/// Runs the `orderflow` binary once (a CLI command) and captures what it prints.
struct OrderflowCommand {
    struct Result { let status: Int32; let output: String }

    static func run(_ arguments: [String], databaseURL: String, amqpURL: String = amqpURL) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: WorkerProcess.binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["ORDERFLOW_AMQP_URL"] = amqpURL
        environment["ORDERFLOW_DATABASE_URL"] = databaseURL
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
