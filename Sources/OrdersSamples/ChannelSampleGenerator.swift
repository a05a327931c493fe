import OrdersDomain

/// Writes sample orders in one channel's native format: the body a connector of that channel would
/// publish on `order.<channel>`. Adding a channel = one type conforming to this + one line in
/// `SampleGenerators`.
protocol ChannelSampleGenerator: Sendable {
    /// The routing key suffix, as in `ChannelRegistry` of OrdersDomain.
    var channel: String { get }
    var profile: SampleProfile { get }
    /// The channel's order id for a sample, in the channel's own id format.
    func externalId(of identity: SampleIdentity) -> String
    func payload(for order: SampleOrder) -> JSONValue
}

extension ChannelSampleGenerator {
    var profile: SampleProfile { SampleProfile() }
}

enum SampleGenerators {
    static let all: [any ChannelSampleGenerator] = [
        ShopifySampleGenerator(),
        WooCommerceSampleGenerator(),
        AmazonSampleGenerator(),
        EbaySampleGenerator(),
        ShopwareSampleGenerator(),
        SquareSampleGenerator(),
        CanonicalSampleGenerator(),
    ]

    static func generator(for channel: String) -> (any ChannelSampleGenerator)? {
        all.first { $0.channel == channel }
    }
}
