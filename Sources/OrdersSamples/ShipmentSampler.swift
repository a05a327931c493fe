public import OrdersDomain

/// Shipment notices (`shipment.canonical`, SPEC 3.2) for the orders an `OrderSampler` generates: the
/// `index`-th notice ships the whole `index`-th order of the same channel, seed and `now` in one
/// parcel, as a warehouse or 3PL reports it. Publish the orders first, then their notices.
public struct ShipmentSampler: Sendable {
    /// The routing key suffix of the notices.
    public static let source = "canonical"

    private let orders: OrderSampler
    private let now: UTCTimestamp

    /// Nil when `orderChannel` has no sample generator.
    public init?(orderChannel: String, seed: UInt64, now: UTCTimestamp) {
        guard let orders = OrderSampler(channel: orderChannel, seed: seed, now: now) else { return nil }
        self.orders = orders
        self.now = now
    }

    public func notice(at index: Int) -> SampleMessage {
        // The notice names the order as the worker stores it, so it is read back from the real adapter.
        let order: CanonicalOrder
        do {
            order = try Normalizer.standard.normalizeOrder(channel: orders.channel, body: orders.order(at: index).body)
        } catch {
            // Tested for every channel.
            preconditionFailure("sample \(index) of \(orders.channel) does not normalise: \(error)")
        }
        var random = SplitMix64(seed: orders.seed, stream: 0x5348_4950, index: UInt64(index))  // "SHIP"
        let carrier = random.pick(weighted: Carrier.weighted)
        let trackingNumber = carrier.trackingNumber(&random)
        // Shipped after the order was placed, and not in the future.
        let shippedAt = UTCTimestamp(
            epochMilliseconds: min(
                order.placedAt.adding(seconds: Int64(random.int(in: 3600...20 * 3600))).epochMilliseconds,
                now.epochMilliseconds / 1000 * 1000))
        let shipmentId = "PKT-\(orders.channel)-" + SampleIdentity(seed: orders.seed, index: index).serialDigits
        let notice: JSONValue = .fields([
            "channel": .string(order.channel),
            "externalId": .string(order.externalId),
            "shipmentId": .string(shipmentId),
            "carrier": .string(carrier.rawValue),
            "trackingNumber": .string(trackingNumber),
            "trackingUrl": .string(carrier.trackingURL(trackingNumber)),
            "shippedAt": .string(SampleTime.utc(shippedAt)),
            "lines": .array(
                order.lines.map { line in
                    // Lines are named by SKU; a till's lines have none, so they are named by line id.
                    line.sku.map { .fields(["sku": .string($0), "quantity": .integer(line.quantity)]) }
                        ?? .fields(["lineId": .text(line.lineId), "quantity": .integer(line.quantity)])
                }),
        ])
        return SampleMessage(
            externalId: shipmentId, messageID: "sample-shipment-\(shipmentId)",
            body: Array(JSON.serialize(notice).utf8))
    }
}
