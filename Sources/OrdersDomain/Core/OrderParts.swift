// What the steps of an adapter produce, so that each step is one function with one result and the
// canonical order is put together in one place.

/// The customer-and-addresses step.
struct OrderParties {
    var customer = Customer()
    var shippingAddress: Address?
    var billingAddress: Address?
}

/// The status step: the lifecycle status, who cancelled, and the raw axes it was read from.
struct ResolvedStatus {
    let status: OrderStatus
    let cancelledBy: CancelledBy?
    let channelStatus: JSONObject

    /// The same, with `channelStatus[key] = amount` when there is an amount.
    func noting(_ key: String, _ amount: Money?) -> ResolvedStatus {
        guard let amount else { return self }
        var channelStatus = self.channelStatus
        channelStatus[key] = .string(amount.decimalString)
        return ResolvedStatus(status: status, cancelledBy: cancelledBy, channelStatus: channelStatus)
    }

    /// `channelStatus` member: the part of totals.tax a marketplace collected and remits itself (the buyer paid it;
    /// the merchant does not owe it).
    static let marketplaceCollectedTaxKey = "marketplaceCollectedTax"
}

extension CanonicalOrder {
    init(
        channel: String, externalId: String, number: String?, placedAt: PlacedAt, updatedAt: UTCTimestamp?,
        shipBy: UTCTimestamp, currency: Currency, totals: Totals, lines: [OrderLine], parties: OrderParties,
        status: ResolvedStatus, shipments: [CanonicalShipment], apiVersion: String?,
        discountCodes: [DiscountCode] = []
    ) {
        var channelStatus = status.channelStatus
        if let guess = placedAt.guessedFrom { channelStatus[Self.placedAtGuessedKey] = .string(guess) }
        self.init(
            channel: channel, externalId: externalId, number: number, status: status.status,
            placedAt: placedAt.instant, updatedAt: updatedAt, shipBy: shipBy, currency: currency, totals: totals,
            customer: parties.customer, shippingAddress: parties.shippingAddress,
            billingAddress: parties.billingAddress, lines: lines, cancelledBy: status.cancelledBy,
            channelStatus: channelStatus, shipments: shipments, apiVersion: apiVersion, discountCodes: discountCodes)
    }

    /// The `channelStatus` member that marks a `placedAt` the channel did not give (its value says where the time
    /// came from); the overdue sweeper skips such orders.
    public static let placedAtGuessedKey = "placedAtGuessed"
}
