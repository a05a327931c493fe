import Testing
@testable import OrdersDomain

/// The example of SPEC 3.3, complete.
let canonicalSpecExample = #"""
    {
      "channel": "shopify", "externalId": "450789469", "number": "#1001",
      "status": "paid",
      "placedAt": "2026-11-02T14:05:00Z", "updatedAt": "2026-11-02T14:05:40Z",
      "shipBy": "2026-11-04T22:59:59Z",
      "currency": "EUR",
      "totals": {"items": "61.80", "shipping": "3.95", "discount": "0.00", "tax": "10.50", "grand": "65.75"},
      "customer": {"email": "lena.vogel@example.de", "name": "Lena Vogel", "locale": "de"},
      "shippingAddress": {"name": "Lena Vogel", "company": null, "line1": "Bergstraße 12",
        "line2": null, "postalCode": "69117", "city": "Heidelberg", "region": null, "country": "DE",
        "phone": null},
      "billingAddress": {"name": "Lena Vogel", "line1": "Bergstraße 12", "postalCode": "69117", "city": "Heidelberg", \#
    "country": "Deutschland"},
      "lines": [{"lineId": "1", "sku": "KANNE-1L", "title": "Teekanne 1 l",
        "quantity": 2, "unitPrice": "30.90", "total": "61.80"}],
      "cancelledBy": null,
      "channelStatus": {"financial_status": "paid", "fulfillment_status": null}
    }
    """#

/// Only the required fields, from a channel without an adapter of its own.
let canonicalMinimalExample = #"""
    {"channel": "otto", "externalId": 778899, "status": "received", "placedAt": "2026-12-01T08:00:00+01:00",
     "currency": "JPY", "totals": {"grand": "12000"},
     "lines": [{"quantity": 3, "unitPrice": 2000}, {"quantity": "2", "unitPrice": "3000.0", "title": " Tee &amp; \#
    Kaffee "}]}
    """#

@Suite("Canonical order channel")
struct CanonicalOrderAdapterTests {
    private let eur = Currency(code: "EUR")!

    private func normalize(_ json: String, context: NormalizationContext = .init()) throws -> CanonicalOrder {
        let normalizer = Normalizer(orderAdapters: [CanonicalOrderAdapter()], shipmentAdapters: [], context: context)
        return try normalizer.normalizeOrder(channel: "canonical", body: Array(json.utf8))
    }

    private func refusal(_ json: String) -> NormalizationError? {
        normalizationError { try normalize(json) }
    }

    /// The spec example with one member replaced (or removed when `value` is nil).
    private func example(setting path: [String], to value: JSONValue?) throws -> String {
        func replace(_ current: JSONValue, _ path: ArraySlice<String>) -> JSONValue {
            guard let key = path.first, case .object(var object) = current else { return value ?? .null }
            if path.count == 1 {
                object[key] = value
            } else if let index = Int(path[path.index(after: path.startIndex)]),
                case .array(var elements)? = object[key]
            {
                elements[index] = replace(elements[index], path.dropFirst(2))
                object[key] = .array(elements)
            } else {
                object[key] = replace(object[key] ?? .object(JSONObject()), path.dropFirst())
            }
            return .object(object)
        }
        return JSON.serialize(replace(try JSON.parse(Array(canonicalSpecExample.utf8)), path[...]))
    }

    @Test func specExampleFieldByField() throws {
        let order = try normalize(canonicalSpecExample)
        #expect(order.channel == "shopify")
        #expect(order.externalId == "450789469")
        #expect(order.number == "#1001")
        #expect(order.status == .paid)
        #expect(order.placedAt.rfc3339 == "2026-11-02T14:05:00Z")
        #expect(order.updatedAt?.rfc3339 == "2026-11-02T14:05:40Z")
        #expect(order.shipBy?.rfc3339 == "2026-11-04T22:59:59Z")
        #expect(order.currency == eur)
        #expect(order.totals.items == Money(minorUnits: 6180, currency: eur))
        #expect(order.totals.shipping.minorUnits == 395)
        #expect(order.totals.discount.minorUnits == 0)
        #expect(order.totals.tax.minorUnits == 1050)
        #expect(order.totals.grand.minorUnits == 6575)
        #expect(order.customer == Customer(email: "lena.vogel@example.de", name: "Lena Vogel", locale: "de"))
        #expect(
            order.shippingAddress
                == Address(
                    name: "Lena Vogel", line1: "Bergstraße 12", postalCode: "69117",
                    city: "Heidelberg", country: "DE"))
        #expect(order.billingAddress?.country == "DE")
        #expect(order.billingAddress?.company == nil)
        #expect(order.lines.count == 1)
        #expect(
            order.lines.first
                == OrderLine(
                    lineId: "1", sku: "KANNE-1L", title: "Teekanne 1 l", quantity: 2,
                    unitPrice: Money(minorUnits: 3090, currency: eur),
                    total: Money(minorUnits: 6180, currency: eur)))
        #expect(order.cancelledBy == nil)
        #expect(order.channelStatus.keys == ["financial_status", "fulfillment_status"])
        #expect(order.channelStatus["financial_status"] == .string("paid"))
        #expect(order.channelStatus["fulfillment_status"] == .null)
        #expect(order.shipments.isEmpty)
        #expect(order.apiVersion == "canonical")
    }

    @Test func minimalOrderGetsItsDefaults() throws {
        let order = try normalize(canonicalMinimalExample, context: NormalizationContext(handlingTimeSeconds: 3600))
        let jpy = try #require(Currency(code: "JPY"))
        #expect(order.channel == "otto")
        #expect(order.externalId == "778899")
        #expect(order.number == nil)
        #expect(order.status == .received)
        #expect(order.placedAt.rfc3339 == "2026-12-01T07:00:00Z")
        #expect(order.updatedAt == nil)
        #expect(order.shipBy?.rfc3339 == "2026-12-01T08:00:00Z")
        #expect(
            order.lines.map(\.total) == [
                Money(minorUnits: 6000, currency: jpy), Money(minorUnits: 6000, currency: jpy),
            ])
        #expect(order.lines[1].quantity == 2)
        #expect(order.lines[1].title == "Tee &amp; Kaffee")  // canonical text is final: no second entity decoding
        #expect(
            order.totals
                == Totals(
                    items: Money(minorUnits: 12000, currency: jpy), shipping: .zero(jpy),
                    discount: .zero(jpy), tax: .zero(jpy), grand: Money(minorUnits: 12000, currency: jpy)))
        #expect(order.customer == Customer())
        #expect(order.shippingAddress == nil && order.billingAddress == nil)
        #expect(order.channelStatus.count == 0)
    }

    @Test func textIsCleanedAndCountriesAndEmailsNormalised() throws {
        let json = try example(
            setting: ["customer"],
            to: .object(
                JSONObject([
                    ("email", .string("lena@example.de\r\nBcc: everyone@example.de")),
                    ("name", .string("  Lena\u{A0}Vogel ")),
                    ("locale", .string("de")),
                ])))
        let order = try normalize(json)
        #expect(order.customer.email == nil)
        #expect(order.customer.name == "Lena\u{A0}Vogel")
    }

    @Test(arguments: [
        (["channel"], "channel"), (["externalId"], "externalId"), (["status"], "status"), (["placedAt"], "placedAt"),
        (["currency"], "currency"), (["totals", "grand"], "totals.grand"), (["lines"], "lines"),
        (["lines", "0", "quantity"], "lines[0].quantity"), (["lines", "0", "unitPrice"], "lines[0].unitPrice"),
    ])
    func requiredFieldsAreRefusedByName(path: [String], field: String) throws {
        for value in [nil, JSONValue.null] {
            let error = try #require(
                refusal(try example(setting: path, to: value)), "\(field) \(String(describing: value))")
            #expect(error.code == .missingField, "\(field)")
            #expect(error.field == field)
        }
    }

    @Test func invalidValuesAreRefusedWithTheRightCode() throws {
        let cases: [([String], JSONValue, NormalizationError.Code, String)] = [
            (["status"], .string("shipped-ish"), .invalidField, "status"),
            (["status"], .string("PAID"), .invalidField, "status"),
            (["channel"], .string("Shopify"), .invalidField, "channel"),
            (["channel"], .string("my shop"), .invalidField, "channel"),
            (["channel"], .string(String(repeating: "a", count: 65)), .invalidField, "channel"),
            (["currency"], .string("EURO"), .unknownCurrency, "currency"),
            (["placedAt"], .string("2026-11-02 14:05"), .invalidField, "placedAt"),
            (["totals", "grand"], .string("65.755"), .malformedMoney, "totals.grand"),
            (["totals", "tax"], .string("ten"), .malformedMoney, "totals.tax"),
            (["lines", "0", "quantity"], .number("-2"), .negativeQuantity, "lines[0].quantity"),
            (["lines", "0", "unitPrice"], .string("30,90"), .malformedMoney, "lines[0].unitPrice"),
            (["lines", "0", "total"], .array([]), .malformedMoney, "lines[0].total"),
            (["lines"], .object(JSONObject()), .invalidField, "lines"),
            (["externalId"], .number("4.5"), .invalidField, "externalId"),
            (["cancelledBy"], .string("carrier"), .invalidField, "cancelledBy"),
            (["customer"], .string("Lena"), .invalidField, "customer"),
            (["shippingAddress"], .array([]), .invalidField, "shippingAddress"),
            (["channelStatus"], .string("paid"), .invalidField, "channelStatus"),
        ]
        for (path, value, code, field) in cases {
            let error = refusal(try example(setting: path, to: value))
            #expect(error?.code == code, "\(field) = \(value)")
            #expect(error?.field == field, "\(field) = \(value)")
        }
    }

    @Test func lineTotalOverflowIsRefusedNotClamped() throws {
        let json = try example(
            setting: ["lines"],
            to: .array([
                .object(
                    JSONObject([
                        ("quantity", .number("9223372036854775807")), ("unitPrice", .string("2.00")),
                    ]))
            ]))
        let error = try #require(refusal(json))
        #expect(error.code == .invalidField)
        #expect(error.field == "lines[0].quantity")
        #expect(error.reason == "quantity 9223372036854775807 is above the limit of 1000000 units per line")
    }

    @Test func cancelledByAndShipmentsAndApiVersion() throws {
        var json = try example(setting: ["cancelledBy"], to: .string("merchant"))
        #expect(try normalize(json).cancelledBy == .merchant)
        json = try example(setting: ["apiVersion"], to: .string("2026-04"))
        #expect(try normalize(json).apiVersion == "2026-04")
        json = try example(setting: ["apiVersion"], to: .null)
        #expect(try normalize(json).apiVersion == nil)
        json = try example(
            setting: ["shipments"],
            to: .array([
                .object(
                    JSONObject([
                        ("shipmentId", .number("255858046")), ("carrier", .string("DHL")),
                        ("trackingNumber", .string("00340434")),
                        ("trackingUrl", .string("https://www.dhl.de/track?id=00340434")),
                        ("shippedAt", .string("2026-11-03T09:00:00+01:00")),
                        (
                            "lines",
                            .array([.object(JSONObject([("sku", .string("KANNE-1L")), ("quantity", .number("2"))]))])
                        ),
                    ]))
            ]))
        let shipment = try #require(try normalize(json).shipments.first)
        #expect(
            shipment
                == CanonicalShipment(
                    channel: "shopify", externalId: "450789469", shipmentId: "255858046", carrier: "DHL",
                    trackingNumber: "00340434",
                    trackingUrl: "https://www.dhl.de/track?id=00340434",
                    shippedAt: UTCTimestamp(rfc3339: "2026-11-03T08:00:00Z"),
                    lines: [ShipmentLine(sku: "KANNE-1L", quantity: 2)]))
    }

    @Test func canonicalJSONHasTheSpecKeyOrder() throws {
        let json = try normalize(canonicalSpecExample).json
        guard case .object(let object) = json else { Issue.record("not an object"); return }
        #expect(
            object.keys == [
                "channel", "externalId", "number", "status", "placedAt", "updatedAt", "shipBy", "currency",
                "totals", "customer", "shippingAddress", "billingAddress", "lines", "cancelledBy",
                "channelStatus", "shipments", "apiVersion",
            ])
        #expect(json["totals"]?["grand"] == .string("65.75"))
        #expect(
            json["lines"].flatMap { if case .array(let lines) = $0 { lines.first } else { nil } }?["quantity"]
                == .number("2"))
        #expect(json["billingAddress"]?["company"] == .null)
        #expect(json["billingAddress"]?["country"] == .string("DE"))
        if case .object(let address)? = json["shippingAddress"] {
            #expect(
                address.keys == [
                    "name", "company", "line1", "line2", "postalCode", "city", "region", "country", "phone",
                ])
        } else {
            Issue.record("shippingAddress is not an object")
        }
    }
}

@Suite("Canonical shipment source")
struct CanonicalShipmentAdapterTests {
    @Test func specShapeFieldByField() throws {
        let shipment = try normalizeShipment(
            "canonical",
            #"""
            {"channel": "webshop", "externalId": "A-1001", "shipmentId": "S-1", "carrier": "DHL",
             "trackingNumber": " 00340434161234567890 ", "shippedAt": "2026-11-03T09:15:00+01:00",
             "lines": [{"sku": "KANNE-1L", "quantity": 2}, {"lineId": "7", "quantity": "1"}]}
            """#)
        #expect(shipment.channel == "webshop")
        #expect(shipment.externalId == "A-1001")
        #expect(shipment.shipmentId == "S-1")
        #expect(shipment.carrier == "DHL")
        #expect(shipment.trackingNumber == "00340434161234567890")
        #expect(shipment.trackingUrl == nil)
        #expect(shipment.shippedAt?.rfc3339 == "2026-11-03T08:15:00Z")
        #expect(shipment.lines == [ShipmentLine(sku: "KANNE-1L", quantity: 2), ShipmentLine(lineId: "7", quantity: 1)])
        #expect(try normalizeShipment("canonical", JSON.serialize(shipment.json)) == shipment)
    }

    @Test func refusals() throws {
        let cases: [(String, NormalizationError.Code, String?)] = [
            (#"{"externalId": "1", "shipmentId": "S"}"#, .missingField, "channel"),
            (#"{"channel": "webshop", "shipmentId": "S"}"#, .missingField, "externalId"),
            (#"{"channel": "webshop", "externalId": "1"}"#, .missingField, "shipmentId"),
            (
                #"{"channel": "webshop", "externalId": "1", "shipmentId": "S", "lines": [{"quantity": -1}]}"#,
                .negativeQuantity, "lines[0].quantity"
            ),
            (
                #"{"channel": "webshop", "externalId": "1", "shipmentId": "S", "lines": [{"sku": "X"}]}"#,
                .missingField, "lines[0].quantity"
            ),
            (
                #"{"channel": "webshop", "externalId": "1", "shipmentId": "S", "shippedAt": "soon"}"#, .invalidField,
                "shippedAt"
            ),
            (#"[]"#, .notObject, nil),
        ]
        for (json, code, field) in cases {
            let error = try #require(throws: NormalizationError.self) { try normalizeShipment("canonical", json) }
            #expect(error.code == code, "\(json)")
            #expect(error.field == field, "\(json)")
        }
    }
}
