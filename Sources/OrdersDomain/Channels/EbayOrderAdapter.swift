// Channel "ebay": one order of the eBay Sell Fulfillment API (getOrder / an element of getOrders.orders).
//
// Decisions (SPEC 3.3 leaves these to the adapter):
// - currency = the buyer's: `pricingSummary.total.convertedFromCurrency` when present, else
//   `pricingSummary.total.currency` (then priceSubtotal, then the first line's lineItemCost). Every amount
//   {value, currency, convertedFromValue?, convertedFromCurrency?} is read in that currency: `convertedFromValue` when
//   `convertedFromCurrency` is the order currency, else `value` when `currency` is. An amount that exists only in
//   another currency cannot be converted: malformedMoney naming the field (zero is zero in any currency). Values
//   without fixed decimals ("7.8", "0.0") are exact decimals.
// - lines: lineItemCost is the cost of the whole quantity (before promotions): line total = lineItemCost,
//   unitPrice = total / quantity (exact; else rounded half-even, the total is kept). sku is optional (eBay lines
//   without a SKU exist); lineId = `lineItemId`; title = `title`.
// - totals: items = pricingSummary.priceSubtotal, else the sum of line totals; shipping = pricingSummary.deliveryCost,
//   else the sum of lines' deliveryCost.shippingCost; discount = |priceDiscount| + |deliveryDiscount| (eBay sends
//   them negative), else the sum of the lines' appliedPromotions[].discountAmount; tax = pricingSummary.tax, else the
//   sum of lines' taxes[].amount, else of their ebayCollectAndRemitTaxes[].amount; grand = pricingSummary.total,
//   else items - discount + shipping + tax. pricingSummary.fee (recycling fees) and adjustment are only in grand.
// - discountCodes: the lines' appliedPromotions[].promotionId (the seller's promotion), with its discountAmount
//   summed over the lines.
// - tips, gift cards sold, duties: none in the Fulfillment API; import charges and fees are only in grand.
// - marketplace-collected tax (the one rule of both marketplaces): grand is what the buyer paid, so eBay Collect and
//   Remit tax counts in tax and grand (eBay includes it in pricingSummary.total and repeats it in taxes[]: counted
//   once); its amount is noted in channelStatus.marketplaceCollectedTax, because the merchant does not owe it.
// - status from the three axes, by precedence:
//     orderFulfillmentStatus: NOT_STARTED -> received; IN_PROGRESS (some lines shipped) -> partially_shipped;
//       FULFILLED -> shipped.
//     orderPaymentStatus: PAID, PARTIALLY_REFUNDED -> paid; FULLY_REFUNDED -> refunded; PENDING, FAILED -> received.
//     cancelStatus.cancelState: CANCELED -> cancelled; NONE_REQUESTED, IN_PROGRESS (a request pending) -> received.
//   channelStatus: {"orderFulfillmentStatus", "orderPaymentStatus", "cancelState"} raw (nulls kept).
// - cancelledBy (only when cancelled): the initiator of the completed cancel request (else of the last one):
//   SELLER -> merchant, BUYER -> customer (any case); another initiator -> null; no request listed -> merchant (the
//   seller cancels through the API; eBay lists the buyer's requests).
// - times: placedAt `creationDate` (else `lastModifiedDate`, else the received time, either marked in
//   channelStatus.placedAtGuessed), updatedAt `lastModifiedDate`; shipBy = the earliest
//   lineItems[].lineItemFulfillmentInstructions.shipByDate, else placedAt + handling time.
// - shippingAddress = fulfillmentStartInstructions[0].shippingStep.shipTo (fullName, companyName, contactAddress,
//   primaryPhone.phoneNumber; `primaryPhone: {}` is no phone). billingAddress = buyer.buyerRegistrationAddress when
//   eBay discloses it (eBay has no billing address).
// - customer: email = buyerRegistrationAddress.email, else shipTo.email (an eBay relay address, still deliverable);
//   name = buyerRegistrationAddress.fullName, else shipTo.fullName; locale null (eBay gives no language: the mail
//   language follows the shipping country).
// - number = `salesRecordReference` (the seller's running sales record number) when given.
// - apiVersion "sell.fulfillment.v1".
public struct EbayOrderAdapter: OrderAdapter {
    public let channel = "ebay"

    public init() {}

    public func normalize(_ root: Node, context: NormalizationContext) throws -> CanonicalOrder {
        let order = root
        let externalId = try order["orderId"].id()
        let currency = try Self.orderCurrency(order)
        let placedAt = try context.placedAt(
            [order["creationDate"]], fallbacks: [order["lastModifiedDate"]],
            missing: order["creationDate"].error(.missingField, "required creationDate"))
        let updatedAt = try? order["lastModifiedDate"].timestamp()
        let lineNodes = try order["lineItems"].elements()
        let sums = try LineSums(lineNodes, sumField: order["lineItems"], currency)
        let promisedShipBy = lineNodes.compactMap {
            try? $0["lineItemFulfillmentInstructions"]["shipByDate"].timestamp()
        }.min()
        return CanonicalOrder(
            channel: channel, externalId: externalId, number: order["salesRecordReference"].cleanText,
            placedAt: placedAt, updatedAt: updatedAt,
            shipBy: context.shipBy(promised: promisedShipBy, placedAt: placedAt.instant),
            currency: currency, totals: try Self.totals(order["pricingSummary"], sums, currency), lines: sums.lines,
            parties: Self.parties(order),
            status: Self.status(order).noting(ResolvedStatus.marketplaceCollectedTaxKey, sums.collectedTax),
            shipments: [], apiVersion: "sell.fulfillment.v1", discountCodes: sums.codes.codes)
    }

    /// The lines, and what the lines add up to for when pricingSummary leaves a total out.
    struct LineSums {
        var lines: [OrderLine] = []
        var items, shipping, promotions, tax: Money
        /// Whether any line lists `taxes[]`.
        var taxesListed = false
        /// The lines' `appliedPromotions[].promotionId`, each with its discount summed over the lines.
        var codes: DiscountCodeList
        /// eBay Collect and Remit tax (`ebayCollectAndRemitTaxes[]`); nil when no line has any.
        var collectedTax: Money?

        init(_ lineNodes: [Node], sumField: Node, _ currency: Currency) throws {
            let zero = Money.zero(currency)
            (items, shipping, promotions, tax) = (zero, zero, zero, zero)
            codes = DiscountCodeList(field: sumField)
            lines.reserveCapacity(lineNodes.count)
            for line in lineNodes {
                let quantity = try line["quantity"].quantity()
                guard let total = try EbayOrderAdapter.amount(line["lineItemCost"], currency) else {
                    throw line["lineItemCost"].error(.missingField, "required lineItemCost")
                }
                items = try sumField.adding(items, total)
                if let amount = try EbayOrderAdapter.amount(line["deliveryCost"]["shippingCost"], currency) {
                    shipping = try sumField.adding(shipping, amount)
                }
                for promotion in (try? line["appliedPromotions"].elements()) ?? [] {
                    let amount = try EbayOrderAdapter.amount(promotion["discountAmount"], currency)
                    if let amount { promotions = try sumField.adding(promotions, amount.magnitude) }
                    try codes.add(
                        try promotion["promotionId"].discountCode(), amount: amount, at: promotion["discountAmount"])
                }
                for entry in (try? line["taxes"].elements()) ?? [] {
                    if let amount = try EbayOrderAdapter.amount(entry["amount"], currency) {
                        tax = try sumField.adding(tax, amount)
                        taxesListed = true
                    }
                }
                for entry in (try? line["ebayCollectAndRemitTaxes"].elements()) ?? [] {
                    if let amount = try EbayOrderAdapter.amount(entry["amount"], currency) {
                        collectedTax = try sumField.adding(collectedTax ?? zero, amount)
                    }
                }
                lines.append(
                    .pricedByTotal(
                        lineId: try line["lineItemId"].optionalID(), sku: line["sku"].cleanText,
                        title: line["title"].cleanText,
                        quantity: quantity, total: total))
            }
        }
    }

    /// pricingSummary's amounts, else the lines' sums; eBay sends the discounts negative.
    static func totals(_ pricing: Node, _ lines: LineSums, _ currency: Currency) throws -> Totals {
        let zero = Money.zero(currency)
        let items = try amount(pricing["priceSubtotal"], currency) ?? lines.items
        let shipping = try amount(pricing["deliveryCost"], currency) ?? lines.shipping
        let discount: Money
        let priceDiscount = try amount(pricing["priceDiscount"], currency)
        let deliveryDiscount = try amount(pricing["deliveryDiscount"], currency)
        if priceDiscount != nil || deliveryDiscount != nil {
            discount = try pricing.adding((priceDiscount ?? zero).magnitude, (deliveryDiscount ?? zero).magnitude)
        } else {
            discount = lines.promotions
        }
        // eBay lists a Collect and Remit tax in taxes[] too: counted once.
        let tax =
            try amount(pricing["tax"], currency) ?? (lines.taxesListed ? lines.tax : lines.collectedTax ?? lines.tax)
        let grand: Money
        if let total = try amount(pricing["total"], currency) {
            grand = total
        } else {
            let field = pricing["total"]
            grand = try field.adding(try field.adding(try field.subtracting(items, discount), shipping), tax)
        }
        return Totals(items: items, shipping: shipping, discount: discount, tax: tax, grand: grand)
    }

    /// The fulfillment, payment and cancel axes, by precedence.
    static func status(_ order: Node) -> ResolvedStatus {
        let cancelStatus = order["cancelStatus"]
        var candidates: [OrderStatus] = []
        switch order["orderFulfillmentStatus"].cleanText {
        case "IN_PROGRESS"?: candidates.append(.partiallyShipped)
        case "FULFILLED"?: candidates.append(.shipped)
        default: break  // NOT_STARTED, unknown -> received
        }
        switch order["orderPaymentStatus"].cleanText {
        case "PAID"?, "PARTIALLY_REFUNDED"?: candidates.append(.paid)
        case "FULLY_REFUNDED"?: candidates.append(.refunded)
        default: break  // PENDING, FAILED, unknown -> received
        }
        let isCancelled = cancelStatus["cancelState"].cleanText == "CANCELED"
        if isCancelled { candidates.append(.cancelled) }
        return ResolvedStatus(
            status: OrderStatus.resolve(candidates),
            cancelledBy: isCancelled ? Self.cancelledBy(cancelStatus) : nil,
            channelStatus: JSONObject([
                ("orderFulfillmentStatus", order["orderFulfillmentStatus"].rawOrNull),
                ("orderPaymentStatus", order["orderPaymentStatus"].rawOrNull),
                ("cancelState", cancelStatus["cancelState"].rawOrNull),
            ]))
    }

    /// Ship-to and the buyer's registration address (eBay has no billing address).
    static func parties(_ order: Node) -> OrderParties {
        let shipTo = order["fulfillmentStartInstructions"][0]["shippingStep"]["shipTo"]
        let registration = order["buyer"]["buyerRegistrationAddress"]
        let shippingAddress = Self.address(shipTo)
        let billingAddress = Self.address(registration)
        let email = Text.email(registration["email"].cleanText) ?? Text.email(shipTo["email"].cleanText)
        let name = registration["fullName"].cleanText ?? shipTo["fullName"].cleanText
        return OrderParties(
            customer: Customer(email: email, name: name),
            shippingAddress: shippingAddress, billingAddress: billingAddress)
    }

    // MARK: - eBay helpers

    /// The buyer's currency: convertedFromCurrency of the order total (else its currency), then the subtotal, then the
    /// first line's cost.
    static func orderCurrency(_ order: Node) throws -> Currency {
        let pricing = order["pricingSummary"]
        let amounts = [pricing["total"], pricing["priceSubtotal"], order["lineItems"][0]["lineItemCost"]]
        for amount in amounts where amount.exists {
            if let converted = try amount["convertedFromCurrency"].currency() { return converted }
            if let currency = try amount["currency"].currency() { return currency }
        }
        throw pricing["total"]["currency"].error(.missingField, "required currency (pricingSummary.total has none)")
    }

    /// An eBay Amount in the order currency (see the file comment); nil when absent or without a value.
    static func amount(_ node: Node, _ currency: Currency) throws -> Money? {
        guard node.exists else { return nil }
        guard case .object? = node.value else {
            throw node.error(.malformedMoney, "expected an amount object {value, currency}")
        }
        let convertedCurrency = try node["convertedFromCurrency"].currency()
        let sellerCurrency = try node["currency"].currency()
        if convertedCurrency == currency, node["convertedFromValue"].exists {
            return try node["convertedFromValue"].money(currency)
        }
        if sellerCurrency == currency || (sellerCurrency == nil && convertedCurrency == nil) {
            return try node["value"].money(currency)
        }
        // Only in another currency: acceptable when it is zero.
        let other = sellerCurrency ?? convertedCurrency ?? currency
        if let value = try node["value"].money(other) {
            guard value.minorUnits == 0 else {
                throw node.error(
                    .malformedMoney, "amount in \(other.code) has no value in the order currency \(currency.code)")
            }
        }
        return .zero(currency)
    }

    /// Who cancelled: the initiator of the completed request, else of the last one; none listed -> merchant.
    static func cancelledBy(_ cancelStatus: Node) -> CancelledBy? {
        let requests = (try? cancelStatus["cancelRequests"].elements()) ?? []
        guard !requests.isEmpty else { return .merchant }
        let chosen =
            requests.last { $0["cancelRequestState"].cleanText?.uppercased() == "COMPLETED" }
            ?? requests[requests.count - 1]
        switch chosen["cancelInitiator"].cleanText?.uppercased() {
        case "SELLER"?: return .merchant
        case "BUYER"?: return .customer
        default: return nil
        }
    }

    static func address(_ contact: Node) -> Address? {
        guard case .object? = contact.value else { return nil }
        let a = contact["contactAddress"]
        let address = Address(
            name: contact["fullName"].cleanText,
            company: contact["companyName"].cleanText,
            line1: a["addressLine1"].cleanText,
            line2: a["addressLine2"].cleanText,
            postalCode: a["postalCode"].cleanText,
            city: a["city"].cleanText,
            region: a["stateOrProvince"].cleanText,
            country: Text.countryAlpha2(a["countryCode"].cleanText),
            phone: contact["primaryPhone"]["phoneNumber"].cleanText)
        return address.isEmpty ? nil : address
    }
}
