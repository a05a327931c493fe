public import AMQP

/// A message in a dead-letter queue, read from the `x-death` history the broker wrote on it: where
/// it was first published (exchange and routing key, where a replay sends it back), why it died
/// (`rejected`, `expired`, `maxlen`, `delivery_limit`) and how often.
public struct DeadLetter: Sendable {
    /// One `x-death` entry: a queue the message died in, for one reason, `count` times.
    public struct Death: Sendable, Equatable {
        public let queue: String
        public let reason: String
        public let count: Int64
        /// Seconds since the epoch: when it first died this way.
        public let time: Int64?
        public let exchange: String
        public let routingKeys: [String]
    }

    /// The delivery tag of the `basic.get` that fetched it (to ack it once replayed or purged).
    public let deliveryTag: UInt64
    public let messageID: String?
    public let properties: AMQPProperties
    public let body: [UInt8]
    /// Newest first, as the broker keeps them.
    public let deaths: [Death]

    public init(_ message: AMQPReceivedMessage) {
        deliveryTag = message.deliveryTag
        messageID = message.properties.messageID
        properties = message.properties
        body = message.body
        deaths = (message.properties.headers["x-death"]?.arrayValue ?? []).compactMap { value in
            guard let entry = value.tableValue else { return nil }
            return Death(
                queue: entry["queue"]?.stringValue ?? "", reason: entry["reason"]?.stringValue ?? "",
                count: entry["count"]?.intValue ?? 1, time: entry["time"]?.intValue,
                exchange: entry["exchange"]?.stringValue ?? "",
                routingKeys: (entry["routing-keys"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
    }

    /// The first death: the oldest entry, or the one `x-first-death-queue` names.
    public var firstDeath: Death? {
        let headers = properties.headers
        if let queue = headers["x-first-death-queue"]?.stringValue,
            let reason = headers["x-first-death-reason"]?.stringValue,
            let death = deaths.last(where: { $0.queue == queue && $0.reason == reason })
        {
            return death
        }
        return deaths.last
    }

    /// Why it died first, or nil when it carries no `x-death` (published into the queue by hand).
    public var reason: String? { firstDeath?.reason }

    /// How often it was dead-lettered, over every queue and reason.
    public var count: Int64 { deaths.reduce(0) { $0 + $1.count } }

    /// Seconds since the epoch of its most recent death.
    public var lastDeathTime: Int64? { deaths.compactMap(\.time).max() }

    /// Where it was published before it died: what a replay publishes to. Nil without `x-death`.
    public var origin: (exchange: String, routingKey: String)? {
        guard let first = firstDeath, let key = first.routingKeys.first else { return nil }
        return (first.exchange, key)
    }

    /// The channel (`order.shopify`) or event type (`shipment.dispatched`): its original routing key,
    /// else its `type` property.
    public var kind: String { origin?.routingKey ?? properties.type ?? "-" }

    /// The headers the broker added when it dead-lettered the message; a replay leaves them out,
    /// so the message goes back as it was first published.
    static let brokerHeaders: Set<String> = [
        "x-death", "x-first-death-reason", "x-first-death-queue", "x-first-death-exchange", "x-last-death-reason",
        "x-last-death-queue", "x-last-death-exchange", "x-delivery-count",
    ]

    /// The message to publish for a replay: the body, message id and properties as first published.
    public var replayMessage: OutgoingMessage? {
        guard let origin else { return nil }
        var properties = properties
        properties.headers = properties.headers.filter { !Self.brokerHeaders.contains($0.key) }
        return OutgoingMessage(
            exchange: origin.exchange, routingKey: origin.routingKey, body: body, properties: properties,
            mandatory: true)
    }
}

/// Which dead letters a bulk command takes: every one given, or those matching every filter given.
public struct DeadLetterSelection: Sendable {
    public var messageIDs: Set<String> = []
    public var reason: String?
    /// Died (most recently) in the last this many hours.
    public var sinceHours: Int?
    /// Seconds since the epoch, for `sinceHours`.
    public var now: Int64

    public init(messageIDs: Set<String> = [], reason: String? = nil, sinceHours: Int? = nil, now: Int64) {
        self.messageIDs = messageIDs
        self.reason = reason
        self.sinceHours = sinceHours
        self.now = now
    }

    public func matches(_ letter: DeadLetter) -> Bool {
        if !messageIDs.isEmpty, !messageIDs.contains(letter.messageID ?? "") { return false }
        if let reason, letter.reason != reason { return false }
        if let sinceHours {
            guard let time = letter.lastDeathTime, time > now - Int64(sinceHours) * 3600 else { return false }
        }
        return true
    }
}
