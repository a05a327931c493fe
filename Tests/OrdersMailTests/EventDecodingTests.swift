import Foundation
import OrdersDomain
import OrdersMail
import Testing

@Suite struct EventDecodingTests {
    @Test func decodesAVoucherEvent() throws {
        let event = try Events.decode(Events.voucher())
        #expect(event.kind == .voucherIssued)
        #expect(event.eventId == Events.defaultID)
        #expect(event.order.displayNumber == "#1001")
        #expect(event.voucher?.code == "K7QW3MZPXH9T")
        #expect(event.voucher?.terms.kind == .amount(Money(minorUnits: 500, currency: Currency(code: "EUR")!)))
        #expect(event.voucher?.terms.minimumOrder?.minorUnits == 1500)
    }

    /// The relay's body read back by the notifier is the event the relay built: one type, both sides.
    @Test func whatTheRelayPublishesDecodesToTheSameEvent() throws {
        let eur = Currency(code: "EUR")!
        let order = OrderEvent.Order(
            channel: "webshop", externalId: "T-7", number: "#7",
            placedAt: UTCTimestamp(epochMilliseconds: 1_793_600_000_000),
            shipBy: UTCTimestamp(epochMilliseconds: 1_793_772_800_000), currency: eur,
            grandTotal: Money(minorUnits: 6575, currency: eur), country: "AT")
        let customer = OrderEvent.Customer(email: "lena@example.de", name: "Lena Vogel", locale: "de-AT")
        let parcel = OrderEvent.Parcel(
            shipmentId: "P1", carrier: "DHL", trackingNumber: "00340434161234567890", trackingUrl: nil,
            shippedAt: UTCTimestamp(epochMilliseconds: 1_793_700_000_000),
            items: [.init(sku: "KANNE-1", title: "Teekanne Größe 1", quantity: 2)])
        let terms = VoucherTerms(
            kind: .percent(10), currency: eur, minimumOrder: Money(minorUnits: 1500, currency: eur),
            expiresAt: UTCTimestamp(epochMilliseconds: 1_801_000_000_000))
        let events = [
            OrderEvent(
                eventId: "0b7e4f0c-3c55-4d7e-9a43-2f5b8c1d9e10", kind: .shipmentDispatched,
                occurredAt: UTCTimestamp(epochMilliseconds: 1_793_700_000_000),
                order: order, customer: customer, parcel: parcel),
            OrderEvent(
                eventId: "6f1c2a9e-8d44-4b1f-b0a7-5e3d2c1b0a99", kind: .voucherIssued,
                occurredAt: UTCTimestamp(epochMilliseconds: 1_793_800_000_000),
                order: order, customer: customer,
                voucher: .init(code: "K7QW3MZPXH9T", reason: .delay, terms: terms, note: nil)),
        ]
        for event in events { #expect(try OrderEvent.decode(event.body) == event) }
    }

    @Test func refusalsNameTheField() {
        let cases: [(String, String)] = [
            (
                Events.voucher().replacingOccurrences(of: #""reason": "delay""#, with: #""reason": "promo""#),
                "voucher.reason"
            ),
            (
                Events.voucher().replacingOccurrences(
                    of: #""expiresAt": "2027-02-23T22:59:59Z""#, with: #""expiresAt": null"#), "voucher.expiresAt"
            ),
            (Events.voucher().replacingOccurrences(of: Events.defaultID, with: "not-a-uuid"), "eventId"),
            (
                Events.voucher().replacingOccurrences(
                    of: #""currency": "EUR", "grandTotal""#, with: #""currency": "XXQ", "grandTotal""#),
                "order.currency"
            ),
            (
                Events.voucher().replacingOccurrences(of: #""amount": "5.00""#, with: #""amount": "5.0.0""#),
                "voucher.amount"
            ),
            (
                Events.shipment().replacingOccurrences(of: #""quantity": 2"#, with: #""quantity": -2"#),
                "shipment.items[0].quantity"
            ),
        ]
        for (body, field) in cases {
            do {
                _ = try Events.decode(body)
                Issue.record("accepted an event with a bad \(field)")
            } catch {
                #expect(error.field == field, "\(error)")
            }
        }
    }

    @Test func notJSONIsRefused() {
        #expect(throws: NormalizationError.self) { try OrderEvent.decode(Array("{nope".utf8)) }
    }

    @Test func anAddressWithALineBreakIsNoAddress() throws {
        let event = try Events.decode(Events.voucher(email: "lena@example.de\r\nBcc: someone@example.org"))
        #expect(event.customer.email == nil)
    }

    @Test(
        arguments: [
            ("de", nil, MailLanguage.de), ("de-AT", "GB", .de), ("en-GB", "DE", .en), (nil, "AT", .de),
            (nil, "CH", .de), (nil, "LI", .de), (nil, "FR", .fr), (nil, nil, .de), ("fr", "DE", .fr),
            ("fr-CH", "CH", .fr), ("nl_BE", nil, .nl), ("NL-nl", "DE", .nl), ("it-IT", nil, .it), (nil, "IT", .it),
            (nil, "NL", .nl), (nil, "be", .nl), ("zh-TW", "IT", .it), ("zh-TW", nil, .de), ("", "FR", .fr),
            (nil, "JP", .de),
        ] as [(String?, String?, MailLanguage)])
    func language(locale: String?, country: String?, expected: MailLanguage) {
        #expect(MailLanguage(locale: locale, country: country) == expected)
    }

    /// Orders keep the channel's full tag; the mail language is read from its primary language subtag,
    /// else the shipping country (`zh-TW` shipped to Germany: German), else the merchant's default.
    @Test(
        arguments: [
            ("de-CH", "FR", MailLanguage.de), ("de_AT", nil, .de), ("DE-de", nil, .de), ("gsw-CH", "CH", .de),
            ("zh-TW", "DE", .de), ("zh-Hant-TW", nil, .de), ("fr-CH", "CH", .fr), ("en-US", "AT", .en),
            ("dev", "DE", .de), ("it-CH", "DE", .it), ("nl-BE", nil, .nl),
        ] as [(String?, String?, MailLanguage)])
    func fullLocaleTagChoosesTheMailLanguage(locale: String?, country: String?, expected: MailLanguage) {
        #expect(MailLanguage(locale: locale, country: country) == expected)
    }

    @Test func theMerchantsDefaultLanguageWhenNothingElseDecides() {
        #expect(MailLanguage(locale: "zh-TW", country: "TW", default: .en) == .en)
        #expect(MailLanguage(locale: nil, country: nil, default: .it) == .it)
        #expect(MailLanguage(locale: "fr", country: nil, default: .it) == .fr)
    }
}
