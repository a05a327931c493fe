/// `order.canonical`: an order already in the canonical JSON of SPEC 3.3, from a channel we have no
/// adapter for (a marketplace connector, an ERP export). Validated, defaults filled, passed through.
///
/// Required: channel, externalId, status, placedAt, currency, totals.grand, lines[].quantity and
/// lines[].unitPrice. Lines are taken as given (the sender leaves tips, gift cards sold and duties out of them and
/// in totals.grand). placedAt has no stand-in here: `channelStatus.placedAtGuessed` passes through as
/// given. Normalising `order.json` of any order gives that order back (tested), so the text rules here
/// are the idempotent ones (clean, e-mail, country); entities are not decoded again.
struct CanonicalOrderAdapter: OrderAdapter {
    let channel = "canonical"

    func normalize(_ root: Node, context: NormalizationContext) throws -> CanonicalOrder {
        let currency = try root["currency"].requiredCurrency()
        let placedAt = try Self.requiredTimestamp(root["placedAt"])
        let lines = try Self.lines(root["lines"], currency: currency)
        let salesChannel = try Self.salesChannel(root["channel"])
        let externalId = try root["externalId"].id()

        return CanonicalOrder(
            channel: salesChannel,
            externalId: externalId,
            number: Text.clean(try root["number"].string()),
            status: try Self.status(root["status"]),
            placedAt: placedAt,
            updatedAt: try root["updatedAt"].timestamp(),
            shipBy: context.shipBy(promised: try root["shipBy"].timestamp(), placedAt: placedAt),
            currency: currency,
            totals: try Self.totals(root["totals"], lines: lines, currency: currency),
            customer: try Self.customer(root["customer"]),
            shippingAddress: try Self.address(root["shippingAddress"]),
            billingAddress: try Self.address(root["billingAddress"]),
            lines: lines,
            cancelledBy: try Self.cancelledBy(root["cancelledBy"]),
            channelStatus: try root["channelStatus"].object() ?? JSONObject(),
            shipments: try root["shipments"].elements().map {
                try CanonicalShipmentAdapter.shipment($0, orderChannel: salesChannel, orderExternalId: externalId)
            },
            // Absent: this message is itself the canonical format. Present (even null): the version of the
            // channel payload the order was first normalised from, carried along unchanged.
            apiVersion: root["apiVersion"].value == nil ? "canonical" : Text.clean(try root["apiVersion"].string()),
            discountCodes: try Self.discountCodes(root["discountCodes"], currency: currency)
        )
    }

    /// `discountCodes`: [{"code": "SORRY-7KQ2M9XW4HTA", "amount": "5.00"}] (amount optional, null when the sender
    /// does not know it). A code listed twice is refused: the sender had one value to give, not two.
    private static func discountCodes(_ node: Node, currency: Currency) throws -> [DiscountCode] {
        var list = DiscountCodeList(field: node)
        for entry in try node.elements() {
            guard try entry.object() != nil else {
                throw entry.error(.invalidField, "expected an object {code, amount}")
            }
            guard let code = try entry["code"].discountCode() else {
                throw entry["code"].error(.missingField, "required code")
            }
            let amount = try entry["amount"].money(currency)
            if amount?.isNegative == true {
                throw entry["amount"].error(.malformedMoney, "amount must not be negative (what the code took off)")
            }
            if list.codes.contains(where: { $0.matchKey == code.uppercased() }) {
                throw entry["code"].error(.invalidField, "code \"\(code.prefix(40))\" is listed twice")
            }
            try list.add(code, amount: amount, at: entry["amount"])
        }
        return list.codes
    }

    /// The real sales channel ("otto", "webshop", "shopify"): lowercase [a-z0-9_-], at most 64 characters,
    /// because it becomes part of keys and routing.
    static func salesChannel(_ node: Node) throws -> String {
        let name = try node.requiredString()
        let allowed = name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard allowed, name.utf8.count <= 64 else {
            throw node.error(
                .invalidField, "channel must be 1-64 characters of a-z 0-9 _ -, got \"\(name.prefix(64))\"")
        }
        return name
    }

    static func requiredTimestamp(_ node: Node) throws -> UTCTimestamp {
        guard let timestamp = try node.timestamp() else { throw node.error(.missingField, "required") }
        return timestamp
    }

    private static func status(_ node: Node) throws -> OrderStatus {
        let raw = try node.requiredString()
        guard let status = OrderStatus(rawValue: raw) else {
            let allowed = OrderStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw node.error(.invalidField, "unknown status \"\(raw.prefix(40))\" (one of \(allowed))")
        }
        return status
    }

    private static func cancelledBy(_ node: Node) throws -> CancelledBy? {
        guard let raw = try node.string() else { return nil }
        guard let cancelledBy = CancelledBy(rawValue: raw) else {
            throw node.error(.invalidField, "cancelledBy must be merchant, customer or null, got \"\(raw.prefix(40))\"")
        }
        return cancelledBy
    }

    private static func lines(_ node: Node, currency: Currency) throws -> [OrderLine] {
        guard node.exists else { throw node.error(.missingField, "required (may be empty)") }
        return try node.elements().map { line in
            let quantity = try line["quantity"].quantity()
            let unitPrice = try line["unitPrice"].requiredMoney(currency)
            return OrderLine(
                lineId: try line["lineId"].optionalID(),
                sku: Text.clean(try line["sku"].string()),
                title: Text.clean(try line["title"].string()),
                quantity: quantity,
                unitPrice: unitPrice,
                total: try line["total"].money(currency) ?? line["total"].multiplying(unitPrice, by: quantity)
            )
        }
    }

    private static func totals(_ node: Node, lines: [OrderLine], currency: Currency) throws -> Totals {
        let grand = try node["grand"].requiredMoney(currency)
        let zero = Money.zero(currency)
        var itemsFromLines = zero
        for line in lines { itemsFromLines = try node["items"].adding(itemsFromLines, line.total) }
        return Totals(
            items: try node["items"].money(currency) ?? itemsFromLines,
            shipping: try node["shipping"].money(currency) ?? zero,
            discount: try node["discount"].money(currency) ?? zero,
            tax: try node["tax"].money(currency) ?? zero,
            grand: grand
        )
    }

    private static func customer(_ node: Node) throws -> Customer {
        _ = try node.object()  // a customer that is not an object is an error, not silently empty
        return Customer(
            email: Text.email(try node["email"].string()),
            name: Text.clean(try node["name"].string()),
            locale: Text.localeTag(try node["locale"].string())
        )
    }

    private static func address(_ node: Node) throws -> Address? {
        guard try node.object() != nil else { return nil }
        return Address(
            name: Text.clean(try node["name"].string()),
            company: Text.clean(try node["company"].string()),
            line1: Text.clean(try node["line1"].string()),
            line2: Text.clean(try node["line2"].string()),
            postalCode: Text.clean(try node["postalCode"].string()),
            city: Text.clean(try node["city"].string()),
            region: Text.clean(try node["region"].string()),
            country: Text.countryAlpha2(try node["country"].string()),
            phone: Text.clean(try node["phone"].string())
        )
    }
}
