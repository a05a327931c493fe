import OrdersDomain

/// `order.ebay`: one order of the Sell Fulfillment API (getOrder).
///
/// eBay's European sites list gross prices and do not break out the VAT of private sellers' shops:
/// `pricingSummary.total` = priceSubtotal + deliveryCost + priceDiscount (negative), `taxes` stay
/// empty, so the canonical tax of an eBay sample is 0. Swiss buyers buy on ebay.ch in francs.
/// The ship-to e-mail is eBay's relay address; the registration address carries the real one.
struct EbaySampleGenerator: ChannelSampleGenerator {
    let channel = "ebay"

    func externalId(of identity: SampleIdentity) -> String { identity.serialDigits(grouped: [2, 5, 5, 5]) }

    func payload(for order: SampleOrder) -> JSONValue {
        var random = order.detailRandom()
        let orderID = externalId(of: order.identity)
        let site =
            order.currency.code == "CHF" ? "EBAY_CH" : order.customer.country.code == "AT" ? "EBAY_AT" : "EBAY_DE"
        let shipBy = SampleTime.endOfCentralDay(order.placedAt, plusDays: 2)
        let paid = order.stage != .awaitingPayment
        let shipTo = order.shippingAddress
        let buyer = order.billingAddress
        let fulfillment = order.parcel == nil ? "NOT_STARTED" : "FULFILLED"
        let username = SampleOrderBuilder.mailbox(order.customer.firstName) + "_" + random.digits(4)

        var pricing: [(String, JSONValue)] = [
            ("priceSubtotal", Self.amount(order.items)),
            ("deliveryCost", Self.amount(order.shipping)),
        ]
        if order.discount != nil {
            pricing.append(("priceDiscount", Self.amount(.zero(order.currency) - order.discountTotal)))
        }
        pricing.append(("total", Self.amount(order.grand)))

        let cancelRequests: [JSONValue] =
            switch order.stage {
            case .cancelled(let byCustomer):
                [
                    .fields([
                        "cancelCompletedDate": .string(SampleTime.utcMilliseconds(order.updatedAt)),
                        "cancelInitiator": .string(byCustomer ? "BUYER" : "SELLER"),
                        "cancelReason": .string(byCustomer ? "BUYER_ASKED_CANCEL" : "OUT_OF_STOCK_OR_CANNOT_FULFILL"),
                        "cancelRequestedDate": .string(
                            SampleTime.utcMilliseconds(order.updatedAt.adding(seconds: -600))),
                        "cancelRequestId": .string(random.digits(10)),
                        "cancelRequestState": .string("COMPLETED"),
                    ])
                ]
            default: []
            }

        return .fields([
            "orderId": .string(orderID),
            "legacyOrderId": .string("\(random.digits(12))-\(random.digits(13))"),
            "creationDate": .string(SampleTime.utcMilliseconds(order.placedAt)),
            "lastModifiedDate": .string(SampleTime.utcMilliseconds(order.updatedAt)),
            "orderFulfillmentStatus": .string(fulfillment),
            "orderPaymentStatus": .string(
                order.isCancelled ? (paid ? "FULLY_REFUNDED" : "FAILED") : paid ? "PAID" : "PENDING"),
            "sellerId": .string("haus_und_hof_shop"),
            "buyer": .fields([
                "username": .string(username),
                "taxAddress": .fields([
                    "postalCode": .string(buyer.city.postalCode), "countryCode": .string(buyer.country.code),
                ]),
                "buyerRegistrationAddress": .fields([
                    "fullName": .string(buyer.name),
                    "email": .string(order.customer.email),
                    "contactAddress": Self.contactAddress(buyer),
                    "primaryPhone": buyer.phone.map { .fields(["phoneNumber": .string($0)]) } ?? .fields([:]),
                ]),
            ]),
            "pricingSummary": .object(JSONObject(pricing)),
            "cancelStatus": .fields([
                "cancelState": .string(order.isCancelled ? "CANCELED" : "NONE_REQUESTED"),
                "cancelRequests": .array(cancelRequests),
            ]),
            "paymentSummary": .fields([
                "totalDueSeller": Self.amount(order.grand),
                "refunds": .array([]),
                "payments": .array(
                    paid
                        ? [
                            .fields([
                                "paymentMethod": .string("EBAY"),
                                "paymentReferenceId": .string(random.characters(8, from: "0123456789ABCDEF")),
                                "paymentDate": .string(SampleTime.utcMilliseconds(order.placedAt.adding(seconds: 2))),
                                "amount": Self.amount(order.grand),
                                "paymentStatus": .string("PAID"),
                            ])
                        ] : []),
            ]),
            "fulfillmentStartInstructions": .array([
                .fields([
                    "fulfillmentInstructionsType": .string("SHIP_TO"),
                    "minEstimatedDeliveryDate": .string(SampleTime.utcMilliseconds(shipBy.adding(seconds: 86_401))),
                    "maxEstimatedDeliveryDate": .string(
                        SampleTime.utcMilliseconds(shipBy.adding(seconds: 3 * 86_400 + 1))),
                    "ebaySupportedFulfillment": .bool(false),
                    "shippingStep": .fields([
                        "shipTo": .fields([
                            "fullName": .string(shipTo.name),
                            "companyName": .text(shipTo.company),
                            "contactAddress": Self.contactAddress(shipTo),
                            "primaryPhone": shipTo.phone.map { .fields(["phoneNumber": .string($0)]) } ?? .fields([:]),
                            "email": .string(random.characters(12, from: "0123456789abcdef") + "@members.ebay.com"),
                        ]),
                        "shippingCarrierCode": .string(order.parcel?.carrier.rawValue ?? "DHL"),
                        "shippingServiceCode": .string(site == "EBAY_CH" ? "CH_PostPriority" : "DE_DHLPaket"),
                    ]),
                ])
            ]),
            "fulfillmentHrefs": .array(
                order.parcel.map { parcel in
                    [
                        .string(
                            "https://api.ebay.com/sell/fulfillment/v1/order/\(orderID)"
                                + "/shipping_fulfillment/\(parcel.trackingNumber)")
                    ]
                } ?? []),
            "lineItems": .array(
                order.lines.map {
                    Self.lineItem($0, order, site: site, shipBy: shipBy, fulfillment: fulfillment, &random)
                }),
            "salesRecordReference": .string(String(order.runningNumber)),
            "totalFeeBasisAmount": Self.amount(order.grand),
            "totalMarketplaceFee": Self.amount(SampleMoney.percent(11, of: order.grand)),
        ])
    }

    private static func lineItem(
        _ line: SampleLine, _ order: SampleOrder, site: String, shipBy: UTCTimestamp,
        fulfillment: String, _ random: inout SplitMix64
    ) -> JSONValue {
        let shipping = line.position == 1 ? order.shipping : .zero(order.currency)
        let paid = line.total - line.discount
        return .fields([
            "lineItemId": .string(String(order.lineID(line) % 100_000_000_000)),
            "legacyItemId": .string(String(productNumber(line.product.sku, base: 110_000_000_000))),
            "sku": .string(line.product.sku),
            "title": .string(line.product.fullTitle),
            "lineItemCost": amount(line.total),
            "discountedLineItemCost": amount(paid),
            "quantity": .integer(line.quantity),
            "soldFormat": .string("FIXED_PRICE"),
            "listingMarketplaceId": .string(site),
            "purchaseMarketplaceId": .string(site),
            "lineItemFulfillmentStatus": .string(fulfillment),
            "total": amount(paid + shipping),
            "deliveryCost": .fields(["shippingCost": amount(shipping)]),
            "appliedPromotions": .array(
                order.discount.map { discount in
                    [
                        .fields([
                            "promotionId": .string(String(random.int(in: 5000...5999))),
                            "description": .string(discount.title),
                            "discountAmount": amount(line.discount),
                        ])
                    ]
                } ?? []),
            "taxes": .array([]),
            "lineItemFulfillmentInstructions": .fields([
                "shipByDate": .string(SampleTime.utcMilliseconds(shipBy)),
                "guaranteedDelivery": .bool(false),
            ]),
        ])
    }

    private static func contactAddress(_ address: SampleAddress) -> JSONValue {
        .fields([
            "addressLine1": .string(address.line1),
            "addressLine2": .text(address.addition),
            "city": .string(address.city.name),
            "stateOrProvince": .text(address.city.regionCode),
            "postalCode": .string(address.city.postalCode),
            "countryCode": .string(address.country.code),
        ])
    }

    private static func amount(_ money: Money) -> JSONValue {
        .fields(["value": .amount(money), "currency": .string(money.currency.code)])
    }
}
