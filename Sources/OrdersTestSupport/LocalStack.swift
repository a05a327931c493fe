public import Foundation

/// The servers of `deploy/local.sh up`, unless ORDERFLOW_AMQP_URL / ORDERFLOW_DATABASE_URL say
/// otherwise. Integration tests use these and fail (never skip) when a server is missing.
public enum LocalStack {
    public static let amqpURL =
        ProcessInfo.processInfo.environment["ORDERFLOW_AMQP_URL"]
        ?? "amqp://guest:guest@127.0.0.1:55672/%2F"
    public static let databaseURL =
        ProcessInfo.processInfo.environment["ORDERFLOW_DATABASE_URL"]
        ?? "postgres://orderflow_owner:orderflow-local@127.0.0.1:55432/orderflow"

    /// The test roles of `deploy/postgres-setup.sql` as `deploy/local.sh up` creates them.
    public static let appDatabaseURL =
        ProcessInfo.processInfo.environment["ORDERFLOW_TEST_APP_DATABASE_URL"]
        ?? "postgres://orderflow_app:orderflow-app-local@127.0.0.1:55432/orderflow"
    public static let readDatabaseURL =
        ProcessInfo.processInfo.environment["ORDERFLOW_TEST_READ_DATABASE_URL"]
        ?? "postgres://orderflow_read:orderflow-read-local@127.0.0.1:55432/orderflow"

    /// `url` with `schema` as its search path: a test's own tables in a database shared with others.
    public static func url(_ url: String, schema: String) -> String {
        url + (url.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)"
    }

    /// The root of this checkout.
    public static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../.."
    ).standardized

    /// Runs `deploy/local.sh ARGS` (stop/start a service, for fault tests).
    public static func run(_ arguments: String...) throws { try run(arguments) }

    public static func run(_ arguments: [String]) throws {
        let script =
            ProcessInfo.processInfo.environment["ORDERFLOW_LOCAL_STACK"]
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
