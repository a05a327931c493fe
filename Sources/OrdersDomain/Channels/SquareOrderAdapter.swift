// Channel "pos": a Square Orders API order (point of sale). The bare order object, or a response wrapper
// {"order": {...}} as CreateOrder / RetrieveOrder / PayOrder return it.
//
// Decisions (SPEC 3.3 leaves these to the adapter):
// - Money is {"amount": <integer minor units>, "currency": "USD"}: taken exactly as minor units (JPY 550 = ¥550,
//   USD 550 = $5.50). The amount must be an integer (JSON integer or integer string); "5.5", "1e2" and out-of-range
//   values are malformedMoney naming "<field>.amount". An unknown code is unknownCurrency.
// - currency = `total_money.currency`, else `net_amounts.total_money.currency`, else the first line's
//   `base_price_money.currency`. Square keeps one currency per order (the location's); an amount in another currency
//   is malformedMoney (we cannot convert minor units between currencies), except zero, which is zero in any currency.
// - quantity is a decimal string ("2"). "2.000" counts as 2; a fractional quantity ("1.5", weight-based items) is
//   invalidField naming `line_items[i].quantity` (canonical quantities are whole units); negative is negativeQuantity.
// - line total = `gross_sales_money` (base price + modifiers, times quantity, before discounts and taxes), else
//   `variation_total_price_money` + the modifiers' `total_price_money`, else base price x quantity.
//   unitPrice = total / quantity (exact; else rounded half-even, the total is kept). title = `name`, with
//   " (variation_name)" when a variation name is given. sku = null: Square orders carry no SKU (catalog_object_id is a
//   catalog key, not a SKU). lineId = `uid`.
// - totals: items = sum of line totals; discount = `total_discount_money`; tax = `total_tax_money`; shipping = 0
//   (Square has no shipping amount; a delivery fee is a service charge). Tips (`total_tip_money`) and service charges
//   (`total_service_charge_money`) have no canonical bucket: they are only in grand. A gift card sold (line
//   `item_type` GIFT_CARD) is no goods to pick: not a line, not in items, only in grand. grand = `total_money`, else
//   items - discount + tax + tips + service charges (a gift card sold is missing from such an estimate).
// - status from four axes, by precedence:
//     state: OPEN, DRAFT -> received; CANCELED -> cancelled; COMPLETED -> delivered when the order has no live
//       fulfillment (a counter sale: paid and handed over), else paid (the fulfillments say how far it got).
//     tenders: paid when the paid tenders cover the grand total (a CARD tender counts when card_details.status is
//       CAPTURED; AUTHORIZED/VOIDED/FAILED do not; NO_SALE never; cash and other tender types count).
//     fulfillments (CANCELED/FAILED ones ignored): all COMPLETED -> shipped if any is a SHIPMENT, else delivered
//       (picked up / delivered); some COMPLETED -> partially_shipped; any RESERVED/PREPARED -> in_fulfilment.
//     refunds: APPROVED/COMPLETED refunds covering the grand total -> refunded.
//   channelStatus: {"state", "tenders": [{"type","card_status"}], "fulfillments": [{"type","state"}],
//   "refunds": [status]} with the raw values (nulls kept).
// - cancelledBy (only when cancelled): merchant. Square orders are cancelled by the seller's staff or app; the buyer
//   has no way to cancel a Square order.
// - placedAt `created_at` (else `updated_at`, `closed_at`, the received time: marked in channelStatus.placedAtGuessed),
//   updatedAt `updated_at`. shipBy = the earliest promise among live fulfillments
//   (shipment `expected_shipped_at`, pickup `pickup_at`, delivery `deliver_at`), else placedAt + handling time.
// - customer and address: from the fulfillments' recipient (shipment, then delivery, then pickup): email
//   `email_address`, name `display_name` (else the address first/last name); shippingAddress from a shipment or
//   delivery recipient's address. A counter sale has no customer data (only a `customer_id`): customer stays empty.
//   locale null (Square gives no language: the mail language follows the shipping country).
// - number = `reference_id` (the seller's own reference) when given.
// - shipments: one per SHIPMENT fulfillment that is COMPLETED or carries a tracking number (id = fulfillment uid).
// - apiVersion "orders-v2".
// - discountCodes: none. Square's `discounts[]` are catalog discounts with a name and a catalog object id, not a code
//   the buyer entered, so nothing in them can match a voucher.
public struct SquareOrderAdapter: OrderAdapter {
    public let channel = "pos"

    public init() {}

    public func normalize(_ root: Node, context: NormalizationContext) throws -> CanonicalOrder {
        let order = root.unwrapping("order")
        let externalId = try order["id"].id()
        let currency = try Self.orderCurrency(order)
        let placedAt = try context.placedAt(
            [order["created_at"]], fallbacks: [order["updated_at"], order["closed_at"]],
            missing: order["created_at"].error(.missingField, "required created_at"))
        let updatedAt = try? order["updated_at"].timestamp()
        let lineNodes = try order["line_items"].elements()
        let (lines, items) = try Self.lines(lineNodes, sumField: order["line_items"], currency)
        let totals = try Self.totals(order, items: items, currency)
        let fulfillments = try FulfillmentScan(order, orderID: externalId, lines: lineNodes)
        return CanonicalOrder(
            channel: channel, externalId: externalId, number: order["reference_id"].cleanText,
            placedAt: placedAt, updatedAt: updatedAt,
            shipBy: context.shipBy(promised: fulfillments.earliestPromise, placedAt: placedAt.instant),
            currency: currency, totals: totals, lines: lines, parties: fulfillments.parties,
            status: try Self.status(order, fulfillments, grand: totals.grand, currency),
            shipments: fulfillments.shipments, apiVersion: "orders-v2")
    }

    // MARK: - Lines and totals

    /// The lines, and the sum of their totals (the items total).
    static func lines(_ lineNodes: [Node], sumField: Node, _ currency: Currency) throws -> ([OrderLine], Money) {
        var lines: [OrderLine] = []
        lines.reserveCapacity(lineNodes.count)
        var itemsSum = Money.zero(currency)
        for line in lineNodes {
            let quantity = try Self.quantity(line["quantity"])
            let total = try Self.lineTotal(line, quantity: quantity, currency)
            if line["item_type"].cleanText == "GIFT_CARD" { continue }  // no goods: only in grand
            itemsSum = try sumField.adding(itemsSum, total)
            lines.append(
                .pricedByTotal(
                    lineId: try line["uid"].optionalID(), sku: nil, title: title(line), quantity: quantity, total: total
                ))
        }
        return (lines, itemsSum)
    }

    /// `name`, with " (variation_name)" when a variation name is given.
    static func title(_ line: Node) -> String? {
        let title = line["name"].cleanText
        guard let variation = line["variation_name"].cleanText else { return title }
        return title.map { $0 + " (" + variation + ")" } ?? variation
    }

    /// Square has no shipping amount; tips and service charges are only in grand.
    static func totals(_ order: Node, items: Money, _ currency: Currency) throws -> Totals {
        let zero = Money.zero(currency)
        let discount = try Self.money(order["total_discount_money"], currency) ?? zero
        let tax = try Self.money(order["total_tax_money"], currency) ?? zero
        let grand: Money
        if let given = try Self.money(order["total_money"], currency) {
            grand = given
        } else {
            let field = order["total_money"]
            let tip = try Self.money(order["total_tip_money"], currency) ?? zero
            let service = try Self.money(order["total_service_charge_money"], currency) ?? zero
            let beforeExtras = try field.adding(try field.subtracting(items, discount), tax)
            grand = try field.adding(try field.adding(beforeExtras, tip), service)
        }
        return Totals(items: items, shipping: zero, discount: discount, tax: tax, grand: grand)
    }

    // MARK: - Square money, quantities and lines

    /// The order's currency: total_money, net_amounts.total_money, else the first line's base price.
    static func orderCurrency(_ order: Node) throws -> Currency {
        let candidates = [
            order["total_money"]["currency"], order["net_amounts"]["total_money"]["currency"],
            order["line_items"][0]["base_price_money"]["currency"],
        ]
        for node in candidates {
            if let currency = try node.currency() { return currency }
        }
        throw order["total_money"]["currency"].error(
            .missingField, "required currency (no money with a currency in the order)")
    }

    /// A Square Money object: integer minor units in `currency`. nil when absent.
    static func money(_ node: Node, _ currency: Currency) throws -> Money? {
        guard node.exists else { return nil }
        guard case .object? = node.value else {
            throw node.error(.malformedMoney, "expected a money object {amount, currency}")
        }
        let amountNode = node["amount"]
        let literal: String
        switch amountNode.value {
        case nil, .null?: return nil
        case .number(let text)?: literal = text
        case .string(let text)?: literal = text
        default: throw amountNode.error(.malformedMoney, "expected integer minor units")
        }
        guard let minorUnits = Int64(literal) else {
            throw amountNode.error(.malformedMoney, "expected integer minor units, found \"\(literal.prefix(40))\"")
        }
        if let given = try node["currency"].currency(), given != currency, minorUnits != 0 {
            throw node["currency"].error(
                .malformedMoney,
                "amount in \(given.code) in an order in \(currency.code) (Square orders have one currency)")
        }
        return Money(minorUnits: minorUnits, currency: currency)
    }

    /// Square quantities are decimal strings; whole units only.
    static func quantity(_ node: Node) throws -> Int64 {
        let count: Int64?
        do {
            count = try node.int()
        } catch {
            throw node.error(
                .invalidField, "quantity \"\((node.cleanText ?? "").prefix(40))\" is not a whole number of units")
        }
        guard let count else { throw node.error(.missingField, "required quantity") }
        return try node.checkedQuantity(count)
    }

    /// Gross line amount before discounts and taxes (modifiers included).
    static func lineTotal(_ line: Node, quantity: Int64, _ currency: Currency) throws -> Money {
        if let gross = try money(line["gross_sales_money"], currency) { return gross }
        var modifiers = Money.zero(currency)
        var modifierUnits = Money.zero(currency)
        for modifier in (try? line["modifiers"].elements()) ?? [] {
            if let total = try money(modifier["total_price_money"], currency) {
                modifiers = try modifier.adding(modifiers, total)
            } else if let base = try money(modifier["base_price_money"], currency) {
                modifierUnits = try modifier.adding(modifierUnits, base)
            }
        }
        let field = line["base_price_money"]
        let variation: Money
        if let given = try money(line["variation_total_price_money"], currency) {
            variation = given
        } else if let base = try money(line["base_price_money"], currency) {
            variation = try field.multiplying(base, by: quantity)
        } else {
            throw field.error(.missingField, "required base_price_money (or gross_sales_money)")
        }
        let perUnitModifiers = try field.multiplying(modifierUnits, by: quantity)
        return try field.adding(try field.adding(variation, modifiers), perUnitModifiers)
    }
}
