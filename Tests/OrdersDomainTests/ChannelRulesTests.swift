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
}
