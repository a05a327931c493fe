import Foundation
import Testing
@testable import OrdersDomain

/// The smallest order each channel accepts, with ORDER_ID and LINE_ID standing for JSON values.
let minimalOrders: [String: String] = [
    "shopify": #"""
    {"id": ORDER_ID, "currency": "EUR", "created_at": "2026-11-02T14:05:00Z", "total_price": "30.00",
     "line_items": [{"id": LINE_ID, "quantity": 2, "price": "15.00", "title": "Mug"}]}
    """#,
    "woocommerce": #"""
    {"id": ORDER_ID, "currency": "EUR", "date_created_gmt": "2026-11-02T14:05:00", "total": "30.00",
     "line_items": [{"id": LINE_ID, "quantity": 2, "subtotal": "30.00", "total": "30.00"}]}
    """#,
    "amazon": #"""
    {"order": {"AmazonOrderId": ORDER_ID, "PurchaseDate": "2026-11-02T14:05:00Z",
               "OrderTotal": {"CurrencyCode": "EUR", "Amount": "30.00"}},
     "orderItems": [{"OrderItemId": LINE_ID, "QuantityOrdered": 2,
                     "ItemPrice": {"CurrencyCode": "EUR", "Amount": "30.00"}}]}
    """#,
    "ebay": #"""
    {"orderId": ORDER_ID, "creationDate": "2026-11-02T14:05:00.000Z",
     "pricingSummary": {"total": {"value": "30.00", "currency": "EUR"}},
     "lineItems": [{"lineItemId": LINE_ID, "quantity": 2, "lineItemCost": {"value": "30.00", "currency": "EUR"}}]}
    """#,
    "shopware": #"""
    {"id": ORDER_ID, "currency": {"isoCode": "EUR"}, "orderDateTime": "2026-11-02T14:05:00.000+00:00",
     "amountTotal": 30.0,
     "lineItems": [{"id": LINE_ID, "type": "product", "quantity": 2, "unitPrice": 15.0, "totalPrice": 30.0}]}
    """#,
    "pos": #"""
    {"id": ORDER_ID, "created_at": "2026-11-02T14:05:00Z", "total_money": {"amount": 3000, "currency": "EUR"},
     "line_items": [{"uid": LINE_ID, "quantity": "2", "base_price_money": {"amount": 1500, "currency": "EUR"}}]}
    """#,
    "canonical": #"""
    {"channel": "otto", "externalId": ORDER_ID, "status": "received", "placedAt": "2026-11-02T14:05:00Z",
     "currency": "EUR", "totals": {"grand": "30.00"},
     "lines": [{"lineId": LINE_ID, "quantity": 2, "unitPrice": "15.00"}]}
    """#,
]

/// The minimal order of `channel` with the given JSON values for its order id and line id.
func minimalOrder(_ channel: String, orderID: String = #""1001""#, lineID: String = #""7""#) -> String {
    minimalOrders[channel]!.replacingExisting("ORDER_ID", with: orderID).replacingExisting("LINE_ID", with: lineID)
}

/// C0 (NUL, ESC), DEL and C1 (NEL), as JSON escapes.
let controlCharacterIDs = [#""a\u0000b""#, #""a\u001bb""#, #""a\u007fb""#, #""a\u0085b""#]

@Suite("Hostile input")
struct HostileInputTests {
    static let channels = minimalOrders.keys.sorted()

    @Test(arguments: channels) func minimalOrderOfEachChannelIsAccepted(channel: String) throws {
        let order = try normalizeOrder(channel, minimalOrder(channel))
        #expect(order.externalId == "1001")
        #expect(order.lines.map(\.lineId) == ["7"])
    }

    @Test(arguments: channels) func controlCharacterInOrderIdIsRefused(channel: String) throws {
        for id in controlCharacterIDs {
            let error = try #require(normalizationError(channel, minimalOrder(channel, orderID: id)), "\(id)")
            #expect(error.code == .invalidField)
            #expect(error.field != nil)
            #expect(error.reason.hasPrefix("id contains the control character U+00"))
        }
    }

    @Test(arguments: channels) func controlCharacterInLineIdIsRefused(channel: String) throws {
        for id in controlCharacterIDs {
            let error = try #require(normalizationError(channel, minimalOrder(channel, lineID: id)), "\(id)")
            #expect(error.code == .invalidField)
            #expect(error.field?.hasSuffix("[0].\(Self.lineIDKeys[channel]!)") == true, "\(error)")
            #expect(error.reason.contains("control character"))
        }
    }

    static let lineIDKeys = [
        "shopify": "id", "woocommerce": "id", "amazon": "OrderItemId", "ebay": "lineItemId", "shopware": "id",
        "pos": "uid", "canonical": "lineId",
    ]

    @Test func controlCharacterInShipmentIdIsRefused() throws {
        for id in controlCharacterIDs {
            let parcel = #"{"channel": "otto", "externalId": "1", "shipmentId": \#(id), "lines": []}"#
            let error = try #require(shipmentNormalizationError("canonical", parcel))
            #expect(error.field == "shipmentId")
            let fulfillment = #"{"id": \#(id), "order_id": 1, "tracking_number": "1Z", "line_items": []}"#
            #expect(shipmentNormalizationError("shopify", fulfillment)?.field == "id")
            let line =
                #"{"channel": "otto", "externalId": "1", "shipmentId": "P1", "#
                + #""lines": [{"lineId": \#(id), "quantity": 1}]}"#
            #expect(shipmentNormalizationError("canonical", line)?.field == "lines[0].lineId")
        }
    }

    @Test func ordersFromAdaptersWithControlCharactersInIdsAreCaughtByTheInvariants() throws {
        let eur = Currency(code: "EUR")!
        let order = CanonicalOrder(
            channel: "otto", externalId: "1", status: .received, placedAt: UTCTimestamp(epochMilliseconds: 0),
            currency: eur, totals: .onlyGrand(.zero(eur)),
            lines: [OrderLine(lineId: "a\u{0}b", quantity: 1, unitPrice: .zero(eur), total: .zero(eur))])
        let error = try #require(normalizationError { try order.checkInvariants() })
        #expect(error.field == "lines[0].lineId")
    }

    // MARK: Quantities and prices

    @Test func ebayQuantityOf10To18IsRefusedNotPricedAtZero() throws {
        let body = minimalOrder("ebay").replacingExisting(#""quantity": 2"#, with: #""quantity": 1000000000000000000"#)
        let error = try #require(normalizationError("ebay", body))
        #expect(error.code == .invalidField)
        #expect(error.field == "lineItems[0].quantity")
        #expect(error.reason == "quantity 1000000000000000000 is above the limit of 1000000 units per line")
    }

    @Test(arguments: channels) func quantityAboveTheCapIsRefused(channel: String) throws {
        // Square sends quantities as strings; a number is read the same way.
        let key = channel == "amazon" ? "QuantityOrdered" : "quantity"
        let body = minimalOrder(channel).replacingOccurrences(of: #""quantity": "2""#, with: #""quantity": 2"#)
        let capped = body.replacingExisting(#""\#(key)": 2"#, with: #""\#(key)": 1000001"#)
        let error = try #require(normalizationError(channel, capped))
        #expect(error.field?.hasSuffix("[0].\(key)") == true, "\(error)")
        let atCap = body.replacingExisting(#""\#(key)": 2"#, with: #""\#(key)": 1000000"#)
        #expect(normalizationError(channel, atCap)?.field?.hasSuffix(key) != true)
    }

    @Test func twoShipmentLinesOfInt64MaxAreRefusedNotWrapped() throws {
        let parcel = #"""
            {"channel": "otto", "externalId": "1", "shipmentId": "P1",
             "lines": [{"sku": "A", "quantity": 9223372036854775807}, {"sku": "B", "quantity": 9223372036854775807}]}
            """#
        let error = try #require(shipmentNormalizationError("canonical", parcel))
        #expect(error.field == "lines[0].quantity")
    }

    @Test func unitPriceTimesQuantityMustMatchTheLineTotalWithinRounding() throws {
        let body = minimalOrder("canonical").replacingExisting(
            #""unitPrice": "15.00"}"#, with: #""unitPrice": "15.00", "total": "31.00"}"#)
        let error = try #require(normalizationError("canonical", body))
        #expect(error.field == "lines[0].total")
        #expect(error.reason == "unit price 15.00 x quantity 2 differs from the line total 31.00 by more than rounding")
        // 10.00 / 3 = 3.33 per unit: 9.99 is within rounding of 10.00.
        let rounded = minimalOrder("canonical").replacingExisting(
            #""quantity": 2, "unitPrice": "15.00"}"#, with: #""quantity": 3, "unitPrice": "3.33", "total": "10.00"}"#)
        #expect(normalizationError("canonical", rounded) == nil)
    }

    // MARK: Duplicate keys

    @Test(arguments: channels) func duplicateOrderIdIsRefused(channel: String) throws {
        let body = minimalOrder(channel, orderID: #""1", "\#(Self.orderIDKeys[channel]!)": "2""#)
        let error = try #require(normalizationError(channel, body))
        #expect(error.code == .invalidField)
        #expect(error.field?.hasSuffix(Self.orderIDKeys[channel]!) == true, "\(error)")
        #expect(error.reason == "duplicate key: the object gives this field twice")
    }

    static let orderIDKeys = [
        "shopify": "id", "woocommerce": "id", "amazon": "AmazonOrderId", "ebay": "orderId", "shopware": "id",
        "pos": "id", "canonical": "externalId",
    ]

    @Test func duplicateMoneyAndEmailAreRefused() throws {
        let grand = minimalOrder("canonical").replacingExisting(
            #""totals": {"grand": "30.00"}"#, with: #""totals": {"grand": "30.00", "grand": "3.00"}"#)
        #expect(normalizationError("canonical", grand)?.field == "totals.grand")
        let email = minimalOrder("shopify").replacingExisting(
            #""currency": "EUR","#, with: #""currency": "EUR", "email": "a@example.com", "email": "b@example.com","#)
        #expect(normalizationError("shopify", email)?.field == "email")
    }

    @Test func duplicateKeysNobodyReadsAreAccepted() throws {
        let body = minimalOrder("shopify").replacingExisting(
            #""currency": "EUR","#, with: #""currency": "EUR", "note": "a", "note": "b","#)
        #expect(normalizationError("shopify", body) == nil)
    }

    @Test func parsedObjectsListTheirDuplicateKeys() throws {
        guard case .object(let object) = try JSON.parse(Array(#"{"a": 1, "b": 2, "a": 3, "a": 4}"#.utf8)) else {
            Issue.record("not an object")
            return
        }
        #expect(object.duplicateKeys == ["a"])
        #expect(object["a"] == .number("4"))
        #expect(JSONObject([("a", .null)]).duplicateKeys.isEmpty)
    }

    // MARK: Instants

    @Test func instantsOutsideYears0001To9999AfterTheOffsetAreRefused() throws {
        #expect(UTCTimestamp(rfc3339: "9999-12-31T23:59:59-23:59") == nil)  // 10000-01-01T23:58:59Z
        #expect(UTCTimestamp(rfc3339: "0000-06-01T00:00:00Z") == nil)
        #expect(UTCTimestamp(rfc3339: "0001-01-01T00:00:00+00:01") == nil)  // 0000-12-31T23:59:00Z
        #expect(UTCTimestamp(rfc3339: "0001-01-01T00:00:00Z")?.rfc3339 == "0001-01-01T00:00:00Z")
        #expect(UTCTimestamp(rfc3339: "9999-12-31T23:59:59.999Z")?.rfc3339 == "9999-12-31T23:59:59.999Z")
        let body = minimalOrder("canonical").replacingExisting(
            #""placedAt": "2026-11-02T14:05:00Z""#, with: #""placedAt": "9999-12-31T23:59:59-23:59""#)
        let error = try #require(normalizationError("canonical", body))
        #expect(error.field == "placedAt")
        #expect(error.reason.contains("0001-9999"))
    }

    @Test(arguments: channels) func shipByAfterTheHandlingTimeInYear10000IsRefused(channel: String) throws {
        let late = minimalOrder(channel)
            .replacingExisting("2026-11-02T14:05:00", with: "9999-12-31T12:00:00")
        let error = try #require(normalizationError(channel, late))
        #expect(error.field == "shipBy")
        #expect(error.reason == "10000-01-02T12:00:00Z is outside the years 0001-9999")
    }

    // MARK: Shopware amounts

    private func shopware(amountTotal: String, net: String? = nil) -> String {
        let total = net.map { "\(amountTotal), \"amountNet\": \($0)" } ?? amountTotal
        return minimalOrder("shopware").replacingExisting(#""amountTotal": 30.0"#, with: #""amountTotal": \#(total)"#)
    }

    @Test func shopwareNumbersWithFloatArtefactsAreRounded() throws {
        let order = try normalizeOrder("shopware", shopware(amountTotal: "30.000000000000004"))
        #expect(order.totals.grand == money(3000, "EUR"))
        #expect(try normalizeOrder("shopware", shopware(amountTotal: "30.005")).totals.grand == money(3000, "EUR"))
    }

    @Test func shopwareStringsWithExtraDigitsAreRefused() throws {
        let error = try #require(normalizationError("shopware", shopware(amountTotal: #""12.345""#)))
        #expect(error.code == .malformedMoney)
        #expect(error.field == "amountTotal")
        #expect(try normalizeOrder("shopware", shopware(amountTotal: #""30.000""#)).totals.grand == money(3000, "EUR"))
    }

    @Test func shopwareTinyExponentNumbersAreRefused() throws {
        let error = try #require(normalizationError("shopware", shopware(amountTotal: "1e-400")))
        #expect(error.code == .malformedMoney)
        #expect(error.field == "amountTotal")
        let long = try #require(normalizationError("shopware", shopware(amountTotal: "30.0000000000000000000001")))
        #expect(long.field == "amountTotal")
        let tiny = try #require(normalizationError("shopware", shopware(amountTotal: "0.0000000000000000000001")))
        #expect(tiny.code == .malformedMoney)
        #expect(try normalizeOrder("shopware", shopware(amountTotal: "0.0")).totals.grand == money(0, "EUR"))
    }

    @Test func shopwareNegativeDerivedTaxIsRefused() throws {
        let error = try #require(normalizationError("shopware", shopware(amountTotal: "30.0", net: "31.0")))
        #expect(error.code == .malformedMoney)
        #expect(error.field == "amountNet")
        #expect(error.reason == "amountNet 31.00 is above amountTotal 30.00: the tax would be negative")
        #expect(
            try normalizeOrder("shopware", shopware(amountTotal: "30.0", net: "25.21")).totals.tax.minorUnits == 479)
    }

    // MARK: Reasons quoting input

    @Test func currencyCodeWithTerminalEscapesIsQuotedEscaped() throws {
        let body = minimalOrder("canonical").replacingExisting(
            #""currency": "EUR""#, with: #""currency": "\u001b]0;PWNED\u0007\u001b[2J""#)
        let error = try #require(normalizationError("canonical", body))
        #expect(error.code == .unknownCurrency)
        #expect(error.reason == #"unknown currency code "\u001B]0;PWNED\u0007\u001B[2J""#)
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }

    @Test func reasonsAndFieldsEscapeC0AndC1() {
        let error = NormalizationError(.invalidField, field: "a\u{85}b", "x\u{0}y\u{9B}z\u{7F}")
        #expect(error.field == #"a\u0085b"#)
        #expect(error.reason == #"x\u0000y\u009Bz\u007F"#)
        #expect(Text.escapingControlCharacters("Grüße\n\tend\u{1B}", keepingLineBreaks: true) == "Grüße\n\tend\\u001B")
        #expect(Text.escapingControlCharacters("plain ascii") == "plain ascii")
    }
}
