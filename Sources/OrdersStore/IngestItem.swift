public import OrdersDomain

/// One inbound message, decided: what the worker stores for it in the batch's transaction.
public struct IngestItem: Sendable {
    public enum Content: Sendable {
        case order(CanonicalOrder)
        case shipment(CanonicalShipment)
        /// Refused as invalid: kept in `rejects` (never retried).
        case reject(reason: String, field: String?)
    }

    public let messageID: String
    public let routingKey: String
    public let body: [UInt8]
    public let content: Content

    public init(messageID: String, routingKey: String, body: [UInt8], content: Content) {
        self.messageID = messageID
        self.routingKey = routingKey
        self.body = body
        self.content = content
    }
}

extension IngestItem {
    /// The order in which a batch writes its items, the same in every worker: by channel and
    /// external id (an order before its parcels), then message id; rejects, which touch no order,
    /// last.
    public static func lockOrder(_ a: IngestItem, _ b: IngestItem) -> Bool { a.lockKey < b.lockKey }

    private var lockKey: (Int, String, String, Int, String) {
        switch content {
        case .order(let order): (0, order.channel, order.externalId, 0, messageID)
        case .shipment(let shipment): (0, shipment.channel, shipment.externalId, 1, messageID)
        case .reject: (1, "", "", 0, messageID)
        }
    }

    /// The key of the advisory lock that serialises every write of this item's order (its
    /// versions and its parcels); nil for a reject.
    var orderLockKey: Int64? {
        switch content {
        case .order(let order): Self.orderLockKey(channel: order.channel, externalId: order.externalId)
        case .shipment(let shipment): Self.orderLockKey(channel: shipment.channel, externalId: shipment.externalId)
        case .reject: nil
        }
    }

    static func orderLockKey(channel: String, externalId: String) -> Int64 {
        Int64(bitPattern: fnv1a(channel.utf8, externalId.utf8, seed: 0xCBF2_9CE4_8422_2325))
    }
}

/// A stable message id for a message that came without one: a 128-bit hash of routing key and
/// body, so a redelivery or a republished copy gets the same id.
public func derivedMessageID(routingKey: String, body: [UInt8]) -> String {
    let hex = { (v: UInt64) in String(v, radix: 16).leftPadded(to: 16) }
    return "derived-" + hex(fnv1a(routingKey.utf8, body, seed: 0xCBF2_9CE4_8422_2325))
        + hex(fnv1a(routingKey.utf8, body, seed: 0x6C62_272E_07BB_0142))
}

/// 64-bit FNV-1a of two byte sequences with a separator, so ("a", "bc") and ("ab", "c") differ.
func fnv1a(_ first: some Sequence<UInt8>, _ second: some Sequence<UInt8>, seed: UInt64) -> UInt64 {
    var hash = seed
    for byte in first { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    hash = (hash ^ 0xFF) &* 0x100_0000_01B3
    for byte in second { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    return hash
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
