import Foundation
import OrdersDomain
import OrdersMail
import Testing

/// Every event type, and every voucher reason, in each of the five languages.
@Suite struct LanguageTests {
    static let events: [(String, String)] = [
        ("shipment.dispatched", Events.shipment()),
        ("order.delayed", Events.delayed()),
        ("voucher.issued delay", Events.voucher(reason: "delay")),
        ("voucher.issued cancellation", Events.voucher(reason: "cancellation")),
        ("voucher.issued incident", Events.voucher(reason: "incident", kind: "percent")),
    ]

    /// A word of each language's layout that no other language's mail contains.
    static let markers: [MailLanguage: String] = [
        .de: "Bei Fragen antworten Sie", .en: "If you have any questions", .fr: "Pour toute question",
        .nl: "Hebt u vragen", .it: "Per qualsiasi domanda",
    ]

    @Test(arguments: MailLanguage.allCases)
    func everyEventTypeRendersInEveryLanguage(language: MailLanguage) throws {
        let composer = try Events.composer()
        var subjects: Set<String> = []
        for (name, body) in Self.events {
            let event = try Events.decode(body)
            let mail = composer.content(for: event, in: language)
            let marker = try #require(Self.markers[language])
            #expect(mail.text.contains(marker), "\(name)")
            #expect(mail.html.markup.contains(HTML(escaping: marker).markup), "\(name)")
            #expect(mail.html.markup.contains("<html lang=\"\(language.rawValue)\">"), "\(name)")
            for other in MailLanguage.allCases where other != language {
                #expect(!mail.text.contains(Self.markers[other]!), "\(name) in \(language) has \(other) text")
            }
            for part in [mail.subject, mail.text, mail.html.markup] {
                #expect(!part.contains("{{") && !part.contains("}}"), "\(name)")
            }
            #expect(mail.subject.contains(event.order.displayNumber), "\(name)")
            #expect(mail.text.contains("Teehaus Vogel GmbH") && mail.text.contains("Lena Vogel, Jonas Vogel"))
            subjects.insert(mail.subject)
        }
        #expect(subjects.count == Self.events.count, "each event type has its own subject")
    }

    @Test func theLocaleChoosesTheLanguageAndItsFormats() throws {
        let composer = try Events.composer()
        let expectations: [(String, String, String)] = [
            ("fr-CH", "23 février 2027", "5,00\u{A0}€"),
            ("nl-BE", "23 februari 2027", "€\u{A0}5,00"),
            ("it", "23 febbraio 2027", "5,00\u{A0}€"),
        ]
        for (locale, expiry, money) in expectations {
            let mail = composer.content(for: try Events.decode(Events.voucher(locale: locale)))
            #expect(mail.text.contains(expiry), "\(locale)")
            #expect(mail.text.contains(money), "\(locale)")
        }
    }

    @Test func theComposersDefaultLanguageServesUnknownLocalesAndCountries() throws {
        var composer = try Events.composer()
        composer.defaultLanguage = .it
        let mail = composer.content(for: try Events.decode(Events.voucher(locale: "zh-TW", country: "TW")))
        #expect(mail.text.contains("Per qualsiasi domanda"))
    }
}
