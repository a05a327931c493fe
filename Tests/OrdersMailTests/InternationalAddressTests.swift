import MailTransport
import OrdersMail
import Testing

/// IDNA domains (RFC 5891, Punycode RFC 3492) and what needs SMTPUTF8.
@Suite struct InternationalAddressTests {
    @Test(arguments: [
        ("bücher", "bcher-kva"), ("münchen", "mnchen-3ya"),
        ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),  // RFC 3492 7.1 (B)
        ("3年B組金八先生", "3B-ww4c5e180e575a65lsy2b"),  // RFC 3492 7.1 (L)
    ])
    func punycode(label: String, encoded: String) {
        #expect(IDNA.punycode(label) == encoded)
    }

    @Test func domainsInIDNA() {
        #expect(IDNA.asciiDomain("bücher.de") == "xn--bcher-kva.de")
        #expect(IDNA.asciiDomain("Bücher.DE") == "xn--bcher-kva.de")
        #expect(IDNA.asciiDomain("teehaus-vogel.example") == "teehaus-vogel.example")
        #expect(IDNA.asciiDomain("a..de") == nil)
        #expect(IDNA.asciiDomain(String(repeating: "ü", count: 70) + ".de") == nil)
    }

    @Test func theAddressCarriesTheASCIIDomainAndKnowsWhenItNeedsSMTPUTF8() throws {
        let idn = try MailAddress("zoe@bücher.de", name: "Zoë")
        #expect(idn.address == "zoe@xn--bcher-kva.de")
        #expect(idn.domain == "xn--bcher-kva.de")
        #expect(!idn.needsSMTPUTF8)
        #expect(idn.headerValue == "=?UTF-8?B?Wm/Dqw==?= <zoe@xn--bcher-kva.de>")
        let utf8 = try MailAddress("zoë@example.de")
        #expect(utf8.needsSMTPUTF8)
    }

    @Test func theComposedMessageAddressesTheASCIIDomain() async throws {
        let message = try #require(
            try Events.composer().message(for: Events.decode(Events.voucher(email: "lena@bücher.de"))))
        let parsed = try await PythonEmail.parseStrict(try message.bytes())
        #expect(parsed.headers["To"]?.address == "lena@xn--bcher-kva.de")
    }

    @Test func smtputf8IsReadFromTheEHLOReply() {
        #expect(SMTPSender.offersSMTPUTF8(["220 sink ESMTP", "250-sink", "250-SIZE 33554432", "250 SMTPUTF8"]))
        #expect(SMTPSender.offersSMTPUTF8(["250-sink\r\n", "250-SMTPUTF8\r\n", "250 HELP\r\n"]))
        #expect(SMTPSender.offersSMTPUTF8(["250-sink", "250-smtputf8", "250 HELP"]))
        #expect(!SMTPSender.offersSMTPUTF8(["250-sink", "250-8BITMIME", "250 HELP"]))
    }
}
