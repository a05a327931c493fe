/// The single entry point: bytes of a channel message in, canonical order (or a precise refusal) out.
/// Checks run cheapest first: size, then parse (UTF-8, grammar, depth), then shape, then the adapter.
public struct Normalizer: Sendable {
    /// Every adapter in `ChannelRegistry`, default limits and context.
    public static let standard = Normalizer(
        orderAdapters: ChannelRegistry.orderAdapters,
        shipmentAdapters: ChannelRegistry.shipmentAdapters
    )

    /// Every adapter, with the given context (the configured handling time).
    public static func standard(context: NormalizationContext) -> Normalizer {
        Normalizer(
            orderAdapters: ChannelRegistry.orderAdapters, shipmentAdapters: ChannelRegistry.shipmentAdapters,
            context: context)
    }

    private let orderAdapters: [String: any OrderAdapter]
    private let shipmentAdapters: [String: any ShipmentAdapter]
    public let limits: NormalizationLimits
    public let context: NormalizationContext

    public init(
        orderAdapters: [any OrderAdapter], shipmentAdapters: [any ShipmentAdapter],
        limits: NormalizationLimits = .init(), context: NormalizationContext = .init()
    ) {
        // A later registration for the same key replaces an earlier one (lets tests override).
        self.orderAdapters = Dictionary(orderAdapters.map { ($0.channel, $0) }, uniquingKeysWith: { $1 })
        self.shipmentAdapters = Dictionary(shipmentAdapters.map { ($0.source, $0) }, uniquingKeysWith: { $1 })
        self.limits = limits
        self.context = context
    }

    public var orderChannels: [String] { orderAdapters.keys.sorted() }
    public var shipmentSources: [String] { shipmentAdapters.keys.sorted() }

    /// `receivedAt`: when the message arrived, the creation time of last resort (see `NormalizationContext`).
    public func normalizeOrder(channel: String, body: [UInt8], receivedAt: UTCTimestamp? = nil) throws -> CanonicalOrder
    {
        guard let adapter = orderAdapters[channel] else {
            throw NormalizationError(.unknownChannel, field: nil, "unknown order channel \"\(channel.prefix(64))\"")
        }
        var context = self.context
        if let receivedAt { context.receivedAt = receivedAt }
        let root = try parseObject(body)
        let order = try runAdapter(root) { try adapter.normalize(root, context: context) }
        try order.checkInvariants()
        return order
    }

    public func normalizeShipment(source: String, body: [UInt8]) throws -> CanonicalShipment {
        guard let adapter = shipmentAdapters[source] else {
            throw NormalizationError(.unknownChannel, field: nil, "unknown shipment source \"\(source.prefix(64))\"")
        }
        let root = try parseObject(body)
        let shipment = try runAdapter(root) { try adapter.normalize(root, context: context) }
        try shipment.checkInvariants()
        return shipment
    }

    private func parseObject(_ body: [UInt8]) throws(NormalizationError) -> Node {
        guard body.count <= limits.maxBodyBytes else {
            throw NormalizationError(
                .tooLarge, field: nil, "body of \(body.count) bytes exceeds the limit of \(limits.maxBodyBytes)")
        }
        let value: JSONValue
        let hasDuplicateKeys: Bool
        do {
            (value, hasDuplicateKeys) = try JSON.parseNotingDuplicateKeys(
                body, limits: JSONLimits(maxDepth: limits.maxDepth))
        } catch {
            if error.isInvalidUTF8 { throw NormalizationError(.invalidUTF8, field: nil, error.description) }
            if error.isTooDeep { throw NormalizationError(.tooDeep, field: nil, error.description) }
            throw NormalizationError(.notJSON, field: nil, error.description)
        }
        guard case .object = value else {
            throw NormalizationError(.notObject, field: nil, "the body is JSON but not an object")
        }
        return Node(value, path: "", duplicates: hasDuplicateKeys ? DuplicateKeyTrap() : nil)
    }

    /// Adapters promise to throw only `NormalizationError`; anything else still becomes one. A repeated key the
    /// adapter read is refused whatever the adapter made of it.
    private func runAdapter<Result>(_ root: Node, _ body: () throws -> Result) throws(NormalizationError) -> Result {
        let result: Result
        do {
            result = try body()
        } catch let error as NormalizationError {
            try root.refuseReadDuplicateKey()
            throw error
        } catch {
            try root.refuseReadDuplicateKey()
            throw NormalizationError(.invalidField, field: nil, "\(error)")
        }
        try root.refuseReadDuplicateKey()
        return result
    }
}
