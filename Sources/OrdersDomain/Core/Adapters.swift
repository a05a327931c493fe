/// Settings that shape normalisation but are not in the payload.
public struct NormalizationContext: Sendable {
    /// Added to `placedAt` to get `shipBy` when the channel makes no promise (SPEC 3.6: 48 h).
    public var handlingTimeSeconds: Int64 = 48 * 3600
    /// When the message arrived: `placedAt` of last resort for an order without any time of its own.
    public var receivedAt: UTCTimestamp?
    /// Shopware currency ids (`currencyId`, lowercase hex) to currencies, for orders without the `currency`
    /// association (ORDERFLOW_SHOPWARE_CURRENCIES).
    public var shopwareCurrencies: [String: Currency]

    public init(
        handlingTimeSeconds: Int64 = 48 * 3600, receivedAt: UTCTimestamp? = nil,
        shopwareCurrencies: [String: Currency] = [:]
    ) {
        self.handlingTimeSeconds = handlingTimeSeconds
        self.receivedAt = receivedAt
        self.shopwareCurrencies = Dictionary(
            shopwareCurrencies.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
    }
}

/// Turns one channel's native order payload into the canonical order.
/// Adding a channel = one type conforming to this + one line in `ChannelRegistry`.
public protocol OrderAdapter: Sendable {
    /// The routing key suffix: "shopify" for `order.shopify`.
    var channel: String { get }
    /// Throws `NormalizationError` only (anything else is wrapped as `invalidField` by `Normalizer`).
    func normalize(_ root: Node, context: NormalizationContext) throws -> CanonicalOrder
}

/// Turns one source's shipment notice into the canonical shipment.
public protocol ShipmentAdapter: Sendable {
    /// The routing key suffix: "canonical" for `shipment.canonical`.
    var source: String { get }
    func normalize(_ root: Node, context: NormalizationContext) throws -> CanonicalShipment
}

/// What a body may cost us before any adapter sees it.
public struct NormalizationLimits: Sendable {
    public var maxBodyBytes = 1 << 20
    public var maxDepth = 64

    public init(maxBodyBytes: Int = 1 << 20, maxDepth: Int = 64) {
        self.maxBodyBytes = maxBodyBytes
        self.maxDepth = maxDepth
    }
}
