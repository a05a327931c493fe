import Foundation
import MailTransport
import OrdersDomain
import OrdersMail
import OrdersTestSupport
import OrdersWorkers
import Testing

/// A mail server that answers 451 for a while: the notifier waits and retries, nothing is lost,
/// and nothing is sent twice.
@Suite(.timeLimit(.minutes(TestTime.minutes(5))), .workerSlot) struct NotifierOutageTests {
    @Test func a451OutageDelaysButLosesNothing() async throws {
        let sink = try PrivateSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        sink.beginOutage()
        let events = (0..<5).map { _ in TestEvents.voucher(locale: "de", email: "patient@example.de") }
        try harness.publish(events)
        let transport = SMTPSender(
            endpoint: try SMTPEndpoint(url: sink.url), envelopeFrom: "service@teehaus-vogel.example")
        let progress = try await harness.withNotifier(transport: transport) { progress in
            // Deferred, not failed: the first email is being retried, nothing was delivered.
            while progress.counts.retries < 3 { try await Task.sleep(for: .milliseconds(100)) }
            #expect(sink.mailbox.mails(for: Set(events.map(\.id))).isEmpty)
            let first = try harness.status(of: events[0].id)
            #expect(first.status == "sending")
            #expect(first.reply?.hasPrefix("451") == true, "\(first.reply ?? "nil")")
            #expect(try harness.scalar("SELECT count(*) FROM emails WHERE status IN ('failed','skipped')") == 0)
            sink.endOutage()
            _ = try await sink.mailbox.waitForMails(Set(events.map(\.id)))
            // Counted just after the delivery is recorded.
            while progress.counts.sent < 5 { try await Task.sleep(for: .milliseconds(20)) }
            return progress.counts
        }
        #expect(progress.sent == 5)
        #expect(progress.failed == 0)
        let mails = sink.mailbox.mails(for: Set(events.map(\.id)))
        #expect(mails.values.allSatisfy { $0.count == 1 })
        #expect(try harness.scalar("SELECT count(*) FROM emails WHERE status = 'sent'") == 5)
    }

    @Test func aRecipientAnswered451ForeverDoesNotHoldUpTheOthers() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let waiting = TestEvents.voucher(locale: "de", email: "tempfail-\(UUID().uuidString.prefix(8))@example.de")
        let others = (0..<3).map { _ in TestEvents.voucher(locale: "de", email: "not-held-up@example.de") }
        try harness.publish([waiting] + others)
        try await harness.withNotifier(sendAttemptsPerDelivery: 2) { _ in
            _ = try await Mailbox.shared.waitForMails(Set(others.map(\.id)))
        }
        // Still waiting, never failed: a 451 is not the server's last word.
        let row = try harness.status(of: waiting.id)
        #expect(row.status == "sending")
        #expect(row.reply?.hasPrefix("451") == true)
    }

    @Test func anUnreachableServerKeepsTheEmailsUnsent() async throws {
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let event = TestEvents.voucher(locale: "de", email: "later@example.de")
        try harness.publish([event])
        // Port 9 on loopback: nothing listens; connection refused is a temporary failure.
        let transport = SMTPSender(
            endpoint: try SMTPEndpoint(url: "smtp://127.0.0.1:9"), envelopeFrom: "service@teehaus-vogel.example")
        try await harness.withNotifier(transport: transport) { progress in
            while progress.counts.retries < 2 { try await Task.sleep(for: .milliseconds(100)) }
        }
        // Shut down mid-retry: still unsent, still claimable, and the message is back in the queue.
        #expect(try harness.status(of: event.id).status == "sending")
        try requireSMTPSink()
        _ = try await harness.withNotifier { _ in try await Mailbox.shared.waitForMails([event.id]) }
        #expect(try harness.status(of: event.id).status == "sent")
    }
}

/// Transports other than plain SMTP: STARTTLS required, and the mail folder.
@Suite(.timeLimit(.minutes(TestTime.minutes(5))), .workerSlot) struct NotifierTransportTests {
    @Test func starttlsRequiredNeverSendsInPlainText() async throws {
        try requireSMTPSink()
        // The local sink offers no STARTTLS: the email must be deferred, not sent unencrypted.
        let sender = SMTPSender(
            endpoint: try SMTPEndpoint(url: smtpURL + "?starttls=required"),
            envelopeFrom: "service@teehaus-vogel.example")
        let event = TestEvents.voucher(locale: "de", email: "tls-only@example.de")
        let message = try #require(try TestEvents.composer().message(for: OrderEvent.decode(Array(event.body.utf8))))
        let outcome = await sender.deliver(message)
        await sender.close()
        guard case .deferred = outcome else { Issue.record("expected a deferral, got \(outcome)"); return }
        #expect(Mailbox.shared.mails(for: [event.id]).isEmpty)
    }

    @Test func oneConnectionCarriesAStreamOfEmails() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let events = (0..<20).map { n in TestEvents.voucher(locale: "en", email: "stream-\(n)@example.com") }
        try harness.publish(events)
        let sender = SMTPSender(endpoint: try SMTPEndpoint(url: smtpURL), envelopeFrom: "service@teehaus-vogel.example")
        _ = try await harness.withNotifier(transport: sender) { _ in
            try await Mailbox.shared.waitForMails(Set(events.map(\.id)))
        }
        #expect(sender.connectionsOpened == 1)
    }

    @Test func aRefusedSenderDefersInsteadOfFailingEveryEmail() async throws {
        try requireSMTPSink()
        // A 5xx to MAIL FROM is the notifier's configuration, not the recipient's address.
        let sender = SMTPSender(endpoint: try SMTPEndpoint(url: smtpURL), envelopeFrom: "not an address@@")
        let event = TestEvents.voucher(locale: "de", email: "fine@example.de")
        let message = try #require(try TestEvents.composer().message(for: OrderEvent.decode(Array(event.body.utf8))))
        let outcome = await sender.deliver(message)
        await sender.close()
        guard case .deferred(let reason) = outcome else { Issue.record("expected a deferral, got \(outcome)"); return }
        #expect(reason.contains("before any recipient"), "\(reason)")
    }

    @Test func mailDirectoryGetsOneEMLPerEventWrittenAtomically() async throws {
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orderflow-maildir-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let events = [
            TestEvents.voucher(locale: "de", email: "a@example.de"),
            TestEvents.shipment(carrier: "GLS", trackingNumber: "12345678901"),
        ]
        try harness.publish(events + [events[0]])  // the first one twice
        try await harness.withNotifier(transport: try MailDirectory(path: folder)) { progress in
            while progress.counts.sent + progress.counts.duplicates < 3 { try await Task.sleep(for: .milliseconds(50)) }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files == events.map { "\($0.id).eml" }.sorted())
        let mailbox = Mailbox(directory: folder)
        let mails = mailbox.mails(for: Set(events.map(\.id)))
        #expect(
            try #require(mails[events[1].id]?.first?.html).contains(
                "https://gls-group.com/DE/de/paketverfolgung?match=12345678901"))
        #expect(
            try harness.scalar("SELECT count(*) FROM emails WHERE status = 'sent' AND smtp_reply LIKE 'saved %'") == 2)
    }
}
