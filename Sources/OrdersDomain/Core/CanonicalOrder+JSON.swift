// The canonical JSON (SPEC 3.3): fixed key order, money as decimal strings, times as RFC 3339 UTC,
// absent values as explicit nulls so every consumer sees the same shape. One exception: `discountCodes` is left out
// when there are none, so an order without codes reads exactly as before the field existed.

extension CanonicalOrder {
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("channel", .string(channel)),
            ("externalId", .string(externalId)),
            ("number", .optional(number)),
            ("status", .string(status.rawValue)),
            ("placedAt", .string(placedAt.rfc3339)),
            ("updatedAt", .optional(updatedAt?.rfc3339)),
            ("shipBy", .optional(shipBy?.rfc3339)),
            ("currency", .string(currency.code)),
            ("totals", totals.json),
            ("customer", customer.json),
            ("shippingAddress", shippingAddress?.json ?? .null),
            ("billingAddress", billingAddress?.json ?? .null),
            ("lines", .array(lines.map(\.json))),
            ("cancelledBy", .optional(cancelledBy?.rawValue)),
            ("channelStatus", .object(channelStatus)),
            ("shipments", .array(shipments.map(\.json))),
            ("apiVersion", .optional(apiVersion)),
        ]
        if !discountCodes.isEmpty { members.append(("discountCodes", .array(discountCodes.map(\.json)))) }
        return .object(JSONObject(members))
    }
}

extension DiscountCode {
    var json: JSONValue {
        .object(JSONObject([("code", .string(code)), ("amount", .optional(amount?.decimalString))]))
    }
}

extension CanonicalShipment {
    /// The `shipment.canonical` body (SPEC 3.2), plus `trackingUrl` and each line's `lineId`.
    public var json: JSONValue {
        .object(
            JSONObject([
                ("channel", .string(channel)),
                ("externalId", .string(externalId)),
                ("shipmentId", .string(shipmentId)),
                ("carrier", .optional(carrier)),
                ("trackingNumber", .optional(trackingNumber)),
                ("trackingUrl", .optional(trackingUrl)),
                ("shippedAt", .optional(shippedAt?.rfc3339)),
                ("lines", .array(lines.map(\.json))),
            ]))
    }
}

extension ShipmentLine {
    var json: JSONValue {
        .object(
            JSONObject([
                ("sku", .optional(sku)),
                ("lineId", .optional(lineId)),
                ("quantity", .number(String(quantity))),
            ]))
    }
}

extension Totals {
    var json: JSONValue {
        .object(
            JSONObject([
                ("items", .string(items.decimalString)),
                ("shipping", .string(shipping.decimalString)),
                ("discount", .string(discount.decimalString)),
                ("tax", .string(tax.decimalString)),
                ("grand", .string(grand.decimalString)),
            ]))
    }
}

extension Customer {
    var json: JSONValue {
        .object(
            JSONObject([
                ("email", .optional(email)),
                ("name", .optional(name)),
                ("locale", .optional(locale)),
            ]))
    }
}

extension Address {
    public var json: JSONValue {
        .object(
            JSONObject([
                ("name", .optional(name)),
                ("company", .optional(company)),
                ("line1", .optional(line1)),
                ("line2", .optional(line2)),
                ("postalCode", .optional(postalCode)),
                ("city", .optional(city)),
                ("region", .optional(region)),
                ("country", .optional(country)),
                ("phone", .optional(phone)),
            ]))
    }
}

extension OrderLine {
    var json: JSONValue {
        .object(
            JSONObject([
                ("lineId", .optional(lineId)),
                ("sku", .optional(sku)),
                ("title", .optional(title)),
                ("quantity", .number(String(quantity))),
                ("unitPrice", .string(unitPrice.decimalString)),
                ("total", .string(total.decimalString)),
            ]))
    }
}

extension JSONValue {
    /// `.string(text)`, or `.null` when there is no text.
    public static func optional(_ text: String?) -> JSONValue {
        text.map(JSONValue.string) ?? .null
    }
}
