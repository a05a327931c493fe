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

/// A stable message id for a message that came without one: a 128-bit hash of routing key and
/// body, so a redelivery or a republished copy gets the same id.
public func derivedMessageID(routingKey: String, body: [UInt8]) -> String {
    func fnv1a(_ seed: UInt64) -> UInt64 {
        var hash = seed
        for byte in routingKey.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        hash = (hash ^ 0xFF) &* 0x100_0000_01B3  // separator: ("a", "bc") and ("ab", "c") differ
        for byte in body { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
    let hex = { (v: UInt64) in String(v, radix: 16).leftPadded(to: 16) }
    return "derived-" + hex(fnv1a(0xCBF2_9CE4_8422_2325)) + hex(fnv1a(0x6C62_272E_07BB_0142))
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
