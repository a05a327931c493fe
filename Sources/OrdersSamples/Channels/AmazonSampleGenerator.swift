import OrdersDomain

/// `order.amazon`: the composite the SP-API connector publishes (SPEC 3.2), Orders API v0 names:
/// {"order": getOrder payload, "orderItems": getOrderItems OrderItems, "shippingAddress": getOrderAddress
/// ShippingAddress, "buyerInfo": getOrderBuyerInfo payload}.
///
/// European marketplaces list gross prices: `ItemPrice` is the VAT-inclusive price of the whole
/// quantity, `ItemTax` the VAT in it, promotions are positive amounts taken off, and `OrderTotal`
/// = items + shipping - promotions. Amazon has no Swiss storefront: Swiss buyers order on amazon.de
/// and pay euros. Buyer e-mails are Amazon's anonymous relay addresses.
struct AmazonSampleGenerator: ChannelSampleGenerator {
    let channel = "amazon"
    let profile = SampleProfile(swissFrancs: false)

    func externalId(of identity: SampleIdentity) -> String { identity.serialDigits(grouped: [3, 7, 7]) }

    func payload(for order: SampleOrder) -> JSONValue {
        var random = order.detailRandom()
        let marketplace = Self.marketplace(for: order.customer.country.code)
        let status =
            switch order.stage {
            case .awaitingPayment: "Pending"
            case .paid: "Unshipped"
            case .shipped: "Shipped"
            case .cancelled: "Canceled"
            }
        let shipped = order.parcel != nil
        let quantity = order.lines.reduce(Int64(0)) { $0 + $1.quantity }
        let earliestShip = order.placedAt.adding(seconds: 3600)
        let latestShip = SampleTime.endOfCentralDay(order.placedAt, plusDays: 2)
        let isPrime = random.chance(55)
        let shipTo = order.shippingAddress

        let amazonOrder: JSONValue = .fields([
            "AmazonOrderId": .string(externalId(of: order.identity)),
            "SellerOrderId": .string("\(order.runningNumber)"),
            "PurchaseDate": .string(SampleTime.utc(order.placedAt)),
            "LastUpdateDate": .string(SampleTime.utc(order.updatedAt)),
            "OrderStatus": .string(status),
            "FulfillmentChannel": .string("MFN"),
            "SalesChannel": .string(marketplace.salesChannel),
            "ShipServiceLevel": .string(isPrime ? "Std DE Prime" : "Std DE Dom_1"),
            "OrderTotal": Self.money(order.grand),
            "NumberOfItemsShipped": .integer(shipped ? quantity : 0),
            "NumberOfItemsUnshipped": .integer(shipped || order.isCancelled ? 0 : quantity),
            "PaymentMethod": .string("Other"),
            "PaymentMethodDetails": .array([.string("Standard")]),
            "MarketplaceId": .string(marketplace.id),
            "ShipmentServiceLevelCategory": .string("Standard"),
            "OrderType": .string("StandardOrder"),
            "EarliestShipDate": .string(SampleTime.utc(earliestShip)),
            "LatestShipDate": .string(SampleTime.utc(latestShip)),
            "EarliestDeliveryDate": .string(SampleTime.utc(latestShip.adding(seconds: 86_400))),
            "LatestDeliveryDate": .string(SampleTime.utc(latestShip.adding(seconds: 3 * 86_400))),
            "IsBusinessOrder": .bool(order.shippingAddress.company != nil),
            "IsPrime": .bool(isPrime),
            "IsPremiumOrder": .bool(false),
            "IsGlobalExpressEnabled": .bool(false),
            "IsReplacementOrder": .string("false"),  // a string in the real API
            "IsSoldByAB": .bool(false),
            "IsISPU": .bool(false),
            "IsAccessPointOrder": .bool(false),
            "HasRegulatedItems": .bool(false),
            "ShippingAddress": .fields([  // the redacted copy getOrder carries; the composite's part is complete
                "City": .string(shipTo.city.name), "PostalCode": .string(shipTo.city.postalCode),
                "CountryCode": .string(shipTo.country.code),
            ]),
        ])

        return .fields([
            "order": amazonOrder,
            "orderItems": .array(order.lines.map { Self.item($0, order, &random) }),
            "shippingAddress": .fields([
                "Name": .string(shipTo.name),
                "CompanyName": .text(shipTo.company),
                "AddressLine1": .string(shipTo.line1),
                "AddressLine2": .text(shipTo.addition),
                "City": .string(shipTo.city.name),
                "StateOrRegion": .text(shipTo.city.region),
                "PostalCode": .string(shipTo.city.postalCode),
                "CountryCode": .string(shipTo.country.code),
                "Phone": .text(shipTo.phone),
                "AddressType": .string(shipTo.company == nil ? "Residential" : "Commercial"),
            ]),
            "buyerInfo": .fields([
                "AmazonOrderId": .string(externalId(of: order.identity)),
                "BuyerEmail": .string(
                    random.characters(15, from: "0123456789abcdefghijklmnopqrstuvwxyz")
                        + "@marketplace.amazon.\(marketplace.domain)"),
                "BuyerName": .string(order.customer.name),
            ]),
        ])
    }

    private static func item(_ line: SampleLine, _ order: SampleOrder, _ random: inout SplitMix64) -> JSONValue {
        let zero = Money.zero(order.currency)
        // Shipping is charged on the first item; promotions are the line's discount share, with the VAT in it.
        let shipping = line.position == 1 ? order.shipping : zero
        let shippingTax = line.position == 1 ? order.shippingTax : zero
        let itemTax = SampleMoney.vat(in: line.total, rate: line.vatRate)
        let promotionTax = itemTax - line.tax
        let cancelRequested = order.stage == .cancelled(byCustomer: true)
        var members: [(String, JSONValue)] = [
            ("ASIN", .string("B0" + random.characters(8, from: "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"))),
            ("SellerSKU", .string(line.product.sku)),
            ("OrderItemId", .string(String(order.lineID(line) % 100_000_000_000_000))),
            ("Title", .string(line.product.fullTitle)),
            ("QuantityOrdered", .integer(line.quantity)),
            ("QuantityShipped", .integer(order.parcel != nil ? line.quantity : 0)),
            ("ProductInfo", .fields(["NumberOfItems": .string("1")])),
            ("ItemPrice", money(line.total)),
            ("ShippingPrice", money(shipping)),
            ("ItemTax", money(itemTax)),
            ("ShippingTax", money(shippingTax)),
            ("ShippingDiscount", money(zero)),
            ("ShippingDiscountTax", money(zero)),
            ("PromotionDiscount", money(line.discount)),
            ("PromotionDiscountTax", money(promotionTax)),
            ("PromotionIds", .array(order.discount.map { [.string($0.code)] } ?? [])),
            ("IsGift", .string("false")),
            ("ConditionId", .string("New")),
            ("ConditionSubtypeId", .string("New")),
            ("IsTransparency", .bool(false)),
            ("SerialNumberRequired", .bool(false)),
        ]
        if order.isCancelled {
            members.append(
                (
                    "BuyerRequestedCancel",
                    .fields([
                        "IsBuyerRequestedCancel": .string(cancelRequested ? "true" : "false"),
                        "BuyerCancelReason": .string(cancelRequested ? "Versehentlich bestellt" : ""),
                    ])
                ))
        }
        return .object(JSONObject(members))
    }

    private static func money(_ amount: Money) -> JSONValue {
        .fields(["CurrencyCode": .string(amount.currency.code), "Amount": .amount(amount)])
    }

    struct Marketplace {
        let id: String, salesChannel: String, domain: String
    }

    /// The storefront a buyer from `country` orders on (SP-API marketplace ids).
    private static func marketplace(for country: String) -> Marketplace {
        switch country {
        case "FR", "LU": Marketplace(id: "A13V1IB3VIYZZH", salesChannel: "Amazon.fr", domain: "fr")
        case "IT": Marketplace(id: "APJ6JRA9NG5V4", salesChannel: "Amazon.it", domain: "it")
        case "NL": Marketplace(id: "A1805IZSGTT6HS", salesChannel: "Amazon.nl", domain: "nl")
        case "BE": Marketplace(id: "AMEN7PMS3EDWL", salesChannel: "Amazon.com.be", domain: "com.be")
        default: Marketplace(id: "A1PA6795UKMFR9", salesChannel: "Amazon.de", domain: "de")
        }
    }
}
