/// A message to publish; `properties.messageID` identifies it in confirms and returns.
public struct OutgoingMessage: Sendable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var properties: AMQPProperties
    public var mandatory: Bool

    public init(exchange: String, routingKey: String, body: [UInt8], properties: AMQPProperties, mandatory: Bool = true)
    {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.properties = properties
        self.mandatory = mandatory
    }
}

/// What became of one published message.
public enum PublishOutcome: Sendable, Equatable {
    /// The broker took responsibility for it (basic.ack, and it was routed).
    case confirmed
    /// `mandatory` and no queue was bound for it (basic.return, e.g. 312 NO_ROUTE).
    case returned(replyCode: UInt16, replyText: String)
    /// The broker refused it (basic.nack, e.g. a full queue with reject-publish).
    case nacked
    /// No confirm arrived (timeout or connection lost): it may or may not have been stored. Retry it.
    case unconfirmed

    public var isConfirmed: Bool { self == .confirmed }
}

public struct PublishBatchResult: Sendable {
    public let outcomes: [PublishOutcome]
    /// Set when the connection failed; the publisher must then be replaced.
    public let failure: AMQPError?
}

/// Publishes with publisher confirms over its own connection (never shared with a consumer).
/// Not `Sendable`: use it from one thread.
public final class AMQPPublisher {
    private let connection: AMQPConnection

    public convenience init(_ configuration: AMQPConfiguration) throws(AMQPError) {
        try self.init(connection: AMQPConnection(configuration))
    }

    /// Takes over a connection just opened (by `AMQPNodeRotation.connect()`, say), for itself alone.
    public init(connection: AMQPConnection) throws(AMQPError) {
        self.connection = connection
        try connection.enableConfirms()
    }

    /// For declaring topology before publishing.
    public var underlyingConnection: AMQPConnection { connection }

    public func close() { connection.close() }

    /// Publishes the batch and waits until every message is confirmed, returned or nacked, or until
    /// `timeout`. Messages without a confirm are `.unconfirmed`: never report those as sent.
    public func publish(_ messages: [OutgoingMessage], timeout: Duration = .seconds(10)) -> PublishBatchResult {
        var tracker = ConfirmTracker()
        do {
            for (index, message) in messages.enumerated() {
                let sequence = try connection.publish(
                    exchange: message.exchange, routingKey: message.routingKey, body: message.body,
                    properties: message.properties, mandatory: message.mandatory)
                tracker.sent(sequence: sequence, index: index, messageID: message.properties.messageID)
            }
            let deadline = ContinuousClock.now + timeout
            while !tracker.isComplete {
                let remaining = ContinuousClock.now.duration(to: deadline)
                guard remaining > .zero else { break }
                guard let event = try connection.nextEvent(timeout: min(remaining, .milliseconds(200))) else {
                    continue
                }
                tracker.handle(event)
            }
            return PublishBatchResult(outcomes: tracker.outcomes(count: messages.count), failure: nil)
        } catch {
            return PublishBatchResult(outcomes: tracker.outcomes(count: messages.count), failure: error)
        }
    }
}

/// Matches confirms and returns to published messages. Pure logic, unit-testable without a broker.
///
/// Confirms carry the publish sequence (possibly `multiple`); a return carries the message itself
/// and precedes its ack, so returns are matched by message id.
public struct ConfirmTracker: Sendable {
    private var indexBySequence: [UInt64: Int] = [:]
    private var indexByMessageID: [String: Int] = [:]
    private var results: [Int: PublishOutcome] = [:]
    private var returned: [Int: PublishOutcome] = [:]

    public init() {}

    public mutating func sent(sequence: UInt64, index: Int, messageID: String?) {
        indexBySequence[sequence] = index
        if let messageID { indexByMessageID[messageID] = index }
    }

    public var isComplete: Bool { indexBySequence.isEmpty }

    public mutating func handle(_ event: AMQPEvent) {
        switch event {
        case .returned(let message):
            if let id = message.properties.messageID, let index = indexByMessageID[id] {
                returned[index] = .returned(replyCode: message.replyCode, replyText: message.replyText)
            }
        case .confirm(let tag, let multiple, let ack):
            let tags = multiple ? indexBySequence.keys.filter { $0 <= tag } : [tag]
            for t in tags {
                guard let index = indexBySequence.removeValue(forKey: t) else { continue }
                results[index] = ack ? (returned[index] ?? .confirmed) : .nacked
            }
        default:
            break
        }
    }

    public func outcomes(count: Int) -> [PublishOutcome] {
        (0..<count).map { results[$0] ?? .unconfirmed }
    }
}
