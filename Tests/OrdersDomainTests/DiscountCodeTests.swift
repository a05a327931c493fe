import Foundation
import OrdersTestSupport
import Testing
@testable import OrdersDomain

// Expected values below were worked out by reading the fixtures and the inline orders, not copied from output.

/// The minimal order of `channel` (HostileInputTests) with `members` added to the object that `anchor` opens.
private func order(_ channel: String, adding members: String, after anchor: String) -> String {
    minimalOrder(channel).replacingExisting(anchor, with: anchor + " " + members + ",")
}

private func codes(_ order: CanonicalOrder) -> [String] { order.discountCodes.map(\.code) }
private func amounts(_ order: CanonicalOrder) -> [String?] { order.discountCodes.map { $0.amount?.decimalString } }

@Suite("Discount codes")
struct DiscountCodeTests {
    // MARK: Real fixtures

    @Test(
        "Shopify REST fixture: discount_codes TENOFF 10.00",
        .enabled(if: Fixtures.available, "shared fixtures not found: fixture tests NOT RUN"))
    func shopifyFixture() throws {
        let order = try normalizeOrder("shopify", fixture: "shopify/rest-order-authorized-discountcode.json")
        #expect(order.discountCodes == [DiscountCode(code: "TENOFF", amount: money(1000, "USD"))])
    }

    @Test(
        "Fixtures without codes: empty lists, and no discountCodes key in the canonical JSON",
        .enabled(if: Fixtures.available, "shared fixtures not found: fixture tests NOT RUN"),
        arguments: [
            ("woocommerce", "woocommerce/order-retrieve-processing.docs-example.json"),
            ("shopware", "shopware6/app-payment-pay-request-with-order.json"),
        ])
    func fixturesWithoutCodes(channel: String, path: String) throws {
        let order = try normalizeOrder(channel, fixture: path)
        #expect(order.discountCodes.isEmpty)
        #expect(order.json["discountCodes"] == nil)
    }

    @Test(
        "Shopify webhook sample: empty discount_codes and discount_applications",
        .enabled(if: Fixtures.available, "shared fixtures not found: fixture tests NOT RUN"))
    func shopifyWebhookSample() throws {
        let body = try #require(try fixtureJSON("shopify/webhook-orders-create.2026-04.docs-sample.json")["response"])
        #expect(try normalizeOrder("shopify", body).discountCodes.isEmpty)
    }

    @Test(
        "eBay fixture: promotion 5001 summed over two lines (0.59 + 2.60)",
        .enabled(if: Fixtures.available, "shared fixtures not found: fixture tests NOT RUN"))
    func ebayFixture() throws {
        let order = try normalizeOrder("ebay", fixture: "ebay/getOrder.de-eur-partially-shipped.handwritten.json")
        #expect(order.discountCodes == [DiscountCode(code: "5001", amount: money(319, "EUR"))])
    }

    @Test(
        "Amazon fixtures: v0 PromotionIds FREESHIP, 2026-01-01 promotion breakdown, no amounts",
        .enabled(if: Fixtures.available, "shared fixtures not found: fixture tests NOT RUN"))
    func amazonFixtures() throws {
        let v0 = JSONValue.object(
            JSONObject([
                ("order", try #require(try fixtureJSON("amazon/getOrder.docs-example.extracted.json")["payload"])),
                (
                    "orderItems",
                    try #require(
                        try fixtureJSON("amazon/getOrderItems.docs-example.extracted.json")["payload"]?["OrderItems"])
                ),
            ]))
        #expect(try normalizeOrder("amazon", v0).discountCodes == [DiscountCode(code: "FREESHIP")])
        let order2026 = try normalizeOrder(
            "amazon", try fixtureJSON("amazon/orders-2026-01-01.getOrder.docs-example-uk.extracted.json"))
        #expect(order2026.discountCodes == [DiscountCode(code: "UK-BOXING-DAY-2024")])
    }

    // MARK: Hand-written payloads

    @Test func shopifyApplicationsWithAllocationsInThePresentmentCurrency() throws {
        // Shop in EUR, buyer in CHF: discount_codes' amount is shop money, so the allocations' presentment amounts
        // are taken; the automatic discount has no code.
        let body = #"""
            {"id": 1, "currency": "EUR", "presentment_currency": "CHF", "created_at": "2026-11-02T14:05:00Z",
             "total_price_set": {"presentment_money": {"amount": "40.00", "currency_code": "CHF"}},
             "discount_codes": [{"code": "sorry7kq2m9xw4ht", "amount": "4.50", "type": "fixed_amount"}],
             "discount_applications": [
                {"type": "automatic", "title": "Winter", "value": "5.0", "value_type": "percentage"},
                {"type": "discount_code", "code": "SORRY7KQ2M9XW4HT", "value": "5.0", "value_type": "fixed_amount"}],
             "line_items": [
                {"id": 7, "quantity": 1, "price_set": {"presentment_money": {"amount": "30.00"}}, "price": "28.00",
                 "discount_allocations": [
                    {"amount": "1.00", "amount_set": {"presentment_money": {"amount": "1.10"}},
                     "discount_application_index": 0},
                    {"amount": "3.00", "amount_set": {"presentment_money": {"amount": "3.20"}},
                     "discount_application_index": 1}]},
                {"id": 8, "quantity": 1, "price_set": {"presentment_money": {"amount": "20.00"}}, "price": "18.00",
                 "discount_allocations": [
                    {"amount": "1.50", "amount_set": {"presentment_money": {"amount": "1.60"}},
                     "discount_application_index": 1}]}]}
            """#
        let order = try normalizeOrder("shopify", body)
        #expect(order.discountCodes == [DiscountCode(code: "SORRY7KQ2M9XW4HT", amount: money(480, "CHF"))])
    }

    @Test func shopifyDiscountCodesAloneInTheShopCurrency() throws {
        let body = order(
            "shopify", adding: #""discount_codes": [{"code": " WELCOME10 ", "amount": "3.00"}, {"code": ""}]"#,
            after: #""currency": "EUR","#)
        let parsed = try normalizeOrder("shopify", body)
        #expect(codes(parsed) == ["WELCOME10"])
        #expect(amounts(parsed) == ["3.00"])
    }

    @Test func wooCommerceCouponLines() throws {
        let body = order(
            "woocommerce",
            adding: #"""
                "coupon_lines": [{"id": 1, "code": "sorry7kq2m9xw4ht", "discount": "5.00", "discount_tax": "0.95"},
                                 {"id": 2, "code": "freeship", "discount": "0.00"}]
                """#, after: #""currency": "EUR","#)
        let parsed = try normalizeOrder("woocommerce", body)
        #expect(codes(parsed) == ["sorry7kq2m9xw4ht", "freeship"])
        #expect(amounts(parsed) == ["5.00", "0.00"])
    }

    @Test func shopwarePromotionLineItems() throws {
        let body = minimalOrder("shopware").replacingExisting(
            #""totalPrice": 30.0}]"#,
            with: #"""
                "totalPrice": 30.0},
                 {"id": "p1", "type": "promotion", "quantity": 1, "unitPrice": -5.0, "totalPrice": -5.0,
                  "referencedId": "SORRY7KQ2M9XW4HT", "payload": {"code": "SORRY7KQ2M9XW4HT"}},
                 {"id": "p2", "type": "promotion", "quantity": 1, "unitPrice": -1.5, "totalPrice": -1.5,
                  "referencedId": null, "payload": {"code": ""}},
                 {"id": "p3", "type": "promotion", "quantity": 1, "unitPrice": -2.0, "totalPrice": -2.0,
                  "referencedId": "NEWSLETTER"}]
                """#)
        let parsed = try normalizeOrder("shopware", body)
        #expect(codes(parsed) == ["SORRY7KQ2M9XW4HT", "NEWSLETTER"])
        #expect(amounts(parsed) == ["5.00", "2.00"])
        #expect(parsed.totals.discount == money(850, "EUR"))  // the automatic promotion still counts as discount
        #expect(parsed.lines.count == 1)
    }

    @Test func canonicalDiscountCodesRoundTrip() throws {
        let body = order(
            "canonical",
            adding: #""discountCodes": [{"code": "SORRY7KQ2M9XW4HT", "amount": "5.00"}, {"code": "NEWSLETTER"}]"#,
            after: #""currency": "EUR","#)
        let parsed = try normalizeOrder("canonical", body)
        #expect(codes(parsed) == ["SORRY7KQ2M9XW4HT", "NEWSLETTER"])
        #expect(amounts(parsed) == ["5.00", nil])
        let json = JSON.serialize(parsed.json)
        #expect(
            json.hasSuffix(
                #","discountCodes":[{"code":"SORRY7KQ2M9XW4HT","amount":"5.00"},"#
                    + #"{"code":"NEWSLETTER","amount":null}]}"#), "\(json)")
        #expect(try normalizeOrder("canonical", json) == parsed)
    }

    @Test func anOrderWithoutCodesSerializesWithoutTheKey() throws {
        let parsed = try normalizeOrder("canonical", minimalOrder("canonical"))
        #expect(parsed.discountCodes.isEmpty)
        #expect(!JSON.serialize(parsed.json).contains("discountCodes"))
    }

    @Test func codesRepeatedOverLinesAreOneEntryCaseInsensitively() throws {
        let body = minimalOrder("ebay").replacingExisting(
            #""lineItemCost": {"value": "30.00", "currency": "EUR"}"#,
            with: #"""
                "lineItemCost": {"value": "30.00", "currency": "EUR"},
                "appliedPromotions": [{"promotionId": "Spring", "discountAmount": {"value": "1.00", "currency": "EUR"}},
                                      {"promotionId": "SPRING", "discountAmount": {"value": "0.50", "currency": "EUR"}}]
                """#)
        let parsed = try normalizeOrder("ebay", body)
        #expect(parsed.discountCodes == [DiscountCode(code: "Spring", amount: money(150, "EUR"))])
    }

    // MARK: Refusals naming the field

    @Test func controlCharactersInACodeAreRefused() throws {
        for id in controlCharacterIDs {
            let cases = [
                ("shopify", #""discount_codes": [{"code": \#(id), "amount": "1.00"}]"#, "discount_codes[0].code"),
                ("woocommerce", #""coupon_lines": [{"code": \#(id), "discount": "1.00"}]"#, "coupon_lines[0].code"),
                ("canonical", #""discountCodes": [{"code": \#(id)}]"#, "discountCodes[0].code"),
            ]
            for (channel, members, field) in cases {
                let error = try #require(
                    normalizationError(channel, order(channel, adding: members, after: #""currency": "EUR","#)))
                #expect(error.code == .invalidField)
                #expect(error.field == field)
                #expect(error.reason.hasPrefix("code contains the control character U+00"), "\(error)")
            }
        }
    }

    @Test func overlongCodesAndTooManyCodesAreRefused() throws {
        let long = String(repeating: "A", count: 256)
        let tooLong = order(
            "canonical", adding: #""discountCodes": [{"code": "\#(long)"}]"#, after: #""currency": "EUR","#)
        let error = try #require(normalizationError("canonical", tooLong))
        #expect(error.field == "discountCodes[0].code")
        #expect(error.reason == "code is longer than 255 bytes")
        let atLimit = order(
            "canonical", adding: #""discountCodes": [{"code": "\#(long.dropLast())"}]"#, after: #""currency": "EUR","#)
        #expect(normalizationError("canonical", atLimit) == nil)

        let many = (0...DiscountCode.maxPerOrder).map { #"{"code": "C\#($0)", "discount": "0.10"}"# }
        let woo = order(
            "woocommerce", adding: #""coupon_lines": [\#(many.joined(separator: ","))]"#, after: #""currency": "EUR","#)
        let tooMany = try #require(normalizationError("woocommerce", woo))
        #expect(tooMany.field == "coupon_lines")
        #expect(tooMany.reason == "more than 100 discount codes")
    }

    @Test func canonicalRefusesRepeatedCodesNegativeAmountsAndDuplicateKeys() throws {
        let twice = order(
            "canonical", adding: #""discountCodes": [{"code": "abc"}, {"code": "ABC"}]"#, after: #""currency": "EUR","#)
        let repeated = try #require(normalizationError("canonical", twice))
        #expect(repeated.field == "discountCodes[1].code")
        #expect(repeated.reason == #"code "ABC" is listed twice"#)

        let negative = order(
            "canonical", adding: #""discountCodes": [{"code": "abc", "amount": "-1.00"}]"#,
            after: #""currency": "EUR","#)
        #expect(normalizationError("canonical", negative)?.field == "discountCodes[0].amount")

        let malformed = order(
            "canonical", adding: #""discountCodes": [{"code": "abc", "amount": "1.001"}]"#,
            after: #""currency": "EUR","#)
        let money = try #require(normalizationError("canonical", malformed))
        #expect(money.code == .malformedMoney)
        #expect(money.field == "discountCodes[0].amount")

        let duplicateKey = order(
            "canonical", adding: #""discountCodes": [{"code": "abc", "code": "def"}]"#, after: #""currency": "EUR","#)
        let duplicate = try #require(normalizationError("canonical", duplicateKey))
        #expect(duplicate.field == "discountCodes[0].code")
        #expect(duplicate.reason == "duplicate key: the object gives this field twice")

        let notObject = order("canonical", adding: #""discountCodes": ["abc"]"#, after: #""currency": "EUR","#)
        #expect(normalizationError("canonical", notObject)?.field == "discountCodes[0]")
    }

    @Test func invariantsCatchCodesAnAdapterGotWrong() throws {
        let eur = Currency(code: "EUR")!
        var order = CanonicalOrder(
            channel: "otto", externalId: "1", status: .received, placedAt: UTCTimestamp(epochMilliseconds: 0),
            currency: eur, totals: .onlyGrand(.zero(eur)))
        order.discountCodes = [DiscountCode(code: "a\u{1b}b")]
        #expect(normalizationError { try order.checkInvariants() }?.field == "discountCodes[0].code")
        order.discountCodes = [DiscountCode(code: "abc"), DiscountCode(code: "ABC")]
        #expect(normalizationError { try order.checkInvariants() }?.field == "discountCodes[1].code")
        order.discountCodes = [DiscountCode(code: "abc", amount: money(100, "CHF"))]
        #expect(normalizationError { try order.checkInvariants() }?.field == "discountCodes[0].amount")
    }
}
