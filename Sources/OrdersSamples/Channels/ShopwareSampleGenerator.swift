import OrdersDomain

/// `order.shopware`: a Shopware 6 order entity as the Admin API returns it (associations loaded:
/// currency, language, addresses, deliveries, line items, transactions).
///
/// Shopware computes in floats and prints them as JSON numbers: 59.9, 0, and now and then an
/// artefact such as 20826.300000000003 (the adapter rounds half-even to the cent). Prices are gross
/// (`taxStatus` "gross"); a promotion is a line item of type "promotion" with a negative price;
/// `amountTotal` = products + shipping - promotion. Swiss customers pay francs (a CHF sales channel).
struct ShopwareSampleGenerator: ChannelSampleGenerator {
    let channel = "shopware"

    func externalId(of identity: SampleIdentity) -> String {
        // 32 hex digits like Shopware's UUIDs. The first 16 are the serial times an odd constant
        // modulo 2^64, a bijection: ids stay unique and do not all start with zeros.
        Self.hex(identity.serial &* 0x9E37_79B9_7F4A_7C15, 16) + Self.hex(SplitMix64.mix(identity.serial), 16)
    }

    func payload(for order: SampleOrder) -> JSONValue {
        var random = order.detailRandom()
        let id = externalId(of: order.identity)
        var ids = SplitMix64(seed: order.detailSeed ^ 0x5157)
        func uuid() -> String { Self.hex(ids.next(), 16) + Self.hex(ids.next(), 16) }
        // Some amounts carry a float artefact, as PHP prints Shopware's floats: the last of a double's
        // 17 significant digits off by a little (20826.300000000003), so it always rounds back to the
        // exact amount (half-even, as the adapter reads it) and never has more digits than a double.
        var artefacts = SplitMix64(seed: order.detailSeed ^ 0xF10A7)
        func float(_ money: Money) -> JSONValue {
            guard money.minorUnits != 0, artefacts.chance(6) else { return .floatAmount(money) }
            let exact = money.decimalString.contains(".") ? money.decimalString : money.decimalString + "."
            let significant = exact.drop { $0 == "-" || $0 == "0" || $0 == "." }.filter(\.isNumber).count
            let zeros = String(repeating: "0", count: max(0, 16 - significant))
            return .number(exact + zeros + artefacts.pick(["3", "1", "4"]))
        }

        let versionID = "0fa91ce3e96a4bc2be4bd9ce752c3425"  // Shopware's live version id
        let billingID = uuid(), shippingAddressID = uuid(), deliveryID = uuid(), customerID = uuid()
        let orderState =
            switch order.stage {
            case .awaitingPayment, .paid: "open"
            case .shipped: "completed"
            case .cancelled: "cancelled"
            }
        let transactionState =
            switch order.stage {
            case .awaitingPayment: "open"
            case .paid, .shipped: order.payment == .invoice ? "open" : "paid"
            case .cancelled: order.payment == .bankTransfer ? "cancelled" : "refunded"
            }
        let lineItems =
            order.lines.map { line in Self.lineItem(line, order, id: uuid(), orderID: id, float) }
            + (order.discount.map { [Self.promotion($0, order, id: uuid(), orderID: id, float)] } ?? [])
        let taxes = order.taxesByRate
        let calculatedTaxes: JSONValue = .array(
            taxes.map { entry in
                .fields([
                    "tax": float(entry.tax), "taxRate": .number(SampleMoney.ratePercent(entry.rate)),
                    "price": float(entry.gross), "apiAlias": .string("cart_tax_calculated"),
                ])
            })
        let taxRules: JSONValue = .array(
            taxes.map { entry in
                .fields([
                    "taxRate": .number(SampleMoney.ratePercent(entry.rate)), "percentage": .integer(100),
                    "apiAlias": .string("cart_tax_rule"),
                ])
            })
        let net = order.grand - order.tax
        let shippingCosts: JSONValue = .fields([
            "unitPrice": float(order.shipping), "quantity": .integer(1), "totalPrice": float(order.shipping),
            "calculatedTaxes": .array([
                .fields([
                    "tax": float(order.shippingTax), "taxRate": .number(SampleMoney.ratePercent(order.shippingVATRate)),
                    "price": float(order.shipping), "apiAlias": .string("cart_tax_calculated"),
                ])
            ]),
            "taxRules": .array([
                .fields([
                    "taxRate": .number(SampleMoney.ratePercent(order.shippingVATRate)), "percentage": .integer(100),
                    "apiAlias": .string("cart_tax_rule"),
                ])
            ]),
            "referencePrice": .null, "listPrice": .null, "regulationPrice": .null,
            "apiAlias": .string("calculated_price"),
        ])
        let country = order.customer.country

        return .fields([
            "id": .string(id),
            "versionId": .string(versionID),
            "orderNumber": .string(String(10_000 + order.runningNumber)),
            "currencyId": .string(
                order.currency.code == "CHF" ? "0b0ee24f2d4e4f2d9d8c0f6e5b1a9c33" : "b7d2554b0ce847cd82f3ac9bd1c0dfca"),
            "currencyFactor": .number(order.currency.code == "CHF" ? "0.9391" : "1"),
            "salesChannelId": .string("98432def39fc4624b33213a56b8c944d"),
            "billingAddressId": .string(billingID),
            "billingAddressVersionId": .string(versionID),
            "orderDateTime": .string(SampleTime.utcWithOffset(order.placedAt)),
            "orderDate": .string(
                SampleTime.utcWithOffset(
                    UTCTimestamp(epochMilliseconds: order.placedAt.epochMilliseconds / 86_400_000 * 86_400_000))),
            "price": .fields([
                "netPrice": float(net), "totalPrice": float(order.grand), "calculatedTaxes": calculatedTaxes,
                "taxRules": taxRules,
                "positionPrice": float(order.items - order.discountTotal), "taxStatus": .string("gross"),
                "rawTotal": float(order.grand),
                "apiAlias": .string("cart_price"),
            ]),
            "amountTotal": float(order.grand),
            "amountNet": float(net),
            "positionPrice": float(order.items - order.discountTotal),
            "taxStatus": .string("gross"),
            "shippingCosts": shippingCosts,
            "shippingTotal": float(order.shipping),
            "orderCustomer": .fields([
                "email": .string(order.customer.email),
                "orderId": .string(id),
                "salutationId": .string("c2a0534ef77b4f0f95d7edd72233aa83"),
                "firstName": .string(order.customer.firstName),
                "lastName": .string(order.customer.lastName),
                "title": .null,
                "vatIds": .null,
                "company": .text(order.billingAddress.company),
                "customerNumber": .string(String(random.int(in: 10_000...99_999))),
                "customerId": .string(customerID),
                "id": .string(uuid()),
                "apiAlias": .string("order_customer"),
            ]),
            "currency": .fields([
                "isoCode": .string(order.currency.code),
                "factor": .number(order.currency.code == "CHF" ? "0.9391" : "1"),
                "symbol": .string(order.currency.code == "CHF" ? "CHF" : "€"),
                "shortName": .string(order.currency.code),
                "name": .string(order.currency.code == "CHF" ? "Schweizer Franken" : "Euro"),
                "itemRounding": .fields([
                    "decimals": .integer(2), "interval": .number(order.currency.code == "CHF" ? "0.05" : "0.01"),
                    "roundForNet": .bool(true),
                ]),
                "totalRounding": .fields([
                    "decimals": .integer(2), "interval": .number(order.currency.code == "CHF" ? "0.05" : "0.01"),
                    "roundForNet": .bool(true),
                ]),
                "id": .string(
                    order.currency.code == "CHF"
                        ? "0b0ee24f2d4e4f2d9d8c0f6e5b1a9c33" : "b7d2554b0ce847cd82f3ac9bd1c0dfca"),
                "apiAlias": .string("currency"),
            ]),
            "languageId": .string("2fbb5fe2e29a4d70aa5854ce7ce3e20b"),
            "language": .fields([
                "name": .string(Self.languageName(country.language)),
                "locale": .fields([
                    "code": .string("\(country.language)-\(country.code)"), "apiAlias": .string("locale"),
                ]),
                "id": .string("2fbb5fe2e29a4d70aa5854ce7ce3e20b"),
                "apiAlias": .string("language"),
            ]),
            "addresses": .null,
            "billingAddress": Self.address(order.billingAddress, id: billingID, orderID: id),
            "deliveries": .array([
                .fields([
                    "orderId": .string(id),
                    "shippingOrderAddressId": .string(shippingAddressID),
                    "shippingMethodId": .string("43fe06f14437458a94aceca821b0934c"),
                    "trackingCodes": .array(order.parcel.map { [.string($0.trackingNumber)] } ?? []),
                    "shippingDateEarliest": .string(
                        SampleTime.utcWithOffset(SampleTime.endOfCentralDay(order.placedAt, plusDays: 0))),
                    "shippingDateLatest": .string(
                        SampleTime.utcWithOffset(SampleTime.endOfCentralDay(order.placedAt, plusDays: 2))),
                    "shippingCosts": shippingCosts,
                    "shippingOrderAddress": Self.address(order.shippingAddress, id: shippingAddressID, orderID: id),
                    "stateMachineState": Self.state(
                        order.parcel != nil ? "shipped" : order.isCancelled ? "cancelled" : "open"),
                    "shippingMethod": .fields([
                        "name": .string(order.parcel?.carrier.rawValue ?? order.shippingMethod),
                        "id": .string("43fe06f14437458a94aceca821b0934c"),
                    ]),
                    "positions": order.parcel == nil
                        ? .null
                        : .array(
                            order.lines.enumerated().map { offset, line in
                                .fields([
                                    "orderLineItemId": lineItems[offset]["id"] ?? .null,
                                    "quantity": .integer(line.quantity),
                                    "unitPrice": float(line.unitPrice),
                                    "totalPrice": float(line.total),
                                ])
                            }),
                    "id": .string(deliveryID),
                    "apiAlias": .string("order_delivery"),
                ])
            ]),
            "lineItems": .array(lineItems),
            "transactions": .array([
                .fields([
                    "orderId": .string(id),
                    "paymentMethodId": .string(uuid()),
                    "amount": .fields([
                        "unitPrice": float(order.grand), "quantity": .integer(1), "totalPrice": float(order.grand),
                    ]),
                    "stateMachineState": Self.state(transactionState),
                    "paymentMethod": .fields([
                        "name": .string(order.payment.title), "apiAlias": .string("payment_method"),
                    ]),
                    "id": .string(uuid()),
                    "apiAlias": .string("order_transaction"),
                ])
            ]),
            "stateMachineState": Self.state(orderState),
            "deepLinkCode": .string(
                random.characters(32, from: "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")),
            "customerComment": .text(
                random.chance(8) ? "Bitte klingeln bei „\(order.shippingAddress.lastName)“." : nil),
            "affiliateCode": .null,
            "campaignCode": .null,
            "createdAt": .string(SampleTime.utcWithOffset(order.placedAt)),
            "updatedAt": .string(SampleTime.utcWithOffset(order.updatedAt)),
            "apiAlias": .string("order"),
        ])
    }

    private static func lineItem(
        _ line: SampleLine, _ order: SampleOrder, id: String, orderID: String,
        _ float: (Money) -> JSONValue
    ) -> JSONValue {
        let productID =
            hex(productNumber(line.product.sku, base: 0), 16)
            + hex(SplitMix64.mix(productNumber(line.product.sku, base: 1)), 16)
        let rate: JSONValue = .number(SampleMoney.ratePercent(line.vatRate))
        return .fields([
            "orderId": .string(orderID),
            "identifier": .string(productID),
            "referencedId": .string(productID),
            "productId": .string(productID),
            "quantity": .integer(line.quantity),
            "unitPrice": float(line.unitPrice),
            "totalPrice": float(line.total),
            "label": .string(line.product.fullTitle),
            "good": .bool(true),
            "removable": .bool(true),
            "stackable": .bool(true),
            "position": .integer(line.position),
            "price": .fields([
                "unitPrice": float(line.unitPrice), "quantity": .integer(line.quantity),
                "totalPrice": float(line.total),
                "calculatedTaxes": .array([
                    .fields([
                        "tax": float(SampleMoney.vat(in: line.total, rate: line.vatRate)), "taxRate": rate,
                        "price": float(line.total),
                    ])
                ]),
                "taxRules": .array([.fields(["taxRate": rate, "percentage": .integer(100)])]),
            ]),
            "priceDefinition": .fields([
                "price": float(line.unitPrice), "quantity": .integer(line.quantity), "isCalculated": .bool(true),
                "type": .string("quantity"),
            ]),
            "payload": .fields([
                "productNumber": .string(line.product.sku),
                "isNew": .bool(false),
                "markAsTopseller": .bool(false),
                "options": .array(
                    line.product.variant.map { variant in
                        [.fields(["group": .string("Variante"), "option": .string(variant)])]
                    } ?? []),
            ]),
            "type": .string("product"),
            "parentId": .null,
            "id": .string(id),
            "apiAlias": .string("order_line_item"),
        ])
    }

    /// The promotion as Shopware stores it: one line with the negative amount.
    private static func promotion(
        _ discount: SampleDiscount, _ order: SampleOrder, id: String, orderID: String,
        _ float: (Money) -> JSONValue
    ) -> JSONValue {
        let amount = Money.zero(order.currency) - order.discountTotal
        let value: String =
            switch discount.kind {
            case .percent(let percent): String(percent)
            case .fixed(let fixed): SampleMoney.floatLiteral(fixed)
            }
        return .fields([
            "orderId": .string(orderID),
            "identifier": .string(id),
            "referencedId": .string(discount.code),
            "quantity": .integer(1),
            "unitPrice": float(amount),
            "totalPrice": float(amount),
            "label": .string(discount.title),
            "good": .bool(false),
            "removable": .bool(true),
            "stackable": .bool(false),
            "position": .integer(order.lines.count + 1),
            "payload": .fields([
                "code": .string(discount.code),
                "discountType": .string(discount.isPercentage ? "percentage" : "absolute"),
                "value": .string(value),
            ]),
            "type": .string("promotion"),
            "parentId": .null,
            "id": .string(id),
            "apiAlias": .string("order_line_item"),
        ])
    }

    private static func address(_ address: SampleAddress, id: String, orderID: String) -> JSONValue {
        .fields([
            "countryId": .string(hex(productNumber(address.country.code, base: 0), 32)),
            "countryStateId": .null,
            "salutationId": .string("c2a0534ef77b4f0f95d7edd72233aa83"),
            "firstName": .string(address.firstName),
            "lastName": .string(address.lastName),
            "street": .string(address.line1),
            "zipcode": .string(address.city.postalCode),
            "city": .string(address.city.name),
            "company": .text(address.company),
            "department": .null,
            "title": .null,
            "vatId": .null,
            "phoneNumber": .text(address.phone),
            "additionalAddressLine1": .text(address.addition),
            "additionalAddressLine2": .null,
            "country": .fields([
                "name": .string(address.country.localName),
                "iso": .string(address.country.code),
                "iso3": .string(address.country.alpha3),
                "active": .bool(true),
                "shippingAvailable": .bool(true),
                "apiAlias": .string("country"),
            ]),
            "countryState": address.city.region.map {
                .fields([
                    "name": .string($0),
                    "shortCode": .text(address.city.regionCode.map { "\(address.country.code)-\($0)" }),
                ])
            } ?? .null,
            "orderId": .string(orderID),
            "id": .string(id),
            "apiAlias": .string("order_address"),
        ])
    }

    private static func state(_ technicalName: String) -> JSONValue {
        .fields(["technicalName": .string(technicalName), "apiAlias": .string("state_machine_state")])
    }

    private static func languageName(_ language: String) -> String {
        switch language {
        case "de": "Deutsch"
        case "fr": "Français"
        case "nl": "Nederlands"
        case "it": "Italiano"
        default: "English"
        }
    }

    static func hex(_ value: UInt64, _ digits: Int) -> String {
        let text = String(value, radix: 16)
        return text.count >= digits
            ? String(text.suffix(digits)) : String(repeating: "0", count: digits - text.count) + text
    }
}
