public import OrdersDomain

/// One generated message: its body and the id that makes a replay recognisable.
public struct SampleMessage: Sendable {
    /// The channel's order id (or, for a shipment notice, the shipment id).
    public let externalId: String
    /// "sample-shopify-450789469": derived from the order id, so the same sample published twice
    /// carries the same message id.
    public let messageID: String
    public let body: [UInt8]
}

/// Realistic, distinct orders of one channel, in its native format: EU customers (umlauts and
/// accents included), 1-5 lines from a home-and-garden catalogue, prices in EUR (CHF for Swiss
/// customers where the channel allows), about one order in five with a discount code, totals that
/// add up to the cent. Deterministic: the same channel, seed, index and `now` give the same bytes;
/// orders of different seeds never share an id.
public struct OrderSampler: Sendable {
    /// The channels samples exist for.
    public static var channels: [String] { SampleGenerators.all.map(\.channel) }

    public let channel: String
    public let seed: UInt64
    private let generator: any ChannelSampleGenerator
    private let builder: SampleOrderBuilder

    /// Nil when there is no generator for `channel`. `seed` must be in `SampleIdentity.seeds`;
    /// orders are placed in the hours before `now`.
    public init?(channel: String, seed: UInt64, now: UTCTimestamp) {
        guard let generator = SampleGenerators.generator(for: channel) else { return nil }
        self.channel = channel
        self.seed = seed
        self.generator = generator
        builder = SampleOrderBuilder(profile: generator.profile, now: now)
    }

    /// The `index`-th order of the run (0-based, below `SampleIdentity.maximumCount`).
    public func order(at index: Int) -> SampleMessage {
        let order = sampleOrder(at: index)
        let externalId = generator.externalId(of: order.identity)
        let body = JSON.serialize(generator.payload(for: order))
        return SampleMessage(
            externalId: externalId, messageID: "sample-\(channel)-\(externalId)", body: Array(body.utf8))
    }

    func sampleOrder(at index: Int) -> SampleOrder {
        let stream = Self.stream(channel)
        let identity = SampleIdentity(seed: seed, index: index, salt: stream)
        var random = SplitMix64(seed: seed, stream: stream, index: UInt64(index))
        return builder.build(identity, using: &random)
    }

    /// Each channel draws its own orders from a seed (FNV-1a of the channel name picks the stream).
    private static func stream(_ channel: String) -> UInt64 {
        channel.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}
