extension AmazonOrderAdapter {
    func normalizeV0(root: Node, order: Node, context: NormalizationContext) throws -> CanonicalOrder {
        let externalId = try order["AmazonOrderId"].id()
        let items = try Self.itemNodes(root["orderItems"])
        let marketplace = Self.marketplace(order["MarketplaceId"].cleanText)
        let currency = try Self.v0Currency(order, items: items, marketplace: marketplace)
        let placedAt = try context.placedAt(
            [order["PurchaseDate"]], fallbacks: [order["LastUpdateDate"]],
            missing: order["PurchaseDate"].error(.missingField, "required PurchaseDate"))
        let updatedAt = try? order["LastUpdateDate"].timestamp()
        let sums = try V0ItemSums(items, sumField: root["orderItems"], currency)
        let totals = try Self.totals(
            items: sums.items, shipping: sums.shipping, tax: sums.tax, discount: sums.discount,
            grand: try Self.v0Money(order["OrderTotal"], currency), grandField: order["OrderTotal"])
        return CanonicalOrder(
            channel: channel, externalId: externalId, number: order["SellerOrderId"].cleanText,
            placedAt: placedAt, updatedAt: updatedAt,
            shipBy: context.shipBy(promised: try? order["LatestShipDate"].timestamp(), placedAt: placedAt.instant),
            currency: currency, totals: totals, lines: sums.lines,
            parties: Self.v0Parties(root: root, order: order),
            status: Self.v0Status(order, buyerRequestedCancel: sums.buyerRequestedCancel)
                .noting(ResolvedStatus.marketplaceCollectedTaxKey, sums.collectedTax),
            shipments: [], apiVersion: "v0",
            discountCodes: try Self.promotionCodes(items, sumField: root["orderItems"], version2026: false))
    }

    /// The lines and what the items add up to: Amazon v0 has no order-level breakdown.
    struct V0ItemSums {
        var lines: [OrderLine] = []
        var items, shipping, tax, discount: Money
        /// The tax of items whose TaxCollection.Model is MarketplaceFacilitator (Amazon remits it); nil when none.
        var collectedTax: Money?
        /// True when any item carries a buyer cancel request, false when items say there is none, nil when none says.
        var buyerRequestedCancel: Bool?
        private let sumField: Node
        private let currency: Currency

        init(_ itemNodes: [Node], sumField: Node, _ currency: Currency) throws {
            let zero = Money.zero(currency)
            (items, shipping, tax, discount) = (zero, zero, zero, zero)
            self.sumField = sumField
            self.currency = currency
            lines.reserveCapacity(itemNodes.count)
            for item in itemNodes { try add(item) }
        }

        private mutating func add(_ item: Node) throws {
            let quantity = try item["QuantityOrdered"].quantity()
            let total = try AmazonOrderAdapter.v0Money(item["ItemPrice"], currency) ?? .zero(currency)
            items = try sumField.adding(items, total)
            shipping = try adding(item["ShippingPrice"], to: shipping)
            var itemTax = try adding(item["ItemTax"], to: .zero(currency))
            itemTax = try adding(item["ShippingTax"], to: itemTax)
            itemTax = try adding(item["PromotionDiscountTax"], to: itemTax, as: .magnitudeTakenOff)
            itemTax = try adding(item["ShippingDiscountTax"], to: itemTax, as: .magnitudeTakenOff)
            tax = try sumField.adding(tax, itemTax)
            if item["TaxCollection"]["Model"].cleanText == "MarketplaceFacilitator" {
                collectedTax = try sumField.adding(collectedTax ?? .zero(currency), itemTax)
            }
            discount = try adding(item["PromotionDiscount"], to: discount, as: .magnitudeAdded)
            discount = try adding(item["ShippingDiscount"], to: discount, as: .magnitudeAdded)
            let request =
                (try? item["BuyerRequestedCancel"]["IsBuyerRequestedCancel"].bool())
                ?? (try? item["IsBuyerRequestedCancel"].bool())
            if let request { buyerRequestedCancel = (buyerRequestedCancel ?? false) || request }
            lines.append(
                .pricedByTotal(
                    lineId: try item["OrderItemId"].optionalID(), sku: item["SellerSKU"].cleanText,
                    title: item["Title"].cleanText,
                    quantity: quantity, total: total))
        }

        /// How an item amount counts: discounts and the tax on them come with either sign.
        private enum Sign { case asSent, magnitudeAdded, magnitudeTakenOff }

        /// `sum` with the amount at `node`, when given.
        private func adding(_ node: Node, to sum: Money, as sign: Sign = .asSent) throws -> Money {
            guard let amount = try AmazonOrderAdapter.v0Money(node, currency) else { return sum }
            switch sign {
            case .asSent: return try sumField.adding(sum, amount)
            case .magnitudeAdded: return try sumField.adding(sum, amount.magnitude)
            case .magnitudeTakenOff: return try sumField.subtracting(sum, amount.magnitude)
            }
        }
    }

    static func v0Status(_ order: Node, buyerRequestedCancel: Bool?) -> ResolvedStatus {
        var candidates: [OrderStatus] = []
        switch order["OrderStatus"].cleanText {
        case "Unshipped"?: candidates.append(.paid)
        case "PartiallyShipped"?: candidates.append(.partiallyShipped)
        case "Shipped"?, "InvoiceUnconfirmed"?: candidates.append(.shipped)
        case "Canceled"?, "Cancelled"?: candidates.append(.cancelled)
        default: break  // Pending, PendingAvailability, Unfulfillable, unknown -> received
        }
        switch order["EasyShipShipmentStatus"].cleanText {
        case "Delivered"?: candidates.append(.delivered)
        case "PickedUp"?, "DroppedOff"?, "AtOriginFC"?, "AtDestinationFC"?, "OutForDelivery"?:
            candidates.append(.shipped)
        default: break
        }
        let status = OrderStatus.resolve(candidates)
        // v0 does not say who cancelled: without a buyer request, the seller did.
        let cancelledBy: CancelledBy? =
            status == .cancelled
            ? (buyerRequestedCancel == true ? .customer : .merchant) : nil
        return ResolvedStatus(
            status: status, cancelledBy: cancelledBy,
            channelStatus: JSONObject([
                ("OrderStatus", order["OrderStatus"].rawOrNull),
                ("EasyShipShipmentStatus", order["EasyShipShipmentStatus"].rawOrNull),
                ("IsBuyerRequestedCancel", buyerRequestedCancel.map { JSONValue.bool($0) } ?? .null),
            ]))
    }

    /// The separate getOrderAddress and getOrderBuyerInfo parts win over the (older, often redacted) copies in the
    /// order.
    static func v0Parties(root: Node, order: Node) -> OrderParties {
        let shippingAddress =
            address(root["shippingAddress"].unwrapping("payload").unwrapping("ShippingAddress"), .v0)
            ?? address(order["ShippingAddress"], .v0)
        let buyer = root["buyerInfo"].unwrapping("payload").unwrapping("BuyerInfo")
        let embeddedBuyer = order["BuyerInfo"]
        let email = Text.email(buyer["BuyerEmail"].cleanText) ?? Text.email(embeddedBuyer["BuyerEmail"].cleanText)
        let name = buyer["BuyerName"].cleanText ?? embeddedBuyer["BuyerName"].cleanText
        return OrderParties(customer: Customer(email: email, name: name), shippingAddress: shippingAddress)
    }

    /// The order items from the composite's `orderItems`: a list of items, the getOrderItems payload, or a list of
    /// such pages (with or without `payload`).
    static func itemNodes(_ node: Node) throws -> [Node] {
        let container = node.unwrapping("payload")
        if case .object? = container.value { return try container["OrderItems"].elements() }
        var result: [Node] = []
        for element in try container.elements() {
            let page = element.unwrapping("payload")
            if page["OrderItems"].exists {
                result += try page["OrderItems"].elements()
            } else {
                result.append(element)
            }
        }
        return result
    }

    static func v0Currency(_ order: Node, items: [Node], marketplace: Marketplace?) throws -> Currency {
        if let currency = try order["OrderTotal"]["CurrencyCode"].currency() { return currency }
        if let marketplace { return marketplace.currency }
        for item in items {
            if let currency = try item["ItemPrice"]["CurrencyCode"].currency() { return currency }
        }
        throw order["OrderTotal"]["CurrencyCode"].error(
            .missingField, "required currency (no OrderTotal, unknown MarketplaceId, no priced item)")
    }

    /// A v0 Money {CurrencyCode, Amount} read in the order currency; nil when absent or without an Amount.
    static func v0Money(_ node: Node, _ currency: Currency) throws -> Money? {
        try money(node, currency, amountKey: "Amount", codeKey: "CurrencyCode")
    }

}
