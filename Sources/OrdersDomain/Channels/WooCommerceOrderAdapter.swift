// Channel "woocommerce": the WooCommerce REST API v3 order object (the order webhook body has the same shape).
//
// Decisions (SPEC 3.3 leaves these to the adapter):
// - externalId `id`; number `number` (a renumbering plugin may make it differ from id); all money in the order-level
//   `currency` (no per-field currency in Woo).
// - times from the `*_gmt` twins (UTC without a zone); the site-local `date_created` is used only if it carries a
//   zone itself. placedAt `date_created_gmt` (else `date_modified_gmt`, `date_completed_gmt`, the received time:
//   marked in channelStatus.placedAtGuessed), updatedAt `date_modified_gmt`; shipBy = placedAt + handling time.
// - lines: total = `subtotal` (before discounts, as in every channel: coupons are order-level, in discount_total;
//   Woo's own line `total` after discounts is the fallback); unitPrice = total / quantity, rounded half-even when it
//   does not divide exactly. `price` is a JSON number that may carry more digits than the
//   currency (12.6666), so it is only the fallback when `subtotal` is missing. Titles: HTML entities decoded, NFC.
// - totals: items = sum of line `subtotal`s (before discounts; else the line totals); shipping `shipping_total`;
//   discount `discount_total` (net of tax, as Woo reports it); tax `total_tax`; grand `total`. fee_lines are not
//   broken out (they are in `total`).
// - Lines are goods to pick: fee_lines (tips, surcharges, duties added by plugins) are no lines, only in grand. Woo
//   does not mark a gift card sold through a plugin: it stays a product line.
// - status (one axis, `status`): pending, on-hold, failed, checkout-draft, trash -> received (raw kept);
//   processing -> paid (Woo: payment received, awaiting fulfilment; nothing says packing started);
//   completed -> shipped (Woo "completed" = fulfilled; Woo knows nothing of delivery); cancelled -> cancelled;
//   refunded -> refunded. cancelledBy stays null: Woo does not say who cancelled.
//   channelStatus {"status": ..., "refunds_total": "-19.00" (sum of refunds[].total, negative as Woo gives it;
//   only when refunds exist)}.
// - customer: billing email (Text.email), billing name (else shipping name); locale null (Woo orders carry no
//   language: the mail language follows the shipping country).
// - discountCodes: `coupon_lines[]`, `code` with `discount` (net of tax, like discount_total).
public struct WooCommerceOrderAdapter: OrderAdapter {
    public let channel = "woocommerce"

    public init() {}

    public func normalize(_ order: Node, context: NormalizationContext) throws -> CanonicalOrder {
        let externalId = try order["id"].id()
        let currency = try order["currency"].requiredCurrency()
        let placedAt = try Self.placedAt(order, context)
        let updatedAt = try Self.time(order, "date_modified")
        let (lines, subtotalSum) = try Self.lines(order, currency)
        return CanonicalOrder(
            channel: channel, externalId: externalId, number: order["number"].cleanText,
            placedAt: placedAt, updatedAt: updatedAt,
            shipBy: context.shipBy(promised: nil, placedAt: placedAt.instant),  // Woo makes no promise
            currency: currency, totals: try Self.totals(order, items: subtotalSum, currency), lines: lines,
            parties: Self.parties(order), status: try Self.status(order, currency),
            shipments: [], apiVersion: "wc/v3", discountCodes: try Self.discountCodes(order, currency))
    }

    static func discountCodes(_ order: Node, _ currency: Currency) throws -> [DiscountCode] {
        var list = DiscountCodeList(field: order["coupon_lines"])
        for coupon in try order["coupon_lines"].elements() {
            try list.add(
                try coupon["code"].discountCode(), amount: try coupon["discount"].money(currency),
                at: coupon["discount"])
        }
        return list.codes
    }

    /// The lines, and the sum of their subtotals (before discounts; else their totals).
    static func lines(_ order: Node, _ currency: Currency) throws -> ([OrderLine], Money) {
        let lineNodes = try order["line_items"].elements()
        var lines: [OrderLine] = []
        lines.reserveCapacity(lineNodes.count)
        var subtotalSum = Money.zero(currency)
        for line in lineNodes {
            let quantity = try line["quantity"].quantity()
            // Before discounts: unit price x quantity is the line total. The total after discounts is still read, so
            // a malformed one is refused.
            let afterDiscounts = try line["total"].money(currency)
            guard let total = try line["subtotal"].money(currency) ?? afterDiscounts else {
                throw line["total"].error(.missingField, "required total")
            }
            let unitPrice = unitPrice(line, before: total, quantity: quantity, currency)
            subtotalSum = try order["line_items"].adding(subtotalSum, total)
            lines.append(
                OrderLine(
                    lineId: try line["id"].optionalID(), sku: line["sku"].cleanText, title: Self.decoded(line["name"]),
                    quantity: quantity, unitPrice: unitPrice, total: total))
        }
        return (lines, subtotalSum)
    }

    /// `base` / quantity when exact; else `price` when it has no sub-minor digits; else the rounded quotient.
    static func unitPrice(_ line: Node, before base: Money, quantity: Int64, _ currency: Currency) -> Money {
        if let exact = base.dividedEvenly(by: quantity) { return exact }
        if let price = (try? line["price"].money(currency)) ?? nil { return price }
        return base.dividedRoundingHalfEven(by: quantity) ?? base
    }

    /// fee_lines are not broken out: they are only in `total`.
    static func totals(_ order: Node, items: Money, _ currency: Currency) throws -> Totals {
        let shipping = try order["shipping_total"].money(currency) ?? .zero(currency)
        let discount = try order["discount_total"].money(currency) ?? .zero(currency)
        let tax = try order["total_tax"].money(currency) ?? .zero(currency)
        let grand = try order["total"].requiredMoney(currency)
        return Totals(items: items, shipping: shipping, discount: discount, tax: tax, grand: grand)
    }

    /// One axis, `status`; Woo does not say who cancelled.
    static func status(_ order: Node, _ currency: Currency) throws -> ResolvedStatus {
        let status: OrderStatus
        switch order["status"].cleanText {
        case "processing"?: status = .paid
        case "completed"?: status = .shipped
        case "cancelled"?: status = .cancelled
        case "refunded"?: status = .refunded
        default: status = .received  // pending, on-hold, failed, checkout-draft, trash, unknown
        }
        var channelStatus = JSONObject([("status", order["status"].rawOrNull)])
        let refunds = try order["refunds"].elements()
        if !refunds.isEmpty {
            var refunded = Money.zero(currency)
            for refund in refunds {
                if let amount = try refund["total"].money(currency) {
                    refunded = try order["refunds"].adding(refunded, amount)
                }
            }
            channelStatus["refunds_total"] = .string(refunded.decimalString)
        }
        return ResolvedStatus(status: status, cancelledBy: nil, channelStatus: channelStatus)
    }

    static func parties(_ order: Node) -> OrderParties {
        let billing = Self.address(order["billing"])
        let shippingAddress = Self.address(order["shipping"])
        let customer = Customer(
            email: Text.email(order["billing"]["email"].cleanText),
            name: billing?.name ?? shippingAddress?.name)
        return OrderParties(customer: customer, shippingAddress: shippingAddress, billingAddress: billing)
    }

    /// `date_created`, else `date_modified`, `date_completed`, else when the message was received (a guess).
    static func placedAt(_ order: Node, _ context: NormalizationContext) throws -> PlacedAt {
        if let created = try time(order, "date_created") { return PlacedAt(instant: created, guessedFrom: nil) }
        for key in ["date_modified", "date_completed"] {
            if let time = (try? time(order, key)) ?? nil { return PlacedAt(instant: time, guessedFrom: key + "_gmt") }
        }
        if let receivedAt = context.receivedAt { return PlacedAt(instant: receivedAt, guessedFrom: "received") }
        throw order["date_created_gmt"].error(.missingField, "required date_created_gmt")
    }

    /// `<key>_gmt` as zone-less UTC; else `<key>` only when it carries its own zone. Bad text -> invalidField.
    static func time(_ order: Node, _ key: String) throws -> UTCTimestamp? {
        let gmt = order[key + "_gmt"]
        if let text = gmt.cleanText {
            guard let time = UTCTimestamp(zonelessUTC: text) else {
                throw gmt.error(.invalidField, "not a date-time: \"\(text.prefix(40))\"")
            }
            return time
        }
        if let text = order[key].cleanText, let time = UTCTimestamp(rfc3339: text) { return time }
        return nil
    }

    /// Text with HTML entities decoded ("Ship Your Idea &ndash; ..."), NFC, trimmed.
    static func decoded(_ node: Node) -> String? {
        guard let text = node.cleanText else { return nil }
        return text.utf8.contains(UInt8(ascii: "&")) ? Text.clean(Text.decodeHTMLEntities(text)) : text
    }

    static func address(_ node: Node) -> Address? {
        guard case .object? = node.value else { return nil }
        let address = Address(
            name: Text.fullName(decoded(node["first_name"]), decoded(node["last_name"])),
            company: decoded(node["company"]),
            line1: decoded(node["address_1"]),
            line2: decoded(node["address_2"]),
            postalCode: node["postcode"].cleanText,
            city: decoded(node["city"]),
            region: decoded(node["state"]),
            country: Text.countryAlpha2(node["country"].cleanText),
            phone: node["phone"].cleanText)
        return address == Address() ? nil : address
    }
}
