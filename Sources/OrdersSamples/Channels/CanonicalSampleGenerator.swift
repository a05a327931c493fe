import OrdersDomain

/// `order.canonical`: orders of marketplaces without an adapter (OTTO, Kaufland, Galaxus for Swiss
/// customers in francs, the merchant's own web shop), already in the canonical JSON of SPEC 3.3, as
/// a connector or an ERP export would publish them. Totals are gross: grand = items + shipping -
/// discount, tax is the VAT contained in it. An order with a discount code lists it in `discountCodes` with the
/// amount it took off (the key is left out when there is none, as in the canonical JSON).
struct CanonicalSampleGenerator: ChannelSampleGenerator {
    let channel = "canonical"

    func externalId(of identity: SampleIdentity) -> String { identity.serialDigits }

    func payload(for order: SampleOrder) -> JSONValue {
        var random = order.detailRandom()
        let salesChannel =
            order.currency.code == "CHF"
            ? "galaxus"
            : ["DE", "AT"].contains(order.customer.country.code)
                ? random.pick(["otto", "kaufland", "webshop"]) : "webshop"
        let status =
            switch order.stage {
            case .awaitingPayment: "received"
            case .paid: "paid"
            case .shipped: "shipped"
            case .cancelled: "cancelled"
            }
        let cancelledBy: JSONValue =
            switch order.stage {
            case .cancelled(let byCustomer): .string(byCustomer ? "customer" : "merchant")
            default: .null
            }
        return .fields([
            "channel": .string(salesChannel),
            "externalId": .string(externalId(of: order.identity)),
            "number": .string("\(salesChannel.prefix(2).uppercased())-\(order.runningNumber)"),
            "status": .string(status),
            "placedAt": .string(SampleTime.utc(order.placedAt)),
            "updatedAt": .string(SampleTime.utc(order.updatedAt)),
            "shipBy": .string(SampleTime.utc(SampleTime.endOfCentralDay(order.placedAt, plusDays: 2))),
            "currency": .string(order.currency.code),
            "totals": .fields([
                "items": .amount(order.items), "shipping": .amount(order.shipping),
                "discount": .amount(order.discountTotal),
                "tax": .amount(order.tax), "grand": .amount(order.grand),
            ]),
            "customer": .fields([
                "email": .string(order.customer.email),
                "name": .string(order.customer.name),
                "locale": .string("\(order.customer.country.language)-\(order.customer.country.code)"),
            ]),
            "shippingAddress": Self.address(order.shippingAddress),
            "billingAddress": Self.address(order.billingAddress),
            "lines": .array(
                order.lines.map { line in
                    .fields([
                        "lineId": .string(String(line.position)),
                        "sku": .string(line.product.sku),
                        "title": .string(line.product.fullTitle),
                        "quantity": .integer(line.quantity),
                        "unitPrice": .amount(line.unitPrice),
                        "total": .amount(line.total),
                    ])
                }),
            "cancelledBy": cancelledBy,
            "channelStatus": .fields(["status": .string(status)]),
        ]).adding(
            "discountCodes",
            order.discount.map { discount in
                .array([.fields(["code": .string(discount.code), "amount": .amount(order.discountTotal)])])
            })
    }

    private static func address(_ address: SampleAddress) -> JSONValue {
        .fields([
            "name": .string(address.name),
            "company": .text(address.company),
            "line1": .string(address.line1),
            "line2": .text(address.addition),
            "postalCode": .string(address.city.postalCode),
            "city": .string(address.city.name),
            "region": .text(address.city.region),
            "country": .string(address.country.code),
            "phone": .text(address.phone),
        ])
    }
}
