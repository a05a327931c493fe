import OrdersDomain

/// `order.pos`: a Square Orders API order from the merchant's own stores (Berlin, München, Hamburg,
/// Wien, Zürich in francs).
///
/// Money is integer minor units; item prices include VAT (taxes of type INCLUSIVE), quantities are
/// strings. Most sales are over the counter: paid by card or cash, handed over, no customer data.
/// Click-and-collect orders carry a pickup recipient, parcels a shipment recipient with an address
/// and tracking. A till charges no shipping: total_money = gross sales - discounts.
struct SquareSampleGenerator: ChannelSampleGenerator {
    let channel = "pos"
    let profile = SampleProfile(
        swissFrancs: true, chargesShipping: false,
        countries: [(Countries.germany, 60), (Countries.austria, 20), (Countries.switzerland, 20)])

    func externalId(of identity: SampleIdentity) -> String {
        // 27 characters like Square's ids; the first ten carry the serial, so ids are unique.
        var filler = SplitMix64(seed: identity.serial)
        return Self.base62(identity.serial, width: 10) + filler.characters(17, from: Self.alphabet)
    }

    private enum Handover { case counter, pickup, shipment }

    func payload(for order: SampleOrder) -> JSONValue {
        var random = order.detailRandom()
        let id = externalId(of: order.identity)
        let store = Self.store(order.customer.country.code)
        let handover: Handover =
            switch order.stage {
            case .shipped: .shipment
            case .awaitingPayment, .cancelled: .pickup
            case .paid: random.chance(65) ? .counter : .pickup
            }
        let paid = order.stage == .paid || order.stage == .shipped
        let completed = handover == .counter || handover == .shipment
        let state = order.isCancelled ? "CANCELED" : completed ? "COMPLETED" : "OPEN"
        let createdAt = order.placedAt.epochMilliseconds + Int64(random.int(in: 0...999))  // Square keeps milliseconds
        func uid() -> String { random.characters(22, from: Self.alphabet) }

        let taxUIDs = Dictionary(uniqueKeysWithValues: Set(order.lines.map(\.vatRate)).sorted().map { ($0, uid()) })
        let discountUID = uid()
        let lineItems: [JSONValue] = order.lines.map { line in
            var members: [(String, JSONValue)] = [
                ("uid", .string(uid())),
                ("catalog_object_id", .string(Self.base62(productNumber(line.product.sku, base: 0), width: 24))),
                ("catalog_version", .integer(1_726_000_000_000 + Int64(line.product.grams))),
                ("quantity", .string(String(line.quantity))),
                ("name", .string(line.product.title)),
            ]
            if let variant = line.product.variant { members.append(("variation_name", .string(variant))) }
            members += [
                ("item_type", .string("ITEM")),
                ("base_price_money", Self.money(line.unitPrice)),
                ("variation_total_price_money", Self.money(line.total)),
                ("gross_sales_money", Self.money(line.total)),
                ("total_tax_money", Self.money(line.tax)),
                ("total_discount_money", Self.money(line.discount)),
                ("total_money", Self.money(line.total - line.discount)),
                (
                    "applied_taxes",
                    .array([
                        .fields([
                            "uid": .string(uid()), "tax_uid": .string(taxUIDs[line.vatRate]!),
                            "applied_money": Self.money(line.tax),
                        ])
                    ])
                ),
            ]
            if order.discount != nil {
                members.append(
                    (
                        "applied_discounts",
                        .array([
                            .fields([
                                "uid": .string(uid()), "discount_uid": .string(discountUID),
                                "applied_money": Self.money(line.discount),
                            ])
                        ])
                    ))
            }
            return .object(JSONObject(members))
        }

        var members: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("location_id", .string(store.locationID)),
            ("source", .fields(["name": .string("Kasse \(random.int(in: 1...3))")])),
        ]
        if handover != .counter { members.append(("reference_id", .string("Bestellung \(order.runningNumber)"))) }
        if handover != .counter || random.chance(30) {
            members.append(("customer_id", .string(random.characters(26, from: "0123456789ABCDEFGHJKMNPQRSTVWXYZ"))))
        }
        members += [
            ("line_items", .array(lineItems)),
            (
                "taxes",
                .array(
                    order.taxesByRate.map { entry in
                        .fields([
                            "uid": .string(taxUIDs[entry.rate]!),
                            "name": .string(
                                "\(order.customer.country.vatLabel) \(SampleMoney.ratePercent(entry.rate)) %"),
                            "percentage": .string(SampleMoney.ratePercent(entry.rate)),
                            "type": .string("INCLUSIVE"),
                            "applied_money": Self.money(entry.tax),
                            "scope": .string("LINE_ITEM"),
                        ])
                    })
            ),
        ]
        if let discount = order.discount {
            var fields: [(String, JSONValue)] = [("uid", .string(discountUID)), ("name", .string(discount.title))]
            switch discount.kind {
            case .percent(let percent):
                fields += [("percentage", .string(String(percent))), ("type", .string("FIXED_PERCENTAGE"))]
            case .fixed(let amount):
                fields += [("amount_money", Self.money(amount)), ("type", .string("FIXED_AMOUNT"))]
            }
            fields += [("applied_money", Self.money(order.discountTotal)), ("scope", .string("ORDER"))]
            members.append(("discounts", .array([.object(JSONObject(fields))])))
        }
        if handover != .counter {
            members.append(
                ("fulfillments", .array([Self.fulfillment(handover == .shipment, order, store, uid: uid(), &random)])))
        }
        let zero = Money.zero(order.currency)
        members += [
            (
                "net_amounts",
                .fields([
                    "total_money": Self.money(order.grand), "tax_money": Self.money(order.tax),
                    "discount_money": Self.money(order.discountTotal),
                    "tip_money": Self.money(zero), "service_charge_money": Self.money(zero),
                ])
            ),
            ("created_at", .string(SampleTime.utc(UTCTimestamp(epochMilliseconds: createdAt)))),
            ("updated_at", .string(SampleTime.utc(order.updatedAt))),
        ]
        if completed { members.append(("closed_at", .string(SampleTime.utc(order.updatedAt)))) }
        members += [
            ("state", .string(state)),
            ("version", .integer(completed ? 4 : 2)),
            ("total_money", Self.money(order.grand)),
            ("total_tax_money", Self.money(order.tax)),
            ("total_discount_money", Self.money(order.discountTotal)),
            ("total_tip_money", Self.money(zero)),
            ("total_service_charge_money", Self.money(zero)),
        ]
        if paid { members.append(("tenders", .array([Self.tender(order, id: id, store: store, &random)]))) }
        return .object(JSONObject(members))
    }

    private static func fulfillment(
        _ shipment: Bool, _ order: SampleOrder, _ store: Store, uid: String,
        _ random: inout SplitMix64
    ) -> JSONValue {
        let customer = order.customer
        let state =
            order.isCancelled ? "CANCELED" : shipment ? "COMPLETED" : order.stage == .paid ? "RESERVED" : "PROPOSED"
        var recipient: [(String, JSONValue)] = [
            ("display_name", .string(customer.name)),
            ("email_address", .string(customer.email)),
        ]
        if let phone = customer.phone { recipient.append(("phone_number", .string(phone))) }
        if shipment, let parcel = order.parcel {
            let address = order.shippingAddress
            recipient.append(
                (
                    "address",
                    .object(
                        JSONObject([
                            ("address_line_1", .string(address.line1)),
                            ("address_line_2", .text(address.addition)),
                            ("locality", .string(address.city.name)),
                            ("administrative_district_level_1", .text(address.city.regionCode)),
                            ("postal_code", .string(address.city.postalCode)),
                            ("country", .string(address.country.code)),
                            ("first_name", .string(address.firstName)),
                            ("last_name", .string(address.lastName)),
                        ]))
                ))
            return .fields([
                "uid": .string(uid),
                "type": .string("SHIPMENT"),
                "state": .string(state),
                "line_item_application": .string("ALL"),
                "shipment_details": .fields([
                    "recipient": .object(JSONObject(recipient)),
                    "carrier": .string(parcel.carrier.rawValue),
                    "tracking_number": .string(parcel.trackingNumber),
                    "tracking_url": .string(parcel.trackingURL),
                    "placed_at": .string(SampleTime.utc(order.placedAt)),
                    "packaged_at": .string(SampleTime.utc(parcel.shippedAt.adding(seconds: -1800))),
                    "shipped_at": .string(SampleTime.utc(parcel.shippedAt)),
                    "expected_shipped_at": .string(
                        SampleTime.utc(SampleTime.endOfCentralDay(order.placedAt, plusDays: 1))),
                ]),
            ])
        }
        // 16:00 on the next day.
        let pickupAt = SampleTime.endOfCentralDay(order.placedAt, plusDays: 1).adding(seconds: -8 * 3600 + 1)
        var details: [(String, JSONValue)] = [
            ("recipient", .object(JSONObject(recipient))),
            ("schedule_type", .string("SCHEDULED")),
            ("pickup_at", .string(SampleTime.utc(pickupAt))),
            ("expires_at", .string(SampleTime.utc(pickupAt.adding(seconds: 3 * 86_400)))),
            ("note", .string("Abholung in der Filiale \(store.name)")),
            ("placed_at", .string(SampleTime.utc(order.placedAt))),
        ]
        if order.isCancelled {
            details.append(("canceled_at", .string(SampleTime.utc(order.updatedAt))))
            details.append(("cancel_reason", .string(random.pick(["Artikel nicht vorrätig", "Kunde hat storniert"]))))
        }
        return .fields([
            "uid": .string(uid),
            "type": .string("PICKUP"),
            "state": .string(state),
            "line_item_application": .string("ALL"),
            "pickup_details": .object(JSONObject(details)),
        ])
    }

    private static func tender(_ order: SampleOrder, id: String, store: Store, _ random: inout SplitMix64) -> JSONValue
    {
        var members: [(String, JSONValue)] = [
            ("id", .string(random.characters(24, from: alphabet))),
            ("location_id", .string(store.locationID)),
            ("transaction_id", .string(id)),
            ("created_at", .string(SampleTime.utc(order.updatedAt))),
            ("amount_money", money(order.grand)),
        ]
        switch order.payment {
        case .card, .klarna:
            members += [
                ("type", .string("CARD")),
                (
                    "card_details",
                    .fields([
                        "status": .string("CAPTURED"),
                        "card": .fields([
                            "card_brand": .string(
                                random.pick(["VISA", "MASTERCARD", "MASTERCARD", "AMERICAN_EXPRESS"])),
                            "last_4": .string(random.digits(4)),
                        ]),
                        "entry_method": .string(random.pick(["CONTACTLESS", "CONTACTLESS", "EMV"])),
                    ])
                ),
            ]
        case .bankTransfer, .invoice:
            // Cash: the customer hands over the next round note.
            let note =
                [500, 1000, 2000, 5000, 10_000, 20_000].map(Int64.init).first { $0 >= order.grand.minorUnits }
                ?? (order.grand.minorUnits + 9999) / 10_000 * 10_000
            members += [
                ("type", .string("CASH")),
                (
                    "cash_details",
                    .fields([
                        "buyer_tendered_money": money(Money(minorUnits: note, currency: order.currency)),
                        "change_back_money": money(
                            Money(minorUnits: note - order.grand.minorUnits, currency: order.currency)),
                    ])
                ),
            ]
        case .paypal:
            members.append(("type", .string("WALLET")))
        }
        return .object(JSONObject(members))
    }

    private static func money(_ amount: Money) -> JSONValue {
        .fields(["amount": .integer(amount.minorUnits), "currency": .string(amount.currency.code)])
    }

    struct Store {
        let name: String, locationID: String
    }

    private static func store(_ country: String) -> Store {
        switch country {
        case "AT": Store(name: "Wien-Neubau", locationID: "L8W7Q2X9A4B1C")
        case "CH": Store(name: "Zürich-Kreis 4", locationID: "LZ3K5M8N1P6R2")
        default: Store(name: "Berlin-Mitte", locationID: "LB4D6F8H2J7K9")
        }
    }

    private static let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

    private static func base62(_ value: UInt64, width: Int) -> String {
        let digits = Array(alphabet)
        var value = value, result: [Character] = []
        repeat {
            result.append(digits[Int(value % 62)])
            value /= 62
        } while value > 0
        while result.count < width { result.append("0") }
        return String(result.reversed().suffix(width))
    }
}
