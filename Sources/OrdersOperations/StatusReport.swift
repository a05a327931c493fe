public import OrdersStore

/// What `orderflow status` shows: the broker's queues, the outbox, rejects and emails.
public struct StatusReport: Sendable {
    public struct Queue: Sendable, Equatable {
        public let name: String
        /// nil when the queue does not exist.
        public let messages: UInt32?
        public let consumers: UInt32?
        public var isDeadLetterQueue: Bool { name.hasSuffix(".dead") }
    }

    public typealias Outbox = OperationsSummary.Outbox
    public typealias Rejects = OperationsSummary.Rejects
    public typealias Emails = OperationsSummary.Emails

    public var broker: String
    /// nil with `brokerError` set when the broker could not be asked.
    public var queues: [Queue]?
    public var brokerError: String?
    public var database: String
    public var outbox: Outbox?
    public var rejects: Rejects?
    public var emails: Emails?
    /// Stored orders whose lines do not add up to their items total.
    public var ordersWithLinesNotAddingUp: Int64?
    public var voucherSync: OperationsSummary.VoucherSync?
    public var databaseError: String?

    public init(broker: String, database: String) {
        self.broker = broker
        self.database = database
    }
}
