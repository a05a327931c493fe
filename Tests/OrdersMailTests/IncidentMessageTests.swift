import OrdersDomain
import OrdersMail
import Testing

/// An incident campaign's reason stays with the operators; the customer reads the campaign's
/// message in their language, else a neutral built-in sentence.
@Suite struct IncidentMessageTests {
    static let messages = [
        "de": "Unsere Druckerei war einen Vormittag lang nicht erreichbar.",
        "en": "Our print shop was unreachable for a morning & we could not print labels.",
    ]

    private func content(locale: String, messages: [String: String] = messages) throws -> EmailComposer.Content {
        try Events.composer().content(
            for: Events.decode(
                Events.voucher(
                    reason: "incident", locale: locale, note: "print shop offline (ticket OPS-42)",
                    customerMessages: messages)))
    }

    @Test(arguments: ["de", "en"])
    func theCustomerReadsTheMessageOfTheirLanguageNeverTheReason(locale: String) throws {
        let mail = try content(locale: locale)
        let message = try #require(Self.messages[locale])
        #expect(mail.text.contains(message))
        #expect(mail.html.markup.contains(HTML(escaping: message).markup))
        for part in [mail.subject, mail.text, mail.html.markup] {
            #expect(!part.contains("print shop offline") && !part.contains("OPS-42"))
        }
    }

    @Test func aLanguageWithoutAMessageGetsTheNeutralSentence() throws {
        let de = try content(locale: "de", messages: ["en": "Only English."])
        #expect(de.text.contains("Wir haben die Ursache behoben"))
        #expect(!de.text.contains("Only English.") && !de.text.contains("print shop offline"))
        let en = try content(locale: "en", messages: [:])
        #expect(en.text.contains("We have dealt with the cause"))
    }

    @Test func theMessagesTravelInTheEventBody() throws {
        let event = try Events.decode(
            Events.voucher(reason: "incident", note: "internal", customerMessages: Self.messages))
        let voucher = try #require(event.voucher)
        #expect(voucher.customerMessages == Self.messages)
        let again = try OrderEvent.decode(event.body)
        #expect(again == event)
        // The automatic triggers write no messages at all.
        let plain = try Events.decode(Events.voucher(reason: "delay"))
        #expect(plain.voucher?.customerMessages.isEmpty == true)
        #expect(!String(decoding: plain.body, as: UTF8.self).contains("customerMessages"))
    }
}
