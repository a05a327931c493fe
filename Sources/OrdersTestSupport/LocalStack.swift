public import Foundation

/// The servers of `deploy/local.sh up`, unless ORDERFLOW_AMQP_URL / ORDERFLOW_DATABASE_URL say
/// otherwise. Integration tests use these and fail (never skip) when a server is missing.
public enum LocalStack {
    public static let amqpURL = ProcessInfo.processInfo.environment["ORDERFLOW_AMQP_URL"]
        ?? "amqp://guest:guest@127.0.0.1:55672/%2F"
    public static let databaseURL = ProcessInfo.processInfo.environment["ORDERFLOW_DATABASE_URL"]
        ?? "postgres://orderflow_owner:orderflow-local@127.0.0.1:55432/orderflow"

    /// The root of this checkout.
    public static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    /// Runs `deploy/local.sh ARGS` (stop/start a service, for fault tests).
    public static func run(_ arguments: String...) throws { try run(arguments) }

    public static func run(_ arguments: [String]) throws {
        let script = ProcessInfo.processInfo.environment["ORDERFLOW_LOCAL_STACK"]
            ?? checkout.appendingPathComponent("deploy/local.sh").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + arguments
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("deploy/local.sh \(arguments.joined(separator: " ")) failed")
        }
    }
}
