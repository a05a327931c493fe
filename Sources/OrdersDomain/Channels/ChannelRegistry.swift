/// Every channel orderflow understands. Adding a channel = one adapter file + one line here.
enum ChannelRegistry {
    static let orderAdapters: [any OrderAdapter] = [
        CanonicalOrderAdapter(),
        ShopifyOrderAdapter(),
        WooCommerceOrderAdapter(),
        ShopwareOrderAdapter(),
        AmazonOrderAdapter(),
        EbayOrderAdapter(),
        SquareOrderAdapter(),
    ]

    static let shipmentAdapters: [any ShipmentAdapter] = [
        CanonicalShipmentAdapter(),
        ShopifyFulfillmentShipmentAdapter(),
    ]
}
