// Channel "shopify": the order webhook body (orders/create, updated, paid, fulfilled, cancelled), i.e. the bare
// Shopify order object, or the REST wrapper {"order": {...}}. Nothing else is unwrapped (a refund or fulfillment
// body is refused because it lacks the order's fields).
//
// Decisions (SPEC 3.3 leaves these to the adapter):
// - externalId: the digits of `admin_graphql_api_id` ("gid://shopify/Order/NNN"), else `id` read as its literal
//   text. JSON producers that went through a double corrupt `id` (820982911946154500 vs gid ...508); the gid is a
//   string and survives. Line ids and fulfillment ids follow the same rule.
// - number: `name` ("#1001"), else `order_number`.
// - currency: `presentment_currency` (what the buyer paid in), else `currency` (the shop's). Every amount is read
//   from its `*_set.presentment_money.amount` twin when present, else from the plain (shop money) field. Payloads
//   with a presentment currency different from the shop currency carry the `*_set` twins; one that does not
//   (no `total_price_set`) stays in the shop currency, so shop amounts are never labelled with the buyer's currency.
// - totals.items = `total_line_items_price` (before discounts, = sum of price x quantity), else the sum of the line
//   totals; shipping = `total_shipping_price_set`, else the sum of `shipping_lines[].price` (removed lines skipped);
//   discount = `total_discounts`; tax = `total_tax`; grand = `total_price`, else items - discount + shipping
//   (+ tax unless `taxes_included`). Shopify's totals need not reconcile (docs sample: total_discounts 20.00 with no
//   discount listed); they are taken as given.
// - Lines are goods to pick. Not lines, but counted in grand: the tip (a line item "Tip" without product_id that
//   needs no shipping; `total_tip_received`, not in total_line_items_price), gift cards sold (`gift_card: true`:
//   taken out of totals.items), duties (`original_total_duties_set`, order-level). grand = `total_price` includes
//   them; when derived, they are added.
// - line total = unit price x quantity (before discounts; discounts stay order-level). Title = `name` (includes the
//   variant, "IPod Nano - 8gb - green"), else `title`. quantity = the ordered `quantity` (not current_quantity).
// - status from financial_status (pending/partially_paid/voided/expired -> received; authorized/paid/
//   partially_refunded -> paid; refunded -> refunded), fulfillment_status (partial -> partially_shipped;
//   fulfilled -> shipped, or delivered when every live fulfillment has shipment_status "delivered"),
//   cancelled_at (set -> cancelled). closed_at (archived) does not move the lifecycle. Unknown values -> received.
//   channelStatus keeps financial_status, fulfillment_status, cancelled_at, cancel_reason, closed_at (nulls kept).
// - cancelledBy (only when cancelled): cancel_reason "customer" -> customer; inventory, declined, staff, fraud,
//   other -> merchant; absent or unknown -> null (we do not guess who cancelled).
// - placedAt: created_at, else processed_at; else updated_at, closed_at, the received time (a stand-in, marked in
//   channelStatus.placedAtGuessed with its source). shipBy: Shopify makes no promise -> placedAt + handling time.
// - region: province_code ("KY"), else province. Country: country_code, else country, via Text.countryAlpha2.
// - customer: e-mail from `email`, `contact_email`, `customer.email` (first usable one); name from customer{},
//   else the billing/shipping name; locale = customer_locale as given ("de-DE"), else null.
// - shipments: one per embedded fulfillment that carries tracking and is not cancelled/error/failure
//   (see ShopifyFulfillmentShipmentAdapter.shipment(from:orderID:)).
// - discountCodes: the `discount_applications` of type "discount_code" (amount = the sum of the line and shipping
//   `discount_allocations` that point at it, in the buyer's currency), then `discount_codes[]` (code and `amount`;
//   that amount is shop money, so it is used only when the shop's currency is the order's). Automatic and manual
//   discounts carry no code and are not listed.
public struct ShopifyOrderAdapter: OrderAdapter {
    public let channel = "shopify"

    public init() {}

    public func normalize(_ root: Node, context: NormalizationContext) throws -> CanonicalOrder {
        let order = root.unwrapping("order")
        let externalId = try Self.preferredID(order, type: "Order")
        let money = try MoneyReader(order)
        let placedAt = try context.placedAt(
            [order["created_at"], order["processed_at"]], fallbacks: [order["updated_at"], order["closed_at"]],
            missing: order["created_at"].error(.missingField, "required created_at (or processed_at)"))
        let updatedAt = try order["updated_at"].timestamp()
        let (lines, lineSum, giftCards) = try Self.lines(order, money)
        let totals = try Self.totals(order, lineSum: lineSum, giftCards: giftCards, money)
        let fulfillmentNodes = try order["fulfillments"].elements()
        return CanonicalOrder(
            channel: channel, externalId: externalId,
            number: order["name"].cleanText ?? order["order_number"].cleanText,
            placedAt: placedAt, updatedAt: updatedAt,
            shipBy: context.shipBy(promised: nil, placedAt: placedAt.instant),  // Shopify makes no promise
            currency: money.currency, totals: totals, lines: lines, parties: Self.parties(order),
            status: Self.status(order, fulfillments: fulfillmentNodes),
            shipments: try Self.shipments(fulfillmentNodes, orderID: externalId),
            apiVersion: order["api_version"].cleanText ?? root["api_version"].cleanText,
            discountCodes: try Self.discountCodes(order, money))
    }

    /// The codes of `discount_applications` (with what their allocations took off) and of `discount_codes`.
    static func discountCodes(_ order: Node, _ money: MoneyReader) throws -> [DiscountCode] {
        var list = DiscountCodeList(field: order["discount_codes"])
        let applications = try order["discount_applications"].elements()
        if !applications.isEmpty {
            var allocated: [Int64: Money] = [:]
            for owner in ["line_items", "shipping_lines"] {
                for item in try order[owner].elements() {
                    for allocation in try item["discount_allocations"].elements() {
                        guard let index = try allocation["discount_application_index"].int(),
                            let amount = try money.amount(allocation, "amount", "amount_set")
                        else { continue }
                        allocated[index] = try allocation["amount"].adding(
                            allocated[index] ?? .zero(money.currency), amount)
                    }
                }
            }
            for (index, application) in applications.enumerated() where application["type"].cleanText == "discount_code"
            {
                try list.add(
                    try application["code"].discountCode(), amount: allocated[Int64(index)], at: application["code"],
                    summing: false)
            }
        }
        let shopMoney = (try order["currency"].currency() ?? money.currency) == money.currency
        for entry in try order["discount_codes"].elements() {
            let amount = shopMoney ? try entry["amount"].money(money.currency) : nil
            try list.add(try entry["code"].discountCode(), amount: amount, at: entry["amount"], summing: false)
        }
        return list.codes
    }

    /// The order currency and which of Shopify's twin amounts are read in it.
    struct MoneyReader {
        let currency: Currency
        /// Amounts come from the `*_set.presentment_money` twins (the buyer's currency) when present.
        let presentment: Bool

        /// The buyer's (presentment) currency, with the amounts of the `*_set.presentment_money` twins. Should a
        /// payload name a presentment currency other than the shop's but carry no twins (no such payload is known),
        /// the plain amounts are shop money: then the order stays in the shop currency rather than labelling shop
        /// amounts with the buyer's currency.
        init(_ order: Node) throws {
            let shopCurrency = try order["currency"].currency()
            let presentmentCurrency = try order["presentment_currency"].currency()
            if let presentmentCurrency,
                shopCurrency == nil || shopCurrency == presentmentCurrency
                    || order["total_price_set"]["presentment_money"]["amount"].exists
            {
                currency = presentmentCurrency
                presentment = true
            } else if let shopCurrency {
                currency = shopCurrency
                presentment = false
            } else {
                let reason =
                    order["refund_line_items"].exists || order["order_id"].exists
                    ? "missing currency (this looks like a refund or fulfillment body, not an order)"
                    : "missing currency (neither presentment_currency nor currency is given)"
                throw order["currency"].error(.missingField, reason)
            }
        }

        func amount(_ object: Node, _ key: String, _ setKey: String) throws -> Money? {
            try ShopifyOrderAdapter.amount(object, key, setKey, currency, presentment: presentment)
        }
    }

    /// The lines (total = unit price x quantity, before discounts), the sum of their totals, and what the gift
    /// cards sold in the order cost. Tips and gift cards are no goods to pick: not lines.
    static func lines(_ order: Node, _ money: MoneyReader) throws -> ([OrderLine], Money, giftCards: Money) {
        let lineNodes = try order["line_items"].elements()
        var lines: [OrderLine] = []
        lines.reserveCapacity(lineNodes.count)
        var lineSum = Money.zero(money.currency)
        var giftCards = Money.zero(money.currency)
        for line in lineNodes {
            let quantity = try line["quantity"].quantity()
            guard let unitPrice = try money.amount(line, "price", "price_set") else {
                throw line["price"].error(.missingField, "required price")
            }
            let total = try line["price"].multiplying(unitPrice, by: quantity)
            if Self.isTip(line) { continue }
            if (try? line["gift_card"].bool()) == true {
                giftCards = try order["line_items"].adding(giftCards, total)
                continue
            }
            lineSum = try order["line_items"].adding(lineSum, total)
            lines.append(
                OrderLine(
                    lineId: try Self.optionalID(line, type: "LineItem"), sku: line["sku"].cleanText,
                    title: line["name"].cleanText ?? line["title"].cleanText,
                    quantity: quantity, unitPrice: unitPrice, total: total))
        }
        return (lines, lineSum, giftCards)
    }

    /// The tip a buyer added at checkout: a line item "Tip" of no product that needs no shipping (its amount is
    /// also `total_tip_received`).
    static func isTip(_ line: Node) -> Bool {
        !line["product_id"].exists && (try? line["requires_shipping"].bool()) == false
            && (line["title"].cleanText ?? line["name"].cleanText)?.lowercased() == "tip"
    }

    /// Shopify's totals need not reconcile; they are taken as given. Gift cards sold are taken out of the items
    /// total (they are in total_line_items_price, but no lines); tips are not in it. Both stay in grand.
    static func totals(_ order: Node, lineSum: Money, giftCards: Money, _ money: MoneyReader) throws -> Totals {
        let currency = money.currency
        let givenItems = try money.amount(order, "total_line_items_price", "total_line_items_price_set")
        let items = try givenItems.map { try order["total_line_items_price"].subtracting($0, giftCards) } ?? lineSum
        let shipping = try Self.shippingTotal(order, currency, presentment: money.presentment)
        let discount = try money.amount(order, "total_discounts", "total_discounts_set") ?? .zero(currency)
        let tax = try money.amount(order, "total_tax", "total_tax_set") ?? .zero(currency)
        let grand: Money
        if let given = try money.amount(order, "total_price", "total_price_set") {
            grand = given
        } else {
            let field = order["total_price"]
            var sum = try field.adding(try field.subtracting(items, discount), shipping)
            if (try? order["taxes_included"].bool()) != true { sum = try field.adding(sum, tax) }
            let tip = try order["total_tip_received"].money(currency) ?? .zero(currency)
            let duties = try money.amount(order, "total_duties", "original_total_duties_set") ?? .zero(currency)
            grand = try field.adding(try field.adding(try field.adding(sum, giftCards), tip), duties)
        }
        return Totals(items: items, shipping: shipping, discount: discount, tax: tax, grand: grand)
    }

    /// financial_status, fulfillment_status and cancelled_at; closed_at (archived) does not move the lifecycle.
    static func status(_ order: Node, fulfillments: [Node]) -> ResolvedStatus {
        let isCancelled = order["cancelled_at"].exists
        var candidates: [OrderStatus] = []
        switch order["financial_status"].cleanText {
        case "authorized"?, "paid"?, "partially_refunded"?: candidates.append(.paid)
        case "refunded"?: candidates.append(.refunded)
        default: break  // pending, partially_paid, voided, expired, unknown -> received
        }
        switch order["fulfillment_status"].cleanText {
        case "partial"?: candidates.append(.partiallyShipped)
        case "fulfilled"?: candidates.append(Self.allDelivered(fulfillments) ? .delivered : .shipped)
        default: break  // null, restocked, unknown -> received
        }
        if isCancelled { candidates.append(.cancelled) }
        var cancelledBy: CancelledBy?
        if isCancelled {
            switch order["cancel_reason"].cleanText {
            case "customer"?: cancelledBy = .customer
            case "inventory"?, "declined"?, "staff"?, "fraud"?, "other"?: cancelledBy = .merchant
            default: cancelledBy = nil  // we do not guess who cancelled
            }
        }
        return ResolvedStatus(
            status: OrderStatus.resolve(candidates), cancelledBy: cancelledBy,
            channelStatus: JSONObject([
                ("financial_status", order["financial_status"].rawOrNull),
                ("fulfillment_status", order["fulfillment_status"].rawOrNull),
                ("cancelled_at", order["cancelled_at"].rawOrNull),
                ("cancel_reason", order["cancel_reason"].rawOrNull),
                ("closed_at", order["closed_at"].rawOrNull),
            ]))
    }

    static func parties(_ order: Node) -> OrderParties {
        let shippingAddress = Self.address(order["shipping_address"])
        let billingAddress = Self.address(order["billing_address"])
        let customerNode = order["customer"]
        let email =
            Text.email(order["email"].cleanText)
            ?? Text.email(order["contact_email"].cleanText)
            ?? Text.email(customerNode["email"].cleanText)
        let name =
            Text.fullName(customerNode["first_name"].cleanText, customerNode["last_name"].cleanText)
            ?? billingAddress?.name ?? shippingAddress?.name
        return OrderParties(
            customer: Customer(email: email, name: name, locale: Text.localeTag(order["customer_locale"].cleanText)),
            shippingAddress: shippingAddress, billingAddress: billingAddress)
    }

    /// The embedded fulfillments that carry tracking.
    static func shipments(_ fulfillments: [Node], orderID: String) throws -> [CanonicalShipment] {
        try fulfillments.filter(ShopifyFulfillmentShipmentAdapter.isLiveShipment).map {
            try ShopifyFulfillmentShipmentAdapter.shipment(from: $0, orderID: orderID)
        }
    }

    // MARK: - Shopify helpers (also used by ShopifyFulfillmentShipmentAdapter)

    /// The numeric id of a Shopify object of GraphQL type `type` ("Order", "LineItem", "Fulfillment"): the digits
    /// of `admin_graphql_api_id` ("gid://shopify/Order/820982911946154508"), else `id` as its literal text.
    /// Missing both -> missingField "id". A gid of another type (a refund's) does not count.
    static func preferredID(_ object: Node, type: String) throws -> String {
        if let digits = gidDigits(object["admin_graphql_api_id"].value, type: type) { return digits }
        return try object["id"].id()
    }

    /// Like `preferredID` but nil when missing (line ids are optional); control characters are still refused.
    static func optionalID(_ object: Node, type: String) throws -> String? {
        if let digits = gidDigits(object["admin_graphql_api_id"].value, type: type) { return digits }
        return try object["id"].optionalID()
    }

    /// "gid://shopify/<type>/123" -> "123"; nil unless the text after the prefix is 1...19 ASCII digits.
    static func gidDigits(_ value: JSONValue?, type: String) -> String? {
        guard case .string(var gid)? = value else { return nil }
        let typeBytes = type.utf8
        let prefixLength = 14 + typeBytes.count + 1  // "gid://shopify/" + type + "/"
        return gid.withUTF8 { bytes -> String? in
            let digitCount = bytes.count - prefixLength
            guard digitCount >= 1, digitCount <= 19,
                bytes.prefix(14).elementsEqual("gid://shopify/".utf8),
                bytes[14..<14 + typeBytes.count].elementsEqual(typeBytes),
                bytes[prefixLength - 1] == UInt8(ascii: "/")
            else { return nil }
            let digits = UnsafeBufferPointer(rebasing: bytes[prefixLength...])
            guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return String(decoding: digits, as: UTF8.self)
        }
    }

    /// `<setKey>.presentment_money.amount` when reading presentment money and it is there, else `<key>`.
    static func amount(
        _ object: Node, _ key: String, _ setKey: String, _ currency: Currency,
        presentment: Bool
    ) throws -> Money? {
        if presentment {
            let twin = object[setKey]["presentment_money"]["amount"]
            if twin.exists { return try twin.money(currency) }
        }
        return try object[key].money(currency)
    }

    static func shippingTotal(_ order: Node, _ currency: Currency, presentment: Bool) throws -> Money {
        let set = order["total_shipping_price_set"][presentment ? "presentment_money" : "shop_money"]["amount"]
        if set.exists { return try set.requiredMoney(currency) }
        var sum = Money.zero(currency)
        for line in try order["shipping_lines"].elements() {
            if (try? line["is_removed"].bool()) == true { continue }
            if let price = try amount(line, "price", "price_set", currency, presentment: presentment) {
                sum = try order["shipping_lines"].adding(sum, price)
            }
        }
        return sum
    }

    static func address(_ node: Node) -> Address? {
        guard case .object? = node.value else { return nil }
        let address = Address(
            name: node["name"].cleanText ?? Text.fullName(node["first_name"].cleanText, node["last_name"].cleanText),
            company: node["company"].cleanText,
            line1: node["address1"].cleanText,
            line2: node["address2"].cleanText,
            postalCode: node["zip"].cleanText,
            city: node["city"].cleanText,
            region: node["province_code"].cleanText ?? node["province"].cleanText,
            country: Text.countryAlpha2(node["country_code"].cleanText ?? node["country"].cleanText),
            phone: node["phone"].cleanText)
        return address == Address() ? nil : address
    }

    /// Every fulfillment that counts has shipment_status "delivered" (and there is at least one).
    static func allDelivered(_ fulfillments: [Node]) -> Bool {
        var any = false
        for f in fulfillments {
            switch f["status"].cleanText {
            case "cancelled"?, "error"?, "failure"?: continue
            default: break
            }
            guard f["shipment_status"].cleanText == "delivered" else { return false }
            any = true
        }
        return any
    }
}
