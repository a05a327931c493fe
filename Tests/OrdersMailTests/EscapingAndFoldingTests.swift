import Foundation
import OrdersDomain
import OrdersMail
import Testing

/// Text is escaped once, at the HTML boundary; every header is folded and bounded, checked by
/// parsing the produced bytes with Python's `email` package under `policy.strict`.
@Suite struct EscapingAndFoldingTests {
    @Test func ampersandsShowOnceEscapedInHTMLAndAsTheyAreInText() throws {
        let event = try Events.decode(
            Events.shipment(carrier: "Dachser & Co", trackingNumber: "D-1", name: "A&B Tee", number: "A&B-1001"))
        let mail = try Events.composer().content(for: event)
        #expect(mail.subject == "Ihre Bestellung A&B-1001 ist unterwegs")
        #expect(mail.html.markup.contains("Ihre Bestellung A&amp;B-1001 hat"))
        #expect(mail.html.markup.contains("Dachser &amp; Co"))
        #expect(mail.html.markup.contains("Guten Tag A&amp;B Tee,"))
        #expect(mail.html.markup.contains("<title>Ihre Bestellung A&amp;B-1001 ist unterwegs</title>"))
        #expect(!mail.html.markup.contains("&amp;amp;"))
        #expect(mail.text.contains("Ihre Bestellung A&B-1001 hat"))
        #expect(mail.text.contains("mit Dachser & Co unterwegs"))
        #expect(!mail.text.contains("&amp;"))
    }

    @Test func quotesAndAngleBracketsAreEscapedOnce() throws {
        let event = try Events.decode(Events.voucher(name: #"Jo "<b>" O'Neil"#, number: #"<1001> "x""#))
        let html = try Events.composer().content(for: event).html.markup
        #expect(html.contains("Jo &quot;&lt;b&gt;&quot; O&#39;Neil"))
        #expect(html.contains("&lt;1001&gt; &quot;x&quot;"))
        #expect(!html.contains("&amp;lt;") && !html.contains("&amp;quot;") && !html.contains("&amp;#39;"))
    }

    @Test func htmlEscapingOfPlainText() {
        #expect(HTML(escaping: #"A&B <c> "d" 'e'"#).markup == "A&amp;B &lt;c&gt; &quot;d&quot; &#39;e&#39;")
    }

    static let hostileNames: [String] = [
        String(repeating: "Lena Vogel ", count: 20_000).prefix(200_000).description,
        String(repeating: "x", count: 200_000),
        #"Jo "Quote" <b> & O'Neil, Vogel"#,
        "Zoë Müller-Lüdenscheidt " + String(repeating: "e\u{301}\u{308}\u{323}", count: 120),
        "a" + String(repeating: "\u{301}", count: 500),
        String(repeating: "👩‍👩‍👧‍👦🇩🇪 Jörg ", count: 60),
        String(repeating: "=?UTF-8?B?QQ==?= ", count: 30),
    ]

    @Test(arguments: hostileNames)
    func headersParseStrictlyAndStayWithin78Columns(hostileName: String) async throws {
        let number = "A&B-" + String(repeating: "1001-", count: 1000)
        let event = try Events.decode(Events.voucher(name: hostileName, number: number))
        let name = try #require(event.customer.name)
        let message = try #require(try Events.composer().message(for: event))
        let parsed = try await PythonEmail.parseStrict(try message.bytes())
        #expect(parsed.longestLine <= 78, "line lengths \(parsed.lineLengths)")
        for (header, value) in parsed.headers { #expect(value.defects.isEmpty, "\(header): \(value.defects)") }
        let to = try #require(parsed.headers["To"])
        #expect(to.address == "lena@example.de")
        #expect(to.displayName == HeaderText.capped(name))
        #expect(HeaderText.capped(name).count <= 256)
        if name.count > 256 { #expect(to.displayName?.hasSuffix("…") == true) }
        let subject = try #require(parsed.headers["Subject"]?.value)
        #expect(subject.contains(HeaderText.capped(number)))
        #expect(subject.count < 400)
        // The body keeps the whole name and number.
        #expect(parsed.text.contains(number))
        #expect(parsed.text.contains(name))
        #expect(parsed.html.contains(HTML(escaping: number).markup))
    }

    @Test func encodedWordsAreSplitByScalarAndNeverPass75Characters() throws {
        // One character of 1 + 200 scalars: split by character it would be a single word of 600 bytes.
        let text = "Bestellung ä" + String(repeating: "\u{301}", count: 200) + " 🇩🇪👩‍👩‍👧‍👦"
        let words = EncodedWord.words(text)
        #expect(words.count > 5)
        var decoded = Data()
        for word in words {
            #expect(word.count <= 75)
            let bytes = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            #expect(String(data: bytes, encoding: .utf8) != nil)
            decoded += bytes
        }
        #expect(String(decoding: decoded, as: UTF8.self) == text)
    }

    @Test func longPlainSubjectsFoldBetweenWords() throws {
        let event = try Events.decode(Events.shipment(name: "Lena", number: "#1001"))
        var message = try #require(try Events.composer().message(for: event))
        message.subject = String(repeating: "Ihre Bestellung ist unterwegs ", count: 10)
            .trimmingCharacters(in: .whitespaces)
        let subject = try #require(try message.headerLines().first { $0.hasPrefix("Subject:") })
        let lines = subject.components(separatedBy: "\r\n")
        #expect(lines.count > 3)
        #expect(lines.allSatisfy { $0.count <= 78 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(lines.joined() == "Subject: " + message.subject)
    }
}
