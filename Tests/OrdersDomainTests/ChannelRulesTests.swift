import Foundation
import Testing
@testable import OrdersDomain

/// The rules README "Channels" states across channels: locales, tips, gift cards, duties, marketplace tax, missing
/// creation times and totals that do not add up.
@Suite("Channel rules")
struct ChannelRulesTests {
    @Test func customerLocaleKeepsTheChannelsBCP47Tag() throws {
        let shopify = minimalOrder("shopify").replacingExisting(
            #""currency": "EUR","#, with: #""currency": "EUR", "customer_locale": "zh-TW","#)
        #expect(try normalizeOrder("shopify", shopify).customer.locale == "zh-TW")
        let shopware = minimalOrder("shopware").replacingExisting(
            #""currency": {"isoCode": "EUR"},"#,
            with: #""currency": {"isoCode": "EUR"}, "language": {"locale": {"code": "fr-CH"}},"#)
        #expect(try normalizeOrder("shopware", shopware).customer.locale == "fr-CH")
        let canonical = minimalOrder("canonical").replacingExisting(
            #""currency": "EUR","#, with: #""currency": "EUR", "customer": {"locale": "de-AT"},"#)
        #expect(try normalizeOrder("canonical", canonical).customer.locale == "de-AT")
        // No language in the payload: null, and the mail language follows the shipping country.
        #expect(try normalizeOrder("woocommerce", minimalOrder("woocommerce")).customer.locale == nil)
    }

    // MARK: Missing creation time

    /// Each channel's creation-time key in the minimal orders, and its update-time key.
    static let creationKeys = [
        "shopify": ("created_at", "updated_at"), "woocommerce": ("date_created_gmt", "date_modified_gmt"),
        "amazon": ("PurchaseDate", "LastUpdateDate"), "ebay": ("creationDate", "lastModifiedDate"),
        "shopware": ("orderDateTime", "updatedAt"), "pos": ("created_at", "updated_at"),
    ]

    @Test(arguments: creationKeys.keys.sorted())
    func orderWithoutCreationTimeFallsBackToUpdateTimeAndIsMarked(channel: String) throws {
        let (created, updated) = Self.creationKeys[channel]!
        let body = minimalOrder(channel).replacingExisting(#""\#(created)""#, with: #""\#(updated)""#)
        let order = try normalizeOrder(channel, body)
        #expect(order.placedAt.rfc3339.hasPrefix("2026-11-02T14:05:00"))
        #expect(order.channelStatus["placedAtGuessed"]?.stringValue?.hasSuffix(updated) == true)
        let normal = try normalizeOrder(channel, minimalOrder(channel))
        #expect(normal.channelStatus["placedAtGuessed"] == nil)
    }

    @Test(arguments: creationKeys.keys.sorted())
    func orderWithoutAnyTimeTakesTheReceivedTime(channel: String) throws {
        let (created, _) = Self.creationKeys[channel]!
        let body = Array(minimalOrder(channel).replacingExisting(#""\#(created)""#, with: #""unknown""#).utf8)
        let received = UTCTimestamp(rfc3339: "2026-12-04T18:00:00Z")!
        let order = try Normalizer.standard.normalizeOrder(channel: channel, body: body, receivedAt: received)
        #expect(order.placedAt == received)
        #expect(order.channelStatus["placedAtGuessed"] == .string("received"))
        // Without a received time (a caller that has none), still refused as before.
        let error = try #require(
            normalizationError { try Normalizer.standard.normalizeOrder(channel: channel, body: body) })
        #expect(error.code == .missingField)
    }

    @Test func squareBatchRetrieveOrderWithoutCreatedAtIsStored() throws {
        let body = minimalOrder("pos").replacingExisting(
            #""created_at": "2026-11-02T14:05:00Z""#, with: #""closed_at": "2026-11-02T15:00:00Z""#)
        let order = try normalizeOrder("pos", body)
        #expect(order.placedAt.rfc3339 == "2026-11-02T15:00:00Z")
        #expect(order.channelStatus["placedAtGuessed"] == .string("closed_at"))
        #expect(order.shipBy?.rfc3339 == "2026-11-04T15:00:00Z")
        // The mark survives the canonical channel, so a stored order keeps it.
        let again = try normalizeOrder("canonical", JSON.serialize(order.json))
        #expect(again == order)
    }

    // MARK: Tips, gift cards, duties

    static let shopifyWithTip = #"""
        {"id": 1001, "currency": "EUR", "created_at": "2026-11-02T14:05:00Z", "total_line_items_price": "30.00",
         "total_tip_received": "4.50", "total_shipping_price_set": {"shop_money": {"amount": "14.90"}},
         "total_price": "49.40",
         "line_items": [
           {"id": 1, "title": "Tip", "quantity": 1, "price": "4.50", "requires_shipping": false, "product_id": null,
            "gift_card": false},
           {"id": 2, "title": "Mug", "quantity": 2, "price": "15.00", "requires_shipping": true, "product_id": 77}]}
        """#

    @Test func shopifyTipIsNoLineButCountsInGrand() throws {
        let order = try normalizeOrder("shopify", Self.shopifyWithTip)
        #expect(order.lines.map(\.title) == ["Mug"])
        #expect(order.totals.items == money(3000, "EUR"))
        #expect(order.totals.shipping == money(1490, "EUR"))
        #expect(order.totals.grand == money(4940, "EUR"))
        // Derived grand (no total_price): the tip is added.
        let derived = try normalizeOrder(
            "shopify", Self.shopifyWithTip.replacingExisting(#""total_price": "49.40","#, with: ""))
        #expect(derived.totals.grand == money(4940, "EUR"))
    }

    @Test func shopifyGiftCardSoldIsNoLineAndLeavesTheItemsTotal() throws {
        let body = Self.shopifyWithTip
            .replacingExisting(#""total_line_items_price": "30.00""#, with: #""total_line_items_price": "55.00""#)
            .replacingExisting(#""total_price": "49.40""#, with: #""total_price": "74.40""#)
            .replacingExisting(
                #""title": "Mug", "#,
                with:
                    #""title": "Gift card", "quantity": 1, "price": "25.00", "gift_card": true}, "#
                    + #"{"id": 3, "title": "Mug", "#
            )
        let order = try normalizeOrder("shopify", body)
        #expect(order.lines.map(\.title) == ["Mug"])
        #expect(order.totals.items == money(3000, "EUR"))
        #expect(order.totals.grand == money(7440, "EUR"))
    }

    @Test func squareGiftCardSoldIsNoLine() throws {
        let body = minimalOrder("pos").replacingExisting(
            #""line_items": ["#,
            with: #""line_items": [{"uid": "g", "item_type": "GIFT_CARD", "quantity": "1", "#
                + #""base_price_money": {"amount": 2500, "currency": "EUR"}}, "#)
        let order = try normalizeOrder("pos", body)
        #expect(order.lines.map(\.lineId) == ["7"])
        #expect(order.totals.items == money(3000, "EUR"))
    }

    // MARK: Marketplace-collected tax

    @Test func ebayCollectAndRemitTaxCountsOnceAndIsNoted() throws {
        let collected = #"{"amount": {"value": "1.90", "currency": "EUR"}, "taxType": "VAT"}"#
        let derived = minimalOrder("ebay")
            .replacingExisting(#""pricingSummary": {"total": {"value": "30.00", "currency": "EUR"}},"#, with: "")
            .replacingExisting(
                #""quantity": 2,"#,
                with: #""quantity": 2, "taxes": [\#(collected)], "ebayCollectAndRemitTaxes": [\#(collected)],"#)
        let order = try normalizeOrder("ebay", derived)
        #expect(order.totals.tax == money(190, "EUR"))
        #expect(order.totals.grand == money(3190, "EUR"))
        #expect(order.channelStatus["marketplaceCollectedTax"] == .string("1.90"))
        let onlyCollected = derived.replacingExisting(#""taxes": [\#(collected)], "#, with: "")
        #expect(try normalizeOrder("ebay", onlyCollected).totals.tax == money(190, "EUR"))
    }

    @Test func amazonMarketplaceFacilitatorTaxCountsAndIsNoted() throws {
        let body = minimalOrder("amazon")
            .replacingExisting(#""Amount": "30.00"}},"#, with: #""Amount": "31.90"}},"#)
            .replacingExisting(
                #""QuantityOrdered": 2,"#,
                with: #""QuantityOrdered": 2, "ItemTax": {"CurrencyCode": "EUR", "Amount": "1.90"}, "#
                    + #""TaxCollection": {"Model": "MarketplaceFacilitator", "ResponsibleParty": "Amazon"},"#
            )
        let order = try normalizeOrder("amazon", body)
        #expect(order.totals.tax == money(190, "EUR"))
        #expect(order.totals.grand == money(3190, "EUR"))
        #expect(order.channelStatus["marketplaceCollectedTax"] == .string("1.90"))
        #expect(try normalizeOrder("amazon", minimalOrder("amazon")).channelStatus["marketplaceCollectedTax"] == nil)
    }

    // MARK: Shopware currencyId

    @Test func shopwareCurrencyIdWithoutTheAssociationIsReadThroughTheConfiguredMap() throws {
        let id = "b7d2554b0ce847cd82f3ac9bd1c0dfca"
        let body = Array(
            minimalOrder("shopware").replacingExisting(
                #""currency": {"isoCode": "EUR"}"#, with: #""currencyId": "\#(id)""#
            ).utf8)
        let error = try #require(
            normalizationError { try Normalizer.standard.normalizeOrder(channel: "shopware", body: body) })
        #expect(error.code == .unknownCurrency)
        #expect(error.field == "currencyId")
        #expect(error.reason.contains("ORDERFLOW_SHOPWARE_CURRENCIES"))
        let configured = Normalizer.standard(
            context: NormalizationContext(shopwareCurrencies: [id.uppercased(): Currency(code: "CHF")!]))
        #expect(try configured.normalizeOrder(channel: "shopware", body: body).currency.code == "CHF")
    }

    // MARK: Totals that do not add up

    @Test func threeLinesOf199UnderAnItemsTotalOf398AreKeptAndFlagged() throws {
        let body = #"""
            {"channel": "otto", "externalId": "1", "status": "paid", "placedAt": "2026-11-02T14:05:00Z",
             "currency": "EUR", "totals": {"items": "398.00", "grand": "398.00"},
             "lines": [{"quantity": 1, "unitPrice": "199.00"}, {"quantity": 1, "unitPrice": "199.00"},
                       {"quantity": 1, "unitPrice": "199.00"}]}
            """#
        let order = try normalizeOrder("canonical", body)
        #expect(order.totals.items == money(39800, "EUR"))  // the channel's figure, kept
        #expect(order.lines.count == 3)
        #expect(order.linesDiscrepancy == money(19900, "EUR"))
        #expect(try normalizeOrder("canonical", minimalOrder("canonical")).linesDiscrepancy == nil)
        // One minor unit per line is rounding, not a discrepancy.
        let rounded = body.replacingExisting(#""items": "398.00""#, with: #""items": "596.99""#)
        #expect(try normalizeOrder("canonical", rounded).linesDiscrepancy == nil)
    }
}
