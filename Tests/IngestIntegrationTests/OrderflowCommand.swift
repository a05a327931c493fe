import OrdersTestSupport

/// Runs the `orderflow` binary once (a CLI command) against the given servers.
enum OrderflowCommand {
    static func run(_ arguments: [String], databaseURL: String, amqpURL: String = amqpURL) throws -> ChildProcess.Result
    {
        try ChildProcess.run(
            WorkerProcess.binary, arguments,
            environment: ["ORDERFLOW_AMQP_URL": amqpURL, "ORDERFLOW_DATABASE_URL": databaseURL])
    }
}
