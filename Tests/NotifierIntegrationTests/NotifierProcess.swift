import OrdersTestSupport

/// An `orderflow notifier` process against a harness's queue and schema, for kill and signal tests.
typealias NotifierProcess = OrderflowProcess

extension OrderflowProcess {
    convenience init(_ harness: NotifierHarness, smtpURL: String, extraEnvironment: [String: String] = [:]) throws {
        try self.init(
            notifier: harness.queue, databaseURL: harness.databaseURL, smtpURL: smtpURL,
            extraEnvironment: extraEnvironment)
    }
}
