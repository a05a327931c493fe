/// A header or argument value in an AMQP field table.
public enum AMQPFieldValue: Sendable, Hashable {
    case bool(Bool)
    case int(Int64)
    case string(String)
    /// A field array, e.g. the `routing-keys` of an `x-death` entry.
    case array([AMQPFieldValue])
    /// A nested table, e.g. one `x-death` entry.
    case table([String: AMQPFieldValue])

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var intValue: Int64? { if case .int(let n) = self { n } else { nil } }
    public var arrayValue: [AMQPFieldValue]? { if case .array(let a) = self { a } else { nil } }
    public var tableValue: [String: AMQPFieldValue]? { if case .table(let t) = self { t } else { nil } }
}

/// The basic properties orderflow uses.
public struct AMQPProperties: Sendable, Equatable {
    public var messageID: String?
    public var contentType: String?
    /// 2 = persistent.
    public var deliveryMode: UInt8?
    /// Seconds since the epoch.
    public var timestamp: UInt64?
    public var type: String?
    public var correlationID: String?
    public var headers: [String: AMQPFieldValue] = [:]

    public init(
        messageID: String? = nil, contentType: String? = nil, deliveryMode: UInt8? = nil,
        timestamp: UInt64? = nil, type: String? = nil, headers: [String: AMQPFieldValue] = [:]
    ) {
        self.messageID = messageID
        self.contentType = contentType
        self.deliveryMode = deliveryMode
        self.timestamp = timestamp
        self.type = type
        self.headers = headers
    }

    /// A persistent JSON message.
    public static func persistentJSON(messageID: String, timestamp: UInt64? = nil) -> AMQPProperties {
        AMQPProperties(messageID: messageID, contentType: "application/json", deliveryMode: 2, timestamp: timestamp)
    }
}

/// A message the broker delivered to a consumer. The body is copied out of librabbitmq's buffers.
public struct AMQPReceivedMessage: Sendable {
    public let deliveryTag: UInt64
    public let redelivered: Bool
    public let exchange: String
    public let routingKey: String
    public let consumerTag: String
    public let properties: AMQPProperties
    public let body: [UInt8]

    public init(
        deliveryTag: UInt64, redelivered: Bool = false, exchange: String = "", routingKey: String,
        consumerTag: String = "", properties: AMQPProperties = AMQPProperties(), body: [UInt8]
    ) {
        self.deliveryTag = deliveryTag
        self.redelivered = redelivered
        self.exchange = exchange
        self.routingKey = routingKey
        self.consumerTag = consumerTag
        self.properties = properties
        self.body = body
    }
}

/// A `mandatory` message the broker could not route (basic.return).
public struct AMQPReturnedMessage: Sendable {
    public let replyCode: UInt16
    public let replyText: String
    public let exchange: String
    public let routingKey: String
    public let properties: AMQPProperties
    public let body: [UInt8]

    public init(
        replyCode: UInt16, replyText: String, exchange: String, routingKey: String, properties: AMQPProperties,
        body: [UInt8]
    ) {
        self.replyCode = replyCode
        self.replyText = replyText
        self.exchange = exchange
        self.routingKey = routingKey
        self.properties = properties
        self.body = body
    }
}

/// Something the broker sent on the channel.
public enum AMQPEvent: Sendable {
    case delivery(AMQPReceivedMessage)
    /// The broker cancelled our consumer (queue deleted, leader lost): re-subscribe.
    case consumerCancelled(consumerTag: String)
    /// A publisher confirm: positive (`basic.ack`) or negative (`basic.nack`).
    case confirm(deliveryTag: UInt64, multiple: Bool, ack: Bool)
    case returned(AMQPReturnedMessage)
    /// The broker blocked (resource alarm) or unblocked publishers on this connection.
    case blocked(Bool)
}
