import Foundation
import OrdersMail
import Testing

@Suite struct TemplateTests {
    private func content(_ body: String) throws -> EmailComposer.Content {
        try Events.composer().content(for: Events.decode(body))
    }

    @Test func germanDelayVoucherStatesCodeValueMinimumAndExpiry() throws {
        let mail = try content(Events.voucher(reason: "delay", locale: nil, country: "DE"))
        #expect(mail.subject == "Ihre Bestellung #1001 verspätet sich – unsere Entschuldigung")
        for text in [mail.text, mail.html.markup] {
            #expect(text.contains("K7QW3MZPXH9T"))
            #expect(text.contains("5,00\u{A0}€"))
            #expect(text.contains("15,00\u{A0}€"))
            #expect(text.contains("23. Februar 2027"))
            #expect(text.contains("Entschädigung"))
            #expect(text.contains("Teehaus Vogel GmbH"))
            #expect(text.contains("Amtsgericht München, HRB 123456"))
            #expect(text.contains("Lena Vogel, Jonas Vogel"))
            #expect(text.contains("Hauptstraße 1, 80331 München"))
        }
        #expect(mail.text.contains("Guten Tag Lena Vogel,"))
    }

    @Test func englishDelayVoucher() throws {
        let mail = try content(Events.voucher(reason: "delay", locale: "en-GB", kind: "percent"))
        #expect(mail.subject == "Your order #1001 is running late – our apologies")
        #expect(mail.text.contains("10% off the goods of one order"))
        #expect(mail.text.contains("€15.00"))
        #expect(mail.text.contains("23 February 2027"))
        #expect(mail.text.contains("compensation for your order #1001"))
        #expect(mail.text.contains("Managing directors: Lena Vogel, Jonas Vogel"))
    }

    @Test(arguments: ["delay", "cancellation", "incident"])
    func eachReasonHasItsOwnWordingInBothLanguages(reason: String) throws {
        let de = try content(
            Events.voucher(reason: reason, locale: "de", note: "Unser Lager war zwei Tage ohne Strom."))
        let en = try content(
            Events.voucher(reason: reason, locale: "en", note: "Our warehouse had no power for two days."))
        let expected: [String: (String, String)] = [
            "delay": ("verspätet", "running late"), "cancellation": ("storniert", "cancelled"),
            "incident": ("Störung", "problem"),
        ]
        #expect(de.subject.contains(expected[reason]!.0))
        #expect(en.subject.contains(expected[reason]!.1))
        // The note is the operators' reason: never in a customer's mail.
        for mail in [de, en] {
            #expect(!mail.text.contains("Strom") && !mail.text.contains("power"))
            #expect(!mail.html.markup.contains("Strom") && !mail.html.markup.contains("power"))
        }
    }

    @Test func shipmentNamesTheCarrierAndLinksTheParcel() throws {
        let mail = try content(Events.shipment(carrier: "DHL", trackingNumber: "00340434161234567890"))
        let link = "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=00340434161234567890"
        #expect(mail.subject == "Ihre Bestellung #1001 ist unterwegs")
        #expect(mail.text.contains("mit DHL unterwegs"))
        #expect(mail.text.contains(link))
        #expect(mail.html.markup.contains("href=\"\(link)\""))
        #expect(mail.text.contains("2 × Teekanne 1 l"))
        #expect(mail.text.contains("1 × TASSE"))
    }

    @Test func unknownCarrierShowsTheNumberWithoutALink() throws {
        let mail = try content(Events.shipment(carrier: "Kurier Müller", trackingNumber: "KM-77"))
        #expect(mail.text.contains("KM-77"))
        #expect(!mail.html.markup.contains("<a href=\"http"))
    }

    @Test func delayNoticeForAMarketplaceOrderHasNoVoucherAndNoShopLink() throws {
        let mail = try content(Events.delayed(locale: "en-GB", channel: "amazon"))
        #expect(mail.subject == "Your order 302-1234567-1234567 will ship later than promised")
        #expect(mail.text.contains("by 20 November 2026"))
        #expect(mail.text.contains("your Amazon account"))
        #expect(!mail.text.contains("teehaus-vogel.example"))
        #expect(!mail.html.markup.contains("voucher"))
    }

    @Test func customerMarkupIsEscapedInHTML() throws {
        let mail = try content(Events.voucher(name: "<script>alert('x')</script> & Co", note: nil))
        #expect(mail.html.markup.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co"))
        #expect(!mail.html.markup.contains("<script>"))
        #expect(mail.text.contains("<script>alert('x')</script> & Co"))  // text is text
    }

    @Test func noAddressNoMessage() throws {
        #expect(try Events.composer().message(for: Events.decode(Events.voucher(email: nil))) == nil)
        #expect(
            try Events.composer().message(for: Events.decode(Events.voucher(email: "a@b\r\nBcc: x@example.org"))) == nil
        )
    }

    @Test func theMessageIsAMultipartAlternative() throws {
        let message = try #require(try Events.composer().message(for: Events.decode(Events.voucher(name: "Jörg <b>"))))
        let raw = String(decoding: try message.bytes(), as: UTF8.self)
        #expect(raw.contains("MIME-Version: 1.0"))
        #expect(raw.contains("Content-Type: multipart/alternative; boundary="))
        #expect(raw.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(raw.contains("Content-Type: text/html; charset=utf-8"))
        #expect(raw.contains("Content-Transfer-Encoding: quoted-printable"))
        #expect(raw.contains("Message-ID: <\(Events.defaultID)@teehaus-vogel.example>"))
        #expect(raw.contains("To: =?UTF-8?B?"))
        let headerBlock = raw.components(separatedBy: "\r\n\r\n")[0]
        #expect(!headerBlock.contains("Bcc"))
    }

    @Test func money() {
        let eur = Currency(code: "EUR")!
        #expect(MailFormatting.money(Money(minorUnits: 123_456, currency: eur), .de) == "1.234,56\u{A0}€")
        #expect(MailFormatting.money(Money(minorUnits: 123_456, currency: eur), .en) == "€1,234.56")
        #expect(MailFormatting.money(Money(minorUnits: -5, currency: eur), .en) == "-€0.05")
        #expect(
            MailFormatting.money(Money(minorUnits: 500, currency: Currency(code: "CHF")!), .de) == "5,00\u{A0}CHF")
        #expect(MailFormatting.money(Money(minorUnits: 500, currency: Currency(code: "JPY")!), .en) == "JP¥500")
        // More digits than a Double carries exactly.
        #expect(
            MailFormatting.money(Money(minorUnits: 9_007_199_254_740_993, currency: eur), .en)
                == "€90,071,992,547,409.93")
    }
}

import OrdersDomain
