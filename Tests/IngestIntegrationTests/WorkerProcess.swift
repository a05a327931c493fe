import OrdersTestSupport

/// An `orderflow worker` process against a harness's queue and schema, for kill and signal tests.
typealias WorkerProcess = OrderflowProcess

extension OrderflowProcess {
    convenience init(
        _ harness: IngestHarness, batchSize: Int = 200, extraArguments: [String] = [],
        extraEnvironment: [String: String] = [:]
    ) throws {
        try self.init(
            worker: harness.queue, databaseURL: harness.databaseURL, eventsExchange: harness.eventsExchange,
            batchSize: batchSize, extraArguments: extraArguments, extraEnvironment: extraEnvironment)
    }
}
