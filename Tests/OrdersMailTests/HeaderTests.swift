import Foundation
import OrdersMail
import Testing

@Suite struct HeaderTests {
    @Test func controlCharactersInAnyHeaderValueAreRefused() throws {
        #expect(throws: HeaderError.self) { try MailAddress("a@example.com\r\nBcc: b@example.com", header: "To") }
        #expect(throws: HeaderError.self) {
            try MailAddress("a@example.com", name: "Eve\nBcc: b@example.com", header: "To")
        }
        #expect(throws: HeaderError.self) {
            try MailAddress(parsing: "Shop <shop@example.com>\r\nX: y", header: "From")
        }
        var message = try #require(try Events.composer().message(for: Events.decode(Events.voucher())))
        message.subject = "Hello\r\nBcc: b@example.com"
        #expect(throws: HeaderError.self) { try message.headerLines() }
        message.subject = "Tab\tinside"
        #expect(throws: HeaderError.self) { try message.headerLines() }
    }

    @Test func plainSubjectsStayPlain() {
        #expect(EncodedWord.encode("Your order #1001 is on its way") == "Your order #1001 is on its way")
    }

    @Test func nonASCIISubjectsBecomeEncodedWordsOfAtMost75Characters() throws {
        let subject =
            "Ihre Bestellung #1001 verspätet sich – unsere Entschuldigung für die Verzögerung, Grüße aus München"
        let encoded = EncodedWord.encode(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var decoded = Data()
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            decoded += try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            // Each word decodes on its own: no UTF-8 sequence is split.
            #expect(
                String(data: try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))), encoding: .utf8)
                    != nil)
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
    }

    @Test func displayNamesAreQuotedOrEncoded() throws {
        #expect(try MailAddress("a@example.com", name: "Lena Vogel").headerValue == "Lena Vogel <a@example.com>")
        #expect(try MailAddress("a@example.com", name: "Vogel, Lena").headerValue == "\"Vogel, Lena\" <a@example.com>")
        #expect(try MailAddress("a@example.com", name: "Jörg").headerValue == "=?UTF-8?B?SsO2cmc=?= <a@example.com>")
    }

    @Test func messageIDComesFromTheEventAndTheSenderDomain() throws {
        let message = try #require(try Events.composer().message(for: Events.decode(Events.voucher())))
        #expect(message.messageID == "<\(Events.defaultID)@teehaus-vogel.example>")
        let lines = try message.headerLines()
        #expect(lines.contains("Message-ID: <\(Events.defaultID)@teehaus-vogel.example>"))
        #expect(lines.contains("From: Teehaus Vogel <service@teehaus-vogel.example>"))
        #expect(lines.contains("Reply-To: hilfe@teehaus-vogel.example"))
        #expect(lines.contains { $0.hasPrefix("Date: ") && $0.hasSuffix(" +0000") })
    }

    @Test func rfc5322Date() {
        #expect(MailFormatting.rfc5322(Date(timeIntervalSince1970: 1_795_608_000)) == "Wed, 25 Nov 2026 12:00:00 +0000")
    }
}
