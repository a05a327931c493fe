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
// - tips, gift cards, duties: v0 has none; 2026-01-01 DELIVERY_TIP is no line, only in grand (as GIFT_WRAP, COD_FEE).
// - marketplace-collected tax (the one rule of both marketplaces): grand is what the buyer paid, so tax Amazon
//   collects as marketplace facilitator counts in tax and grand (it is in ItemTax/ShippingTax and in OrderTotal); the
//   tax of items whose TaxCollection.Model is MarketplaceFacilitator is noted in
//   channelStatus.marketplaceCollectedTax (the merchant does not owe it). 2026-01-01: the TAX breakdown, likewise
//   counted; that shape does not say who remits it, so nothing is noted.
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
// - times: placedAt `PurchaseDate` (else `LastUpdateDate`, else the received time, either marked in
//   channelStatus.placedAtGuessed), updatedAt `LastUpdateDate`, shipBy `LatestShipDate`, else placedAt +
//   handling time.
// - number = `SellerOrderId` when given. shippingAddress = the getOrderAddress part, else order.ShippingAddress
//   (AddressLine2 and AddressLine3 joined with ", "; region StateOrRegion, else County). No billing address.
// - customer: BuyerEmail / BuyerName of the buyerInfo part, else of order.BuyerInfo; locale null (Amazon gives no
//   language: the mail language follows the shipping country).
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
//
// discountCodes (both versions): the items' promotion ids (v0 `PromotionIds[]`, 2026-01-01
// `promotion.breakdowns[].promotionId`), without amounts: Amazon gives an item's promotion discount as one sum, not
// per promotion.
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

    // MARK: - Shared by both API versions

    /// An Amazon money object read in the order currency; nil when absent or without an amount.
    static func money(_ node: Node, _ currency: Currency, amountKey: String, codeKey: String) throws -> Money? {
        guard node.exists else { return nil }
        guard case .object? = node.value else {
            throw node.error(.malformedMoney, "expected a money object {\(codeKey), \(amountKey)}")
        }
        _ = try node[codeKey].currency()  // an unknown code is refused; a known other one yields to the order's
        return try node[amountKey].money(currency)
    }

    /// The totals; without the order's own total (Pending orders), grand = items + shipping + tax - discount, an
    /// estimate until the order is republished with its total.
    static func totals(
        items: Money, shipping: Money, tax: Money, discount: Money, grand given: Money?, grandField: Node
    ) throws -> Totals {
        let grand = try given ?? grandField.summingTotal(items: items, shipping: shipping, tax: tax, discount: discount)
        return Totals(items: items, shipping: shipping, discount: discount, tax: tax, grand: grand)
    }

    /// Where each address field is in one API version's address object.
    struct AddressKeys {
        let name, company, line1, line2, line3, postalCode, city, region, county, country, phone: String
        /// v0 moves AddressLine2 up when AddressLine1 is missing.
        let movesLinesUp: Bool

        static let v0 = AddressKeys(
            name: "Name", company: "CompanyName", line1: "AddressLine1", line2: "AddressLine2", line3: "AddressLine3",
            postalCode: "PostalCode", city: "City", region: "StateOrRegion", county: "County", country: "CountryCode",
            phone: "Phone", movesLinesUp: true)
        static let v2026 = AddressKeys(
            name: "name", company: "companyName", line1: "addressLine1", line2: "addressLine2", line3: "addressLine3",
            postalCode: "postalCode", city: "city", region: "stateOrRegion", county: "districtOrCounty",
            country: "countryCode", phone: "phone", movesLinesUp: false)
    }

    /// An address object; lines 2 and 3 joined with ", ", region the state else the county. Nil when not an object
    /// or empty.
    static func address(_ node: Node, _ keys: AddressKeys) -> Address? {
        guard case .object? = node.value else { return nil }
        var line1 = node[keys.line1].cleanText
        var rest = [node[keys.line2].cleanText, node[keys.line3].cleanText].compactMap { $0 }
        if keys.movesLinesUp, line1 == nil, !rest.isEmpty { line1 = rest.removeFirst() }
        let address = Address(
            name: node[keys.name].cleanText,
            company: node[keys.company].cleanText,
            line1: line1,
            line2: rest.isEmpty ? nil : rest.joined(separator: ", "),
            postalCode: node[keys.postalCode].cleanText,
            city: node[keys.city].cleanText,
            region: node[keys.region].cleanText ?? node[keys.county].cleanText,
            country: Text.countryAlpha2(node[keys.country].cleanText),
            phone: node[keys.phone].cleanText)
        return address.isEmpty ? nil : address
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

extension AmazonOrderAdapter {
    /// The promotion ids of the items (see the file comment).
    static func promotionCodes(_ items: [Node], sumField: Node, version2026: Bool) throws -> [DiscountCode] {
        var list = DiscountCodeList(field: sumField)
        for item in items {
            let ids =
                version2026
                ? try item["promotion"]["breakdowns"].elements().map { $0["promotionId"] }
                : try item["PromotionIds"].elements()
            for id in ids { try list.add(try id.discountCode(), amount: nil, at: id) }
        }
        return list.codes
    }
}
