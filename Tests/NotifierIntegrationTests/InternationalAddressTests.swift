import Foundation
import MailTransport
import OrdersDomain
import OrdersMail
import OrdersTestSupport
import Testing

/// Domains go out in IDNA; a local part that is not ASCII only to a server that offers SMTPUTF8,
/// else the email is skipped with that reason (private aiosmtpd sinks with and without it).
@Suite(.timeLimit(.minutes(TestTime.minutes(5))), .workerSlot) struct InternationalAddressTests {
    private func message(to email: String) throws -> EmailMessage {
        let event = TestEvents.voucher(locale: "de", email: email)
        return try #require(try TestEvents.composer().message(for: OrderEvent.decode(Array(event.body.utf8))))
    }

    @Test func aDomainGoesOutInIDNAAndANonASCIILocalPartIsSkippedWithoutSMTPUTF8() async throws {
        let sink = try PrivateSink(smtputf8: false)
        let sender = SMTPSender(
            endpoint: try SMTPEndpoint(url: sink.url), envelopeFrom: "service@teehaus-vogel.example")
        let idn = try message(to: "zoe@bücher.example")
        #expect(idn.to.address == "zoe@xn--bcher-kva.example")
        #expect(await sender.deliver(idn).isAccepted)
        let mail = try #require(try await sink.mailbox.waitForMails([idn.eventID])[idn.eventID]?.first)
        #expect(mail.header("X-Envelope-To") == "zoe@xn--bcher-kva.example")
        #expect(mail.header("To")?.contains("<zoe@xn--bcher-kva.example>") == true)

        // The server's EHLO did not list SMTPUTF8: nothing is sent, and the reason says why.
        let utf8 = try message(to: "zoë@example.de")
        #expect(utf8.to.needsSMTPUTF8)
        #expect(await sender.deliver(utf8) == .skipped(reason: SMTPSender.needsSMTPUTF8))
        await sender.close()
        #expect(sink.mailbox.mails(for: [utf8.eventID]).isEmpty)

        // The first email of a fresh sender learns it from the refusal: skipped too, not failed.
        let fresh = SMTPSender(endpoint: try SMTPEndpoint(url: sink.url), envelopeFrom: "service@teehaus-vogel.example")
        let first = await fresh.deliver(try message(to: "jörg@example.de"))
        #expect(first == .skipped(reason: SMTPSender.needsSMTPUTF8), "\(first)")
        await fresh.close()
    }

    @Test func aNonASCIILocalPartGoesToAServerThatOffersSMTPUTF8() async throws {
        let sink = try PrivateSink(smtputf8: true)
        let sender = SMTPSender(
            endpoint: try SMTPEndpoint(url: sink.url), envelopeFrom: "service@teehaus-vogel.example")
        let utf8 = try message(to: "zoë@bücher.example")
        let outcome = await sender.deliver(utf8)
        await sender.close()
        #expect(outcome.isAccepted, "\(outcome)")
        let mail = try #require(try await sink.mailbox.waitForMails([utf8.eventID])[utf8.eventID]?.first)
        #expect(mail.header("X-Envelope-To") == "zoë@xn--bcher-kva.example")
    }
}

extension DeliveryOutcome {
    fileprivate var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }
}
