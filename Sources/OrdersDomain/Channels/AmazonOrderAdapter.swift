// Channel "amazon": the composite of SPEC 3.2 that the SP-API connector publishes,
//   {"order": <getOrder payload>, "orderItems": [<getOrderItems payload.OrderItems>],
//    "shippingAddress": <getOrderAddress payload.ShippingAddress>?, "buyerInfo": <getOrderBuyerInfo payload>?}
// in the Orders API v0 names, or an Orders API 2026-01-01 order (recognised by its shape: `orderId`, camelCase).
//
// Lenient about wrappers: each part may be given with or without its `payload` envelope, `orderItems` may be the
// getOrderItems payload ({"OrderItems": [...]}) or a list of such pages, `shippingAddress` may be the getOrderAddress
// payload ({"ShippingAddress": {...}}), and the whole body may be a bare getOrder response or order (then without
// items). The 2026-01-01 getOrder response {"order": {...}} is itself such a body.
// An ORDER_CHANGE notification is refused (invalidField "NotificationType"): it has no prices and no currency; the
// connector must fetch the order and publish the composite.
//
// Decisions, Orders v0 (SPEC 3.3 leaves these to the adapter):
// - currency: `OrderTotal.CurrencyCode`; without OrderTotal (Pending orders) the marketplace's currency
//   (MarketplaceId, e.g. ATVPDKIKX0DER -> USD, A1PA6795UKMFR9 -> EUR); else the first item's ItemPrice currency.
//   The order currency wins: every amount is read in it. A known but different CurrencyCode on an item amount (the
//   docs example labels its US order's items JPY and a gift-wrap price GBP) does not refuse the order; the amount is
//   refused (malformedMoney) only when it cannot be expressed in the order currency (more non-zero decimals than the
//   currency has). An unknown code anywhere we read money is unknownCurrency.
// - lines: lineId `OrderItemId`, sku `SellerSKU`, title `Title`, quantity `QuantityOrdered` (integer or numeric
//   string). ItemPrice is the price of the whole quantity: line total = ItemPrice (0 when absent: Pending orders may
//   lack prices), unitPrice = total / quantity (exact, else rounded half-even; the total is kept; quantity 0 -> the
//   total).
// - totals: items = sum of ItemPrice; shipping = sum of ShippingPrice; tax = sum of ItemTax + ShippingTax minus
//   PromotionDiscountTax and ShippingDiscountTax; discount = sum of |PromotionDiscount| + |ShippingDiscount|.
//   Gift wrap, COD fees and points have no canonical bucket and are not read (they are in OrderTotal when Amazon
//   charges them). grand = OrderTotal; without OrderTotal (Pending) grand = items + shipping + tax - discount, an
//   estimate (tax-inclusive marketplaces would count VAT twice; the order is republished with OrderTotal later).
// - status from OrderStatus: Pending, PendingAvailability -> received; Unshipped -> paid (payment authorised);
//   PartiallyShipped -> partially_shipped; Shipped, InvoiceUnconfirmed -> shipped; Canceled -> cancelled;
//   Unfulfillable and unknown -> received. EasyShipShipmentStatus is a second axis: Delivered -> delivered; PickedUp,
//   DroppedOff, AtOriginFC, AtDestinationFC, OutForDelivery -> shipped; others add nothing.
//   channelStatus: {"OrderStatus", "EasyShipShipmentStatus", "IsBuyerRequestedCancel"} (the last is true when any
//   item's BuyerRequestedCancel.IsBuyerRequestedCancel (or IsBuyerRequestedCancel) says "true"/true, false when items
//   say so, null when none says).
// - cancelledBy (only when Canceled): customer when any item carries a buyer cancel request; else merchant (Amazon
//   v0 does not say who cancelled; an order cancelled without a buyer request was cancelled by the seller).
//   A buyer request on an order that is not cancelled only shows in channelStatus.
// - times: placedAt `PurchaseDate` (required), updatedAt `LastUpdateDate`, shipBy `LatestShipDate`, else placedAt +
//   handling time.
// - number = `SellerOrderId` when given. shippingAddress = the getOrderAddress part, else order.ShippingAddress
//   (AddressLine2 and AddressLine3 joined with ", "; region StateOrRegion, else County). No billing address.
// - customer: BuyerEmail / BuyerName of the buyerInfo part, else of order.BuyerInfo; locale from the marketplace's
//   country (the storefront the buyer used), else the ship-to country.
// - apiVersion "v0".
//
// Orders 2026-01-01, mapped the same way:
// - externalId `orderId`; number = orderAliases[aliasType SELLER_ORDER_ID].aliasId.
// - currency: proceeds.grandTotal.currencyCode, else marketplace, else the first item's unit price currency.
// - lines: unitPrice = product.price.unitPrice; total = the item's ITEM proceeds breakdown, else unitPrice x quantity;
//   without a unit price, unitPrice = total / quantity.
// - totals from proceeds.breakdowns (ITEM, SHIPPING, TAX, |DISCOUNT|; GIFT_WRAP, COD_FEE, DELIVERY_TIP, OTHER only in
//   grand), else the sums of the items' breakdowns; items fall back to the sum of line totals; grand =
//   proceeds.grandTotal, else items + shipping + tax - discount.
// - status from fulfillment.fulfillmentStatus (PENDING*, UNFULFILLABLE -> received; UNSHIPPED -> paid;
//   PARTIALLY_SHIPPED -> partially_shipped; SHIPPED -> shipped; CANCELLED -> cancelled) and the packages (all live
//   packages DELIVERED -> delivered). channelStatus {"fulfillmentStatus", "packageStatuses": [...]}.
// - cancelledBy (only when cancelled): an item's cancellation.cancellationExecution.cancelledBy MERCHANT -> merchant
//   (wins), BUYER (or a cancellationRequest by BUYER) -> customer; only AMAZON -> null (neither party); nothing said
//   -> merchant, as in v0.
// - shipBy fulfillment.shipByWindow.latestDateTime; address recipient.deliveryAddress; customer buyer{}.
// - shipments: one per package that has left (not PENDING/CANCELLED, with a tracking number or ship time):
//   packageReferenceId, carrier, trackingNumber, shipTime, packageItems (lineId = orderItemId, sku from the item).
// - apiVersion "2026-01-01".
public struct AmazonOrderAdapter: OrderAdapter {
    public let channel = "amazon"

    public init() {}

    public func normalize(_ root: Node, context: NormalizationContext) throws -> CanonicalOrder {
        if root["NotificationType"].exists || root["Payload"]["OrderChangeNotification"].exists {
            throw root["NotificationType"].error(
                .invalidField,
                "an ORDER_CHANGE notification carries no prices or currency; publish the getOrder composite instead")
        }
        let order = root.unwrapping("order").unwrapping("payload")
        if order["orderId"].exists, !order["AmazonOrderId"].exists {
            return try normalize2026(order, context: context)
        }
        return try normalizeV0(root: root, order: order, context: context)
    }

    // MARK: - Orders v0

    private func normalizeV0(root: Node, order: Node, context: NormalizationContext) throws -> CanonicalOrder {
        let externalId = try order["AmazonOrderId"].id()
        let items = try Self.itemNodes(root["orderItems"])
        let marketplace = Self.marketplace(order["MarketplaceId"].cleanText)
        let currency = try Self.v0Currency(order, items: items, marketplace: marketplace)

        guard let placedAt = try order["PurchaseDate"].timestamp() else {
            throw order["PurchaseDate"].error(.missingField, "required PurchaseDate")
        }
        let updatedAt = try? order["LastUpdateDate"].timestamp()
        let shipBy = (try? order["LatestShipDate"].timestamp()) ?? placedAt.adding(seconds: context.handlingTimeSeconds)

        // Lines and the per-item amounts.
        let zero = Money.zero(currency)
        var lines: [OrderLine] = []
        lines.reserveCapacity(items.count)
        var itemsSum = zero, shipping = zero, tax = zero, discount = zero
        var buyerRequestedCancel: Bool?
        let sumField = root["orderItems"]
        for item in items {
            let quantity = try item["QuantityOrdered"].quantity()
            let total = try Self.v0Money(item["ItemPrice"], currency) ?? zero
            let unitPrice = quantity > 0 ? (total.dividedRoundingHalfEven(by: quantity) ?? total) : total
            itemsSum = try sumField.adding(itemsSum, total)
            if let amount = try Self.v0Money(item["ShippingPrice"], currency) { shipping = try sumField.adding(shipping, amount) }
            if let amount = try Self.v0Money(item["ItemTax"], currency) { tax = try sumField.adding(tax, amount) }
            if let amount = try Self.v0Money(item["ShippingTax"], currency) { tax = try sumField.adding(tax, amount) }
            if let amount = try Self.v0Money(item["PromotionDiscountTax"], currency) {
                tax = try sumField.subtracting(tax, amount.magnitude)
            }
            if let amount = try Self.v0Money(item["ShippingDiscountTax"], currency) {
                tax = try sumField.subtracting(tax, amount.magnitude)
            }
            if let amount = try Self.v0Money(item["PromotionDiscount"], currency) {
                discount = try sumField.adding(discount, amount.magnitude)
            }
            if let amount = try Self.v0Money(item["ShippingDiscount"], currency) {
                discount = try sumField.adding(discount, amount.magnitude)
            }
            let request = (try? item["BuyerRequestedCancel"]["IsBuyerRequestedCancel"].bool())
                ?? (try? item["IsBuyerRequestedCancel"].bool())
            if let request { buyerRequestedCancel = (buyerRequestedCancel ?? false) || request }
            lines.append(OrderLine(
                lineId: item["OrderItemId"].cleanText,
                sku: item["SellerSKU"].cleanText,
                title: item["Title"].cleanText,
                quantity: quantity,
                unitPrice: unitPrice,
                total: total))
        }
        let grand: Money
        if let orderTotal = try Self.v0Money(order["OrderTotal"], currency) {
            grand = orderTotal
        } else {
            let field = order["OrderTotal"]
            grand = try field.summingTotal(items: itemsSum, shipping: shipping, tax: tax, discount: discount)
        }

        // Status.
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
        case "PickedUp"?, "DroppedOff"?, "AtOriginFC"?, "AtDestinationFC"?, "OutForDelivery"?: candidates.append(.shipped)
        default: break
        }
        let status = OrderStatus.resolve(candidates)
        let cancelledBy: CancelledBy? = status == .cancelled ? (buyerRequestedCancel == true ? .customer : .merchant) : nil
        let channelStatus = JSONObject([
            ("OrderStatus", order["OrderStatus"].rawOrNull),
            ("EasyShipShipmentStatus", order["EasyShipShipmentStatus"].rawOrNull),
            ("IsBuyerRequestedCancel", buyerRequestedCancel.map { JSONValue.bool($0) } ?? .null),
        ])

        // Address and customer: the separate calls win over the (older, often redacted) copies in the order.
        var shippingAddress = Self.v0Address(
            root["shippingAddress"].unwrapping("payload").unwrapping("ShippingAddress"))
        if shippingAddress == nil { shippingAddress = Self.v0Address(order["ShippingAddress"]) }
        let buyer = root["buyerInfo"].unwrapping("payload").unwrapping("BuyerInfo")
        let embeddedBuyer = order["BuyerInfo"]
        let email = Text.email(buyer["BuyerEmail"].cleanText) ?? Text.email(embeddedBuyer["BuyerEmail"].cleanText)
        let name = buyer["BuyerName"].cleanText ?? embeddedBuyer["BuyerName"].cleanText
        let locale = Text.locale(language: nil, country: marketplace?.country ?? shippingAddress?.country)

        return CanonicalOrder(
            channel: channel,
            externalId: externalId,
            number: order["SellerOrderId"].cleanText,
            status: status,
            placedAt: placedAt,
            updatedAt: updatedAt,
            shipBy: shipBy,
            currency: currency,
            totals: Totals(items: itemsSum, shipping: shipping, discount: discount, tax: tax, grand: grand),
            customer: Customer(email: email, name: name, locale: locale),
            shippingAddress: shippingAddress,
            billingAddress: nil,
            lines: lines,
            cancelledBy: cancelledBy,
            channelStatus: channelStatus,
            shipments: [],
            apiVersion: "v0")
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

    static func money(_ node: Node, _ currency: Currency, amountKey: String, codeKey: String) throws -> Money? {
        guard node.exists else { return nil }
        guard case .object? = node.value else {
            throw node.error(.malformedMoney, "expected a money object {\(codeKey), \(amountKey)}")
        }
        _ = try node[codeKey].currency()  // an unknown code is refused; a known other one yields to the order's
        return try node[amountKey].money(currency)
    }

    static func v0Address(_ node: Node) -> Address? {
        guard case .object? = node.value else { return nil }
        var line1 = node["AddressLine1"].cleanText
        var rest = [node["AddressLine2"].cleanText, node["AddressLine3"].cleanText].compactMap { $0 }
        if line1 == nil, !rest.isEmpty { line1 = rest.removeFirst() }
        let address = Address(
            name: node["Name"].cleanText,
            company: node["CompanyName"].cleanText,
            line1: line1,
            line2: rest.isEmpty ? nil : rest.joined(separator: ", "),
            postalCode: node["PostalCode"].cleanText,
            city: node["City"].cleanText,
            region: node["StateOrRegion"].cleanText ?? node["County"].cleanText,
            country: Text.countryAlpha2(node["CountryCode"].cleanText),
            phone: node["Phone"].cleanText)
        return address.isEmpty ? nil : address
    }

    // MARK: - Orders 2026-01-01

    private func normalize2026(_ order: Node, context: NormalizationContext) throws -> CanonicalOrder {
        let externalId = try order["orderId"].id()
        let items = try order["orderItems"].elements()
        let marketplace = Self.marketplace(order["salesChannel"]["marketplaceId"].cleanText)
        let currency = try Self.currency2026(order, items: items, marketplace: marketplace)

        guard let placedAt = try order["createdTime"].timestamp() else {
            throw order["createdTime"].error(.missingField, "required createdTime")
        }
        let updatedAt = try? order["lastUpdatedTime"].timestamp()
        let shipBy = (try? order["fulfillment"]["shipByWindow"]["latestDateTime"].timestamp())
            ?? placedAt.adding(seconds: context.handlingTimeSeconds)

        // Lines, and the items' proceeds for when the order has no breakdown.
        let zero = Money.zero(currency)
        var lines: [OrderLine] = []
        lines.reserveCapacity(items.count)
        var lineSum = zero
        var itemBreakdowns = Breakdowns(zero)
        var cancelledByMerchant = false, cancelledByBuyer = false, cancelledByAmazon = false
        let sumField = order["orderItems"]
        for item in items {
            let quantity = try item["quantityOrdered"].quantity()
            let unit = try Self.money2026(item["product"]["price"]["unitPrice"], currency)
            var itemSubtotal: Money?
            for breakdown in (try? item["proceeds"]["breakdowns"].elements()) ?? [] {
                guard let type = breakdown["type"].cleanText,
                      let amount = try Self.money2026(breakdown["subtotal"], currency) else { continue }
                if type == "ITEM" { itemSubtotal = try sumField.adding(itemSubtotal ?? zero, amount) }
                try itemBreakdowns.add(type, amount, field: sumField)
            }
            let total: Money
            if let itemSubtotal {
                total = itemSubtotal
            } else if let unit {
                total = try item["product"]["price"]["unitPrice"].multiplying(unit, by: quantity)
            } else {
                total = zero
            }
            let unitPrice = unit ?? (quantity > 0 ? (total.dividedRoundingHalfEven(by: quantity) ?? total) : total)
            lineSum = try sumField.adding(lineSum, total)
            let cancellation = item["cancellation"]
            switch cancellation["cancellationExecution"]["cancelledBy"].cleanText?.uppercased() {
            case "MERCHANT"?, "SELLER"?: cancelledByMerchant = true
            case "BUYER"?: cancelledByBuyer = true
            case "AMAZON"?: cancelledByAmazon = true
            default: if cancellation["cancellationRequest"]["requester"].cleanText?.uppercased() == "BUYER" { cancelledByBuyer = true }
            }
            let product = item["product"]
            lines.append(OrderLine(
                lineId: item["orderItemId"].cleanText,
                sku: product["sellerSku"].cleanText,
                title: product["title"].cleanText,
                quantity: quantity,
                unitPrice: unitPrice,
                total: total))
        }

        // Totals: the order's breakdowns, else the items'.
        var orderBreakdowns = Breakdowns(zero)
        let breakdownNodes = (try? order["proceeds"]["breakdowns"].elements()) ?? []
        for breakdown in breakdownNodes {
            guard let type = breakdown["type"].cleanText,
                  let amount = try Self.money2026(breakdown["subtotal"], currency) else { continue }
            try orderBreakdowns.add(type, amount, field: order["proceeds"]["breakdowns"])
        }
        let source = breakdownNodes.isEmpty ? itemBreakdowns : orderBreakdowns
        let itemsTotal = source.item ?? lineSum
        let shipping = source.shipping ?? zero
        let tax = source.tax ?? zero
        let discount = (source.discount ?? zero).magnitude
        let grand: Money
        if let given = try Self.money2026(order["proceeds"]["grandTotal"], currency) {
            grand = given
        } else {
            let field = order["proceeds"]["grandTotal"]
            grand = try field.summingTotal(items: itemsTotal, shipping: shipping, tax: tax, discount: discount)
        }

        // Status.
        var candidates: [OrderStatus] = []
        let fulfillmentStatus = order["fulfillment"]["fulfillmentStatus"]
        switch fulfillmentStatus.cleanText {
        case "UNSHIPPED"?: candidates.append(.paid)
        case "PARTIALLY_SHIPPED"?: candidates.append(.partiallyShipped)
        case "SHIPPED"?: candidates.append(.shipped)
        case "CANCELLED"?, "CANCELED"?: candidates.append(.cancelled)
        default: break  // PENDING_AVAILABILITY, PENDING, UNFULFILLABLE, unknown -> received
        }
        let packages = (try? order["packages"].elements()) ?? []
        var packageStatuses: [JSONValue] = []
        var livePackages = 0, deliveredPackages = 0
        var shipments: [CanonicalShipment] = []
        for package in packages {
            packageStatuses.append(package["packageStatus"]["status"].rawOrNull)
            let packageStatus = package["packageStatus"]["status"].cleanText
            if packageStatus == "CANCELLED" { continue }
            livePackages += 1
            if packageStatus == "DELIVERED" { deliveredPackages += 1 }
            let trackingNumber = package["trackingNumber"].cleanText
            let shippedAt = try? package["shipTime"].timestamp()
            guard packageStatus != "PENDING", trackingNumber != nil || shippedAt != nil,
                  let shipmentId = package["packageReferenceId"].cleanText else { continue }
            var shipmentLines: [ShipmentLine] = []
            for packageItem in (try? package["packageItems"].elements()) ?? [] {
                let lineId = packageItem["orderItemId"].cleanText
                let sku = lines.first { $0.lineId != nil && $0.lineId == lineId }?.sku
                guard let quantity = try? packageItem["quantity"].quantity() else { continue }  // odd package line: skipped
                shipmentLines.append(ShipmentLine(sku: sku, lineId: lineId, quantity: quantity))
            }
            shipments.append(CanonicalShipment(
                channel: channel, externalId: externalId, shipmentId: shipmentId,
                carrier: package["carrier"].cleanText, trackingNumber: trackingNumber, trackingUrl: nil,
                shippedAt: shippedAt, lines: shipmentLines))
        }
        if livePackages > 0, deliveredPackages == livePackages { candidates.append(.delivered) }
        let status = OrderStatus.resolve(candidates)
        var cancelledBy: CancelledBy?
        if status == .cancelled {
            if cancelledByMerchant {
                cancelledBy = .merchant
            } else if cancelledByBuyer {
                cancelledBy = .customer
            } else if !cancelledByAmazon {
                cancelledBy = .merchant
            }
        }
        let channelStatus = JSONObject([
            ("fulfillmentStatus", fulfillmentStatus.rawOrNull),
            ("packageStatuses", .array(packageStatuses)),
        ])

        // Address and customer.
        let address = order["recipient"]["deliveryAddress"]
        var shippingAddress: Address?
        if case .object? = address.value {
            let extra = [address["addressLine2"].cleanText, address["addressLine3"].cleanText].compactMap { $0 }
            let candidate = Address(
                name: address["name"].cleanText,
                company: address["companyName"].cleanText,
                line1: address["addressLine1"].cleanText,
                line2: extra.isEmpty ? nil : extra.joined(separator: ", "),
                postalCode: address["postalCode"].cleanText,
                city: address["city"].cleanText,
                region: address["stateOrRegion"].cleanText ?? address["districtOrCounty"].cleanText,
                country: Text.countryAlpha2(address["countryCode"].cleanText),
                phone: address["phone"].cleanText)
            shippingAddress = candidate.isEmpty ? nil : candidate
        }
        let buyer = order["buyer"]
        let locale = Text.locale(language: nil, country: marketplace?.country ?? shippingAddress?.country)

        var number: String?
        for alias in (try? order["orderAliases"].elements()) ?? [] where alias["aliasType"].cleanText == "SELLER_ORDER_ID" {
            number = alias["aliasId"].cleanText
            if number != nil { break }
        }

        return CanonicalOrder(
            channel: channel,
            externalId: externalId,
            number: number,
            status: status,
            placedAt: placedAt,
            updatedAt: updatedAt,
            shipBy: shipBy,
            currency: currency,
            totals: Totals(items: itemsTotal, shipping: shipping, discount: discount, tax: tax, grand: grand),
            customer: Customer(
                email: Text.email(buyer["buyerEmail"].cleanText), name: buyer["buyerName"].cleanText, locale: locale),
            shippingAddress: shippingAddress,
            billingAddress: nil,
            lines: lines,
            cancelledBy: cancelledBy,
            channelStatus: channelStatus,
            shipments: shipments,
            apiVersion: "2026-01-01")
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

    // MARK: - Marketplaces

    /// An Amazon storefront: its country (ISO alpha-2) and currency.
    struct Marketplace {
        let country: String
        let currency: Currency
    }

    /// The SP-API marketplace ids (developer-docs.amazon.com/sp-api/docs/marketplace-ids).
    static func marketplace(_ id: String?) -> Marketplace? {
        let entry: (String, String)
        switch id {
        case "ATVPDKIKX0DER"?: entry = ("US", "USD")
        case "A2EUQ1WTGCTBG2"?: entry = ("CA", "CAD")
        case "A1AM78C64UM0Y8"?: entry = ("MX", "MXN")
        case "A2Q3Y263D00KWC"?: entry = ("BR", "BRL")
        case "A28R8C7NBKEWEA"?: entry = ("IE", "EUR")
        case "A1RKKUPIHCS9HS"?: entry = ("ES", "EUR")
        case "A1F83G8C2ARO7P"?: entry = ("GB", "GBP")
        case "A13V1IB3VIYZZH"?: entry = ("FR", "EUR")
        case "AMEN7PMS3EDWL"?: entry = ("BE", "EUR")
        case "A1805IZSGTT6HS"?: entry = ("NL", "EUR")
        case "A1PA6795UKMFR9"?: entry = ("DE", "EUR")
        case "APJ6JRA9NG5V4"?: entry = ("IT", "EUR")
        case "A2NODRKZP88ZB9"?: entry = ("SE", "SEK")
        case "AE08WJ6YKNBMC"?: entry = ("ZA", "ZAR")
        case "A1C3SOZRARQ6R3"?: entry = ("PL", "PLN")
        case "ARBP9OOSHTCHU"?: entry = ("EG", "EGP")
        case "A33AVAJ2PDY3EV"?: entry = ("TR", "TRY")
        case "A17E79C6D8DWNP"?: entry = ("SA", "SAR")
        case "A2VIGQ35RCS4UG"?: entry = ("AE", "AED")
        case "A21TJRUUN4KGV"?: entry = ("IN", "INR")
        case "A19VAU5U5O7RUS"?: entry = ("SG", "SGD")
        case "A39IBJ37TRP1C6"?: entry = ("AU", "AUD")
        case "A1VC38T7YXB528"?: entry = ("JP", "JPY")
        default: return nil
        }
        guard let currency = Currency(code: entry.1) else { return nil }
        return Marketplace(country: entry.0, currency: currency)
    }
}
