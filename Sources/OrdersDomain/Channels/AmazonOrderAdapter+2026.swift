extension AmazonOrderAdapter {
    func normalize2026(_ order: Node, context: NormalizationContext) throws -> CanonicalOrder {
        let externalId = try order["orderId"].id()
        let items = try order["orderItems"].elements()
        let marketplace = Self.marketplace(order["salesChannel"]["marketplaceId"].cleanText)
        let currency = try Self.currency2026(order, items: items, marketplace: marketplace)
        let placedAt = try context.placedAt(
            [order["createdTime"]], fallbacks: [order["lastUpdatedTime"]],
            missing: order["createdTime"].error(.missingField, "required createdTime"))
        let updatedAt = try? order["lastUpdatedTime"].timestamp()
        let promisedShipBy = try? order["fulfillment"]["shipByWindow"]["latestDateTime"].timestamp()
        let scan = try Items2026(items, sumField: order["orderItems"], currency)
        let totals = try Self.totals2026(order, scan, currency)
        let packages = try Packages2026(order, lines: scan.lines, channel: channel, orderID: externalId)
        return CanonicalOrder(
            channel: channel, externalId: externalId, number: Self.sellerOrderNumber(order),
            placedAt: placedAt, updatedAt: updatedAt,
            shipBy: context.shipBy(promised: promisedShipBy, placedAt: placedAt.instant),
            currency: currency, totals: totals, lines: scan.lines,
            parties: Self.parties2026(order),
            status: Self.status2026(order, packages, scan.cancellation),
            shipments: packages.shipments, apiVersion: "2026-01-01",
            discountCodes: try Self.promotionCodes(items, sumField: order["orderItems"], version2026: true))
    }

    /// The lines, and the items' proceeds for when the order has no breakdown of its own.
    struct Items2026 {
        var lines: [OrderLine] = []
        var lineSum: Money
        var breakdowns: Breakdowns
        var cancellation = Cancellation2026()
        private let sumField: Node
        private let currency: Currency

        init(_ items: [Node], sumField: Node, _ currency: Currency) throws {
            lineSum = .zero(currency)
            breakdowns = Breakdowns(.zero(currency))
            self.sumField = sumField
            self.currency = currency
            lines.reserveCapacity(items.count)
            for item in items { try add(item) }
        }

        private mutating func add(_ item: Node) throws {
            let zero = Money.zero(currency)
            let quantity = try item["quantityOrdered"].quantity()
            let unitField = item["product"]["price"]["unitPrice"]
            let unit = try AmazonOrderAdapter.money2026(unitField, currency)
            var itemSubtotal: Money?
            for breakdown in (try? item["proceeds"]["breakdowns"].elements()) ?? [] {
                guard let type = breakdown["type"].cleanText,
                    let amount = try AmazonOrderAdapter.money2026(breakdown["subtotal"], currency)
                else { continue }
                if type == "ITEM" { itemSubtotal = try sumField.adding(itemSubtotal ?? zero, amount) }
                try breakdowns.add(type, amount, field: sumField)
            }
            let total: Money
            if let itemSubtotal {
                total = itemSubtotal
            } else if let unit {
                total = try unitField.multiplying(unit, by: quantity)
            } else {
                total = zero
            }
            lineSum = try sumField.adding(lineSum, total)
            cancellation.read(item["cancellation"])
            let product = item["product"]
            lines.append(
                .pricedByTotal(
                    lineId: try item["orderItemId"].optionalID(), sku: product["sellerSku"].cleanText,
                    title: product["title"].cleanText, quantity: quantity, total: total, unitPrice: unit))
        }
    }

    /// Who the items say cancelled.
    struct Cancellation2026 {
        var byMerchant = false, byBuyer = false, byAmazon = false

        mutating func read(_ cancellation: Node) {
            switch cancellation["cancellationExecution"]["cancelledBy"].cleanText?.uppercased() {
            case "MERCHANT"?, "SELLER"?: byMerchant = true
            case "BUYER"?: byBuyer = true
            case "AMAZON"?: byAmazon = true
            default:
                let requester = cancellation["cancellationRequest"]["requester"].cleanText
                if requester?.uppercased() == "BUYER" { byBuyer = true }
            }
        }

        /// The merchant wins, then the buyer; Amazon alone is neither party; nothing said -> merchant, as in v0.
        var cancelledBy: CancelledBy? {
            if byMerchant { return .merchant }
            if byBuyer { return .customer }
            return byAmazon ? nil : .merchant
        }
    }

    /// The order's proceeds breakdowns, else the items'.
    static func totals2026(_ order: Node, _ items: Items2026, _ currency: Currency) throws -> Totals {
        let zero = Money.zero(currency)
        var orderBreakdowns = Breakdowns(zero)
        let breakdownNodes = (try? order["proceeds"]["breakdowns"].elements()) ?? []
        for breakdown in breakdownNodes {
            guard let type = breakdown["type"].cleanText,
                let amount = try Self.money2026(breakdown["subtotal"], currency)
            else { continue }
            try orderBreakdowns.add(type, amount, field: order["proceeds"]["breakdowns"])
        }
        let source = breakdownNodes.isEmpty ? items.breakdowns : orderBreakdowns
        return try totals(
            items: source.item ?? items.lineSum, shipping: source.shipping ?? zero, tax: source.tax ?? zero,
            discount: (source.discount ?? zero).magnitude,
            grand: try Self.money2026(order["proceeds"]["grandTotal"], currency),
            grandField: order["proceeds"]["grandTotal"])
    }

    /// The packages: their raw statuses, whether all live ones were delivered, and those that left as shipments.
    struct Packages2026 {
        var statuses: [JSONValue] = []
        var liveCount = 0, deliveredCount = 0
        var shipments: [CanonicalShipment] = []

        init(_ order: Node, lines: [OrderLine], channel: String, orderID: String) throws {
            for package in (try? order["packages"].elements()) ?? [] {
                statuses.append(package["packageStatus"]["status"].rawOrNull)
                let packageStatus = package["packageStatus"]["status"].cleanText
                if packageStatus == "CANCELLED" { continue }
                liveCount += 1
                if packageStatus == "DELIVERED" { deliveredCount += 1 }
                guard packageStatus != "PENDING",
                    let shipment = try Self.shipment(package, lines: lines, channel: channel, orderID: orderID)
                else { continue }
                shipments.append(shipment)
            }
        }

        /// A package that has left (a tracking number or a ship time) and has a reference id.
        static func shipment(
            _ package: Node, lines: [OrderLine], channel: String, orderID: String
        ) throws -> CanonicalShipment? {
            let trackingNumber = package["trackingNumber"].cleanText
            let shippedAt = try? package["shipTime"].timestamp()
            guard trackingNumber != nil || shippedAt != nil,
                let shipmentId = try package["packageReferenceId"].optionalID()
            else { return nil }
            var shipmentLines: [ShipmentLine] = []
            for packageItem in (try? package["packageItems"].elements()) ?? [] {
                let lineId = try packageItem["orderItemId"].optionalID()
                let sku = lines.first { $0.lineId != nil && $0.lineId == lineId }?.sku
                guard let quantity = try? packageItem["quantity"].quantity() else { continue }  // odd line: skipped
                shipmentLines.append(ShipmentLine(sku: sku, lineId: lineId, quantity: quantity))
            }
            return CanonicalShipment(
                channel: channel, externalId: orderID, shipmentId: shipmentId,
                carrier: package["carrier"].cleanText, trackingNumber: trackingNumber, trackingUrl: nil,
                shippedAt: shippedAt, lines: shipmentLines)
        }
    }

    static func status2026(
        _ order: Node, _ packages: Packages2026, _ cancellation: Cancellation2026
    ) -> ResolvedStatus {
        var candidates: [OrderStatus] = []
        let fulfillmentStatus = order["fulfillment"]["fulfillmentStatus"]
        switch fulfillmentStatus.cleanText {
        case "UNSHIPPED"?: candidates.append(.paid)
        case "PARTIALLY_SHIPPED"?: candidates.append(.partiallyShipped)
        case "SHIPPED"?: candidates.append(.shipped)
        case "CANCELLED"?, "CANCELED"?: candidates.append(.cancelled)
        default: break  // PENDING_AVAILABILITY, PENDING, UNFULFILLABLE, unknown -> received
        }
        if packages.liveCount > 0, packages.deliveredCount == packages.liveCount { candidates.append(.delivered) }
        let status = OrderStatus.resolve(candidates)
        return ResolvedStatus(
            status: status,
            cancelledBy: status == .cancelled ? cancellation.cancelledBy : nil,
            channelStatus: JSONObject([
                ("fulfillmentStatus", fulfillmentStatus.rawOrNull),
                ("packageStatuses", .array(packages.statuses)),
            ]))
    }

    static func parties2026(_ order: Node) -> OrderParties {
        let shippingAddress = address(order["recipient"]["deliveryAddress"], .v2026)
        let buyer = order["buyer"]
        let customer = Customer(email: Text.email(buyer["buyerEmail"].cleanText), name: buyer["buyerName"].cleanText)
        return OrderParties(customer: customer, shippingAddress: shippingAddress)
    }

    /// orderAliases[aliasType SELLER_ORDER_ID].aliasId: the seller's own order number.
    static func sellerOrderNumber(_ order: Node) -> String? {
        for alias in (try? order["orderAliases"].elements()) ?? []
        where alias["aliasType"].cleanText == "SELLER_ORDER_ID" {
            if let number = alias["aliasId"].cleanText { return number }
        }
        return nil
    }

    static func currency2026(_ order: Node, items: [Node], marketplace: Marketplace?) throws -> Currency {
        if let currency = try order["proceeds"]["grandTotal"]["currencyCode"].currency() { return currency }
        if let marketplace { return marketplace.currency }
        for item in items {
            if let currency = try item["product"]["price"]["unitPrice"]["currencyCode"].currency() { return currency }
            if let currency = try item["proceeds"]["proceedsTotal"]["currencyCode"].currency() { return currency }
        }
        throw order["proceeds"]["grandTotal"]["currencyCode"].error(
            .missingField, "required currency (no grandTotal, unknown marketplaceId, no priced item)")
    }

    static func money2026(_ node: Node, _ currency: Currency) throws -> Money? {
        try money(node, currency, amountKey: "amount", codeKey: "currencyCode")
    }

    /// Proceeds by category (2026-01-01 `breakdowns[].type`).
    struct Breakdowns {
        var item, shipping, tax, discount: Money?
        let zero: Money

        init(_ zero: Money) { self.zero = zero }

        mutating func add(_ type: String, _ amount: Money, field: Node) throws {
            switch type {
            case "ITEM": item = try field.adding(item ?? zero, amount)
            case "SHIPPING": shipping = try field.adding(shipping ?? zero, amount)
            case "TAX": tax = try field.adding(tax ?? zero, amount)
            case "DISCOUNT": discount = try field.adding(discount ?? zero, amount.magnitude)
            default: break  // GIFT_WRAP, COD_FEE, DELIVERY_TIP, OTHER: only in the grand total
            }
        }
    }
}
