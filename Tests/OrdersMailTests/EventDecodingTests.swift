import Foundation
import OrdersDomain
import OrdersMail
import Testing

@Suite struct EventDecodingTests {
    @Test func decodesAVoucherEvent() throws {
        let event = try Events.decode(Events.voucher())
        #expect(event.kind == .voucherIssued)
        #expect(event.eventID == Events.defaultID)
        #expect(event.order.displayNumber == "#1001")
        #expect(event.voucher?.code == "K7QW3MZPXH9T")
        #expect(event.voucher?.value == .amount(Money(minorUnits: 500, currency: Currency(code: "EUR")!)))
        #expect(event.voucher?.minimumOrderValue?.minorUnits == 1500)
    }

    @Test func refusalsNameTheField() {
        let cases: [(String, String)] = [
            (Events.voucher().replacingOccurrences(of: #""reason": "delay""#, with: #""reason": "promo""#), "voucher.reason"),
            (Events.voucher().replacingOccurrences(of: #""expiresAt": "2027-02-23T22:59:59Z""#, with: #""expiresAt": null"#), "voucher.expiresAt"),
            (Events.voucher().replacingOccurrences(of: Events.defaultID, with: "not-a-uuid"), "eventId"),
            (Events.voucher().replacingOccurrences(of: #""currency": "EUR", "grandTotal""#, with: #""currency": "XXQ", "grandTotal""#), "order.currency"),
            (Events.voucher().replacingOccurrences(of: #""amount": "5.00""#, with: #""amount": "5.0.0""#), "voucher.amount"),
            (Events.shipment().replacingOccurrences(of: #""quantity": 2"#, with: #""quantity": -2"#), "shipment.items[0].quantity"),
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
        #expect(throws: NormalizationError.self) { try NotificationEvent.decode(Array("{nope".utf8)) }
    }

    @Test func anAddressWithALineBreakIsNoAddress() throws {
        let event = try Events.decode(Events.voucher(email: "lena@example.de\r\nBcc: someone@example.org"))
        #expect(event.customer.email == nil)
    }

    @Test(arguments: [
        ("de", nil, MailLanguage.de), ("de-AT", "GB", .de), ("en-GB", "DE", .en), (nil, "AT", .de), (nil, "CH", .de),
        (nil, "LI", .de), (nil, "FR", .en), (nil, nil, .en), ("fr", "DE", .en),
    ] as [(String?, String?, MailLanguage)])
    func language(locale: String?, country: String?, expected: MailLanguage) {
        #expect(MailLanguage(locale: locale, country: country) == expected)
    }
}
