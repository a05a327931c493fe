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
}
