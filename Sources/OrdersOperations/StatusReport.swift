/// What `orderflow status` shows: the broker's queues, the outbox, rejects and emails.
public struct StatusReport: Sendable {
    public struct Queue: Sendable, Equatable {
        public let name: String
        /// nil when the queue does not exist.
        public let messages: UInt32?
        public let consumers: UInt32?
        public var isDeadLetterQueue: Bool { name.hasSuffix(".dead") }
    }

    public struct Outbox: Sendable, Equatable {
        public let unpublished: Int64
        /// Age of the oldest unpublished event, in seconds; nil when none is waiting.
        public let oldestAgeSeconds: Int64?
        public let lastError: String?
    }

    public struct Rejects: Sendable, Equatable {
        public let lastHour: Int64
        public let notReplayed: Int64
        public let newestReason: String?
    }

    public struct Emails: Sendable, Equatable {
        /// Counts over the last 24 hours by ledger status (sent, failed, sending, skipped).
        public let sent: Int64
        public let failed: Int64
        public let sending: Int64
        public let lastFailure: String?
    }

    public var broker: String
    /// nil with `brokerError` set when the broker could not be asked.
    public var queues: [Queue]?
    public var brokerError: String?
    public var database: String
    public var outbox: Outbox?
    public var rejects: Rejects?
    public var emails: Emails?
    public var databaseError: String?

    public init(broker: String, database: String) {
        self.broker = broker
        self.database = database
    }
}
