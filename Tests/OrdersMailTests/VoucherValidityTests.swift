import Foundation
import OrdersDomain
import OrdersMail
import Testing

/// A voucher's validity is a date: valid through the end of that day in the merchant's zone, and
/// every mail names exactly that date.
@Suite struct VoucherValidityTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    @Test(arguments: [
        ("2027-03-31", "Europe/Berlin", "2027-03-31T21:59:59Z"),  // summer time (from 28 March 2027)
        ("2027-01-31", "Europe/Berlin", "2027-01-31T22:59:59Z"),
        ("2027-03-31", "America/New_York", "2027-04-01T03:59:59Z"),
        ("2027-03-31", "UTC", "2027-03-31T23:59:59Z"),
    ])
    func theLastSecondOfTheDayInTheMerchantsZone(date: String, zone: String, expected: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        let end = try #require(MailFormatting.endOfDay(date, timeZone: timeZone))
        #expect(end.rfc3339 == expected)
    }

    @Test(arguments: ["2027-02-30", "2027-3-31", "31.03.2027", "2027-03-31T00:00:00Z", "", "2027-13-01"])
    func notADate(text: String) {
        #expect(MailFormatting.endOfDay(text, timeZone: Self.berlin) == nil)
    }

    @Test(arguments: ["2027-03-31", "2027-01-31", "2027-10-31"])
    func everyMailNamesTheDayTheOperatorGave(date: String) throws {
        let end = try #require(MailFormatting.endOfDay(date, timeZone: Self.berlin))
        let day = Int(date.suffix(2))!
        let months = ["01": ("Januar", "January"), "03": ("März", "March"), "10": ("Oktober", "October")]
        let (german, english) = months[String(date.dropFirst(5).prefix(2))]!
        let de = try Events.composer().content(for: Events.decode(Events.voucher(locale: "de", expiresAt: end.rfc3339)))
        let en = try Events.composer().content(for: Events.decode(Events.voucher(locale: "en", expiresAt: end.rfc3339)))
        for text in [de.text, de.html.markup] { #expect(text.contains("\(day). \(german) 2027 (einschließlich)")) }
        for text in [en.text, en.html.markup] { #expect(text.contains("\(day) \(english) 2027 (inclusive)")) }
        #expect(!de.text.contains("\(day + 1). \(german)") && !de.text.contains("1. April"))
    }

    @Test func theComposersZoneDecidesTheDay() throws {
        // 23:30 UTC on 31 March is 1 April in Berlin and still 31 March in New York.
        let event = try Events.decode(Events.voucher(locale: "en", expiresAt: "2027-03-31T23:30:00Z"))
        var composer = try Events.composer()
        #expect(composer.content(for: event).text.contains("1 April 2027"))
        composer.timeZone = try #require(TimeZone(identifier: "America/New_York"))
        #expect(composer.content(for: event).text.contains("31 March 2027"))
    }

    @Test func percentagesFollowTheLanguage() {
        #expect(MailFormatting.percent(10, .de) == "10\u{A0}%")
        #expect(MailFormatting.percent(10, .en) == "10%")
    }
}
