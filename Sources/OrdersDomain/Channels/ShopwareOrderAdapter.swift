// Channel "shopware": a Shopware 6 order entity (Admin API / webhook / app-system JSON). The bare entity, or an
// app payload that carries it under "order" ({"source", "order", "orderTransaction"}).
//
// Decisions (SPEC 3.3 leaves these to the adapter):
// - Money is JSON floats with artefacts (197.505, 20826.300000000003): an amount given as a JSON number that looks
//   like a printed double (no exponent, at most 17 significant digits) is rounded half-even to the currency's minor
//   unit (Node.moneyRoundingFloatArtefacts). Only this channel does that. Amounts given as strings, and numbers of
//   another shape (1e-400), must be exact: "12.345" EUR is refused, not rounded.
// - externalId `id` (32-hex UUID); number `orderNumber`; currency `currency.isoCode` (the order's currency, the one
//   the buyer paid in; currencyFactor is only the rate to the system currency); without the `currency` association,
//   `currencyId` through ORDERFLOW_SHOPWARE_CURRENCIES (`<id>=EUR,...`), else refused (unknownCurrency naming
//   currencyId, saying what to configure).
// - placedAt `orderDateTime` (else `createdAt`; else `updatedAt` or the received time, marked in
//   channelStatus.placedAtGuessed); updatedAt `updatedAt`; shipBy = the earliest
//   `deliveries[].shippingDateLatest` (the shop's promise), else placedAt + handling time.
// - lines: top-level `lineItems[]` (children of a container, parentId set, are inside their parent's price).
//   Promotion/discount lines (type "promotion"/"discount", or a negative total) are not lines: their amount goes
//   to totals.discount. sku = payload.productNumber, title = label. Shopware has no tips or duties; a custom line
//   (a gift card of a plugin) stays a line.
// - totals: items = sum of the product line totals; shipping `shippingTotal` (else shippingCosts.totalPrice);
//   discount as above (>= 0); tax = sum of `price.calculatedTaxes[].tax`, else amountTotal - amountNet (refused
//   when negative); grand `amountTotal` (else price.totalPrice).
// - status from three state machines: order (open -> received, in_progress -> in_fulfilment,
//   completed -> shipped, cancelled -> cancelled), every transaction (authorized, paid, refunded_partially -> paid;
//   refunded -> refunded; open, in_progress, paid_partially, failed, cancelled, reminded, unconfirmed, chargeback
//   -> received) and the deliveries (shipped -> shipped, shipped_partially -> partially_shipped, returned and
//   returned_partially -> shipped (they did leave), open/cancelled -> received; several deliveries with only some
//   shipped -> partially_shipped). channelStatus {"order": "open", "transactions": [...], "deliveries": [...]}.
//   cancelledBy stays null: Shopware does not record who cancelled.
// - shipments: one per delivery in state shipped/shipped_partially that carries `trackingCodes` (the first code is
//   the tracking number; Shopware records no ship time, so shippedAt is null); shipmentId = the delivery id,
//   carrier = shippingMethod.name when the association is loaded, lines from `positions[]` (orderLineItemId,
//   quantity; sku looked up in lineItems).
// - addresses: billing from `billingAddress` (else the `addresses[]` entry with billingAddressId), shipping from
//   the first delivery's `shippingOrderAddress`. Country is `country.iso` as given (the demo data has a Berlin
//   address in GP: kept, not "corrected"). Region `countryState.name`.
// - customer: `orderCustomer` email (Text.email) and name; locale = language.locale.code (else
//   language.translationCode.code) as given ("de-DE"), else null.
// - discountCodes: the promotion line items' codes (`payload.code`, else `referencedId`), with what the line took
//   off; automatic promotions carry no code and are not listed.
public struct ShopwareOrderAdapter: OrderAdapter {
    public let channel = "shopware"

    public init() {}

    public func normalize(_ root: Node, context: NormalizationContext) throws -> CanonicalOrder {
        let order = root.unwrapping("order")
        let externalId = try order["id"].id()
        let currency = try Self.currency(order, context)
        let placedField = order["orderDateTime"].exists ? order["orderDateTime"] : order["createdAt"]
        let placedAt = try context.placedAt(
            [placedField], fallbacks: [order["updatedAt"]],
            missing: order["orderDateTime"].error(.missingField, "required orderDateTime (or createdAt)"))
        let updatedAt = try order["updatedAt"].timestamp()
        let lineItems = try LineItems(order, currency)
        let totals = try Self.totals(order, items: lineItems.items, discount: lineItems.discount, currency)
        let transactions = try order["transactions"].elements()
        let deliveries = try order["deliveries"].elements()
        let status = Self.status(order, transactions: transactions, deliveries: deliveries)
        let shipments = try deliveries.compactMap { try Self.shipment($0, orderID: externalId, skus: lineItems.skus) }
        // The shop's promise: the earliest latest shipping date of the deliveries.
        let promisedShipBy = deliveries.compactMap { (try? $0["shippingDateLatest"].timestamp()) ?? nil }.min()
        return CanonicalOrder(
            channel: channel, externalId: externalId, number: order["orderNumber"].cleanText,
            placedAt: placedAt, updatedAt: updatedAt,
            shipBy: context.shipBy(promised: promisedShipBy, placedAt: placedAt.instant),
            currency: currency, totals: totals, lines: lineItems.lines,
            parties: try Self.parties(order, deliveries: deliveries), status: status,
            shipments: shipments, apiVersion: "6", discountCodes: lineItems.codes.codes)
    }

    /// `currency.isoCode`, else `currencyId` through the configured map (Store-API and Admin-API results carry only
    /// the id unless the connector asks for the association).
    static func currency(_ order: Node, _ context: NormalizationContext) throws -> Currency {
        if let currency = try order["currency"]["isoCode"].currency() { return currency }
        let idField = order["currencyId"]
        guard let id = idField.cleanText else {
            throw order["currency"]["isoCode"].error(
                .missingField, "required currency (neither currency.isoCode nor currencyId is given)")
        }
        if let currency = context.shopwareCurrencies[id.lowercased()] { return currency }
        let shown = id.prefix(64)
        throw idField.error(
            .unknownCurrency,
            "currencyId \"\(shown)\" is not configured: add \(shown)=<ISO code> to ORDERFLOW_SHOPWARE_CURRENCIES, "
                + "or have the connector load the order's currency association")
    }

    /// The product lines, and what the promotion/discount lines take off.
    struct LineItems {
        var lines: [OrderLine] = []
        /// Line item id -> productNumber, for shipment lines.
        var skus: [String: String] = [:]
        var items: Money
        /// The positive amount the discount lines take off.
        var discount: Money
        /// The codes of the promotion lines.
        var codes: DiscountCodeList

        init(_ order: Node, _ currency: Currency) throws {
            items = .zero(currency)
            discount = .zero(currency)
            codes = DiscountCodeList(field: order["lineItems"])
            for line in try order["lineItems"].elements() {
                try add(line, sumField: order["lineItems"], currency)
            }
        }

        private mutating func add(_ line: Node, sumField: Node, _ currency: Currency) throws {
            let quantity = try line["quantity"].quantity()
            let lineID = try line["id"].optionalID()
            let sku = line["payload"]["productNumber"].cleanText
            if let lineID, let sku { skus[lineID] = sku }
            if line["parentId"].exists { return }  // inside its parent's price
            let unitField = line["unitPrice"].exists ? line["unitPrice"] : line["price"]["unitPrice"]
            let totalField = line["totalPrice"].exists ? line["totalPrice"] : line["price"]["totalPrice"]
            let unit = try unitField.moneyRoundingFloatArtefacts(currency)
            let givenTotal = try totalField.moneyRoundingFloatArtefacts(currency)
            let type = line["type"].cleanText
            if type == "promotion" || type == "discount" || (givenTotal?.isNegative ?? false) {
                if let amount = givenTotal ?? unit {
                    // Discount lines are negative; totals.discount is the positive amount taken off.
                    discount =
                        amount.isNegative
                        ? try totalField.subtracting(discount, amount) : try totalField.adding(discount, amount)
                }
                if type == "promotion" {
                    let code = try line["payload"]["code"].discountCode() ?? line["referencedId"].discountCode()
                    try codes.add(code, amount: givenTotal ?? unit, at: totalField)
                }
                return
            }
            guard let unitPrice: Money = unit ?? givenTotal?.dividedRoundingHalfEven(by: quantity) else {
                throw line["unitPrice"].error(.missingField, "required unitPrice")
            }
            let total: Money
            if let givenTotal { total = givenTotal } else { total = try unitField.multiplying(unitPrice, by: quantity) }
            items = try sumField.adding(items, total)
            lines.append(
                OrderLine(
                    lineId: lineID, sku: sku, title: line["label"].cleanText,
                    quantity: quantity, unitPrice: unitPrice, total: total))
        }
    }

    static func totals(_ order: Node, items: Money, discount: Money, _ currency: Currency) throws -> Totals {
        let shippingField =
            order["shippingTotal"].exists
            ? order["shippingTotal"] : order["shippingCosts"]["totalPrice"]
        let shipping: Money = try shippingField.moneyRoundingFloatArtefacts(currency) ?? Money.zero(currency)
        let grandField = order["amountTotal"].exists ? order["amountTotal"] : order["price"]["totalPrice"]
        guard let grand: Money = try grandField.moneyRoundingFloatArtefacts(currency) else {
            throw order["amountTotal"].error(.missingField, "required amountTotal")
        }
        var tax = Money.zero(currency)
        let calculatedTaxes = try order["price"]["calculatedTaxes"].elements()
        if !calculatedTaxes.isEmpty {
            for entry in calculatedTaxes {
                if let amount = try entry["tax"].moneyRoundingFloatArtefacts(currency) {
                    tax = try entry["tax"].adding(tax, amount)
                }
            }
        } else if let net = try order["amountNet"].moneyRoundingFloatArtefacts(currency) {
            tax = try order["amountNet"].subtracting(grand, net)
            guard !tax.isNegative else {
                throw order["amountNet"].error(
                    .malformedMoney,
                    "amountNet \(net.decimalString) is above amountTotal \(grand.decimalString): "
                        + "the tax would be negative"
                )
            }
        }
        return Totals(items: items, shipping: shipping, discount: discount, tax: tax, grand: grand)
    }

    /// Three state machines: the order's, every transaction's and the deliveries'. Shopware does not record who
    /// cancelled.
    static func status(_ order: Node, transactions: [Node], deliveries: [Node]) -> ResolvedStatus {
        var candidates: [OrderStatus] = []
        let orderState = order["stateMachineState"]["technicalName"]
        switch orderState.cleanText {
        case "in_progress"?: candidates.append(.inFulfilment)
        case "completed"?: candidates.append(.shipped)
        case "cancelled"?: candidates.append(.cancelled)
        default: break
        }
        var transactionStates: [JSONValue] = []
        for transaction in transactions {
            let state = transaction["stateMachineState"]["technicalName"]
            transactionStates.append(state.rawOrNull)
            switch state.cleanText {
            case "authorized"?, "paid"?, "refunded_partially"?: candidates.append(.paid)
            case "refunded"?: candidates.append(.refunded)
            default: break
            }
        }
        var deliveryStates: [JSONValue] = []
        var shipped = 0, partiallyShipped = 0, live = 0
        for delivery in deliveries {
            let state = delivery["stateMachineState"]["technicalName"]
            deliveryStates.append(state.rawOrNull)
            switch state.cleanText {
            case "shipped"?, "returned"?, "returned_partially"?: shipped += 1; live += 1
            case "shipped_partially"?: partiallyShipped += 1; live += 1
            case "cancelled"?: break
            default: live += 1
            }
        }
        if shipped > 0 && shipped == live {
            candidates.append(.shipped)
        } else if shipped + partiallyShipped > 0 {
            candidates.append(.partiallyShipped)
        }
        return ResolvedStatus(
            status: OrderStatus.resolve(candidates), cancelledBy: nil,
            channelStatus: JSONObject([
                ("order", orderState.rawOrNull),
                ("transactions", .array(transactionStates)),
                ("deliveries", .array(deliveryStates)),
            ]))
    }

    /// Billing from `billingAddress` (else the `addresses[]` entry with billingAddressId), shipping from the first
    /// delivery.
    static func parties(_ order: Node, deliveries: [Node]) throws -> OrderParties {
        var billing = Self.address(order["billingAddress"])
        if billing == nil, let billingID = order["billingAddressId"].cleanText {
            for candidate in try order["addresses"].elements()
            where candidate["id"].cleanText == billingID {
                billing = Self.address(candidate)
                break
            }
        }
        let shippingAddress = deliveries.isEmpty ? nil : Self.address(deliveries[0]["shippingOrderAddress"])
        let orderCustomer = order["orderCustomer"]
        let language = order["language"]
        let customer = Customer(
            email: Text.email(orderCustomer["email"].cleanText),
            name: Text.fullName(orderCustomer["firstName"].cleanText, orderCustomer["lastName"].cleanText)
                ?? billing?.name,
            locale: Text.localeTag(
                language["locale"]["code"].cleanText ?? language["translationCode"]["code"].cleanText))
        return OrderParties(customer: customer, shippingAddress: shippingAddress, billingAddress: billing)
    }

    /// A shipped delivery with a tracking code as a canonical shipment; nil for other deliveries.
    static func shipment(_ delivery: Node, orderID: String, skus: [String: String]) throws -> CanonicalShipment? {
        switch delivery["stateMachineState"]["technicalName"].cleanText {
        case "shipped"?, "shipped_partially"?: break
        default: return nil
        }
        var trackingNumber: String?
        for code in try delivery["trackingCodes"].elements() {
            if let text = code.cleanText { trackingNumber = text; break }
        }
        guard let trackingNumber, let deliveryID = try delivery["id"].optionalID() else { return nil }
        var lines: [ShipmentLine] = []
        for position in try delivery["positions"].elements() {
            let lineID = try position["orderLineItemId"].optionalID()
            lines.append(
                ShipmentLine(
                    sku: lineID.flatMap { skus[$0] }, lineId: lineID,
                    quantity: try position["quantity"].quantity()))
        }
        return CanonicalShipment(
            channel: "shopware", externalId: orderID, shipmentId: deliveryID,
            carrier: delivery["shippingMethod"]["translated"]["name"].cleanText
                ?? delivery["shippingMethod"]["name"].cleanText,
            trackingNumber: trackingNumber, trackingUrl: nil, shippedAt: nil, lines: lines)
    }

    static func address(_ node: Node) -> Address? {
        guard case .object? = node.value else { return nil }
        let line2: String?
        switch (
            node["additionalAddressLine1"].cleanText,
            node["additionalAddressLine2"].cleanText
        ) {
        case let (first?, second?): line2 = first + ", " + second
        case let (first, second): line2 = first ?? second
        }
        let address = Address(
            name: Text.fullName(node["firstName"].cleanText, node["lastName"].cleanText),
            company: node["company"].cleanText,
            line1: node["street"].cleanText,
            line2: line2,
            postalCode: node["zipcode"].cleanText,
            city: node["city"].cleanText,
            region: node["countryState"]["name"].cleanText,
            country: Text.countryAlpha2(
                node["country"]["iso"].cleanText
                    ?? node["country"]["name"].cleanText),
            phone: node["phoneNumber"].cleanText)
        return address == Address() ? nil : address
    }
}
