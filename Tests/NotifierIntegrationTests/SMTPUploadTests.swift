import Foundation
import MailTransport
import OrdersDomain
import OrdersMail
import OrdersTestSupport
import Testing

/// The SMTP upload against the aiosmtpd sink, which saves what DATA carried after its own lines.
@Suite(.timeLimit(.minutes(TestTime.minutes(5)))) struct SMTPUploadTests {
    @Test func theServerReceivesTheMessageBytesExactlyWithEveryDot() async throws {
        try requireSMTPSink()
        let event = TestEvents.voucher(locale: "de", email: "bytes@example.de")
        var message = try #require(try TestEvents.composer().message(for: OrderEvent.decode(Array(event.body.utf8))))
        // libcurl doubles a leading dot on the wire and the server takes one away: a lone "." must not
        // end the message early, and ".." must not arrive as ".".
        message.text = ".\r\n..\r\n.hidden\r\n" + message.text
        message.html = HTML(escaping: ".\r\n") + message.html
        let sender = SMTPSender(endpoint: try SMTPEndpoint(url: smtpURL), envelopeFrom: "service@teehaus-vogel.example")
        let outcome = await sender.deliver(message)
        await sender.close()
        guard case .accepted = outcome else { Issue.record("expected acceptance, got \(outcome)"); return }
        let mail = try #require(try await Mailbox.shared.waitForMails([event.id])[event.id]?.first)
        let received = Array(try #require(FileManager.default.contents(atPath: mail.path)))
        let expected = try message.bytes()
        #expect(Array(received.suffix(expected.count)) == expected)
        let added = String(decoding: received.dropLast(expected.count), as: UTF8.self)
        #expect(added.split(separator: "\r\n").allSatisfy { $0.hasPrefix("X-Envelope-") }, "\(added)")
        #expect(mail.text == message.text)
        #expect(mail.html == message.html.markup)
    }
}
