import Foundation
import MailTransport
import OrdersWorkers
import Testing

/// A mail server that answers 451 for a while: the notifier waits and retries, nothing is lost,
/// and nothing is sent twice.
@Suite struct NotifierOutageTests {
    @Test func a451OutageDelaysButLosesNothing() async throws {
        let sink = try PrivateSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        sink.beginOutage()
        let events = (0..<5).map { _ in TestEvents.voucher(locale: "de", email: "patient@example.de") }
        try harness.publish(events)
        let transport = SMTPSender(endpoint: try SMTPEndpoint(url: sink.url), envelopeFrom: "service@teehaus-vogel.example")
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
            return progress.counts
        }
        #expect(progress.sent == 5)
        #expect(progress.failed == 0)
        let mails = sink.mailbox.mails(for: Set(events.map(\.id)))
        #expect(mails.values.allSatisfy { $0.count == 1 })
        #expect(try harness.scalar("SELECT count(*) FROM emails WHERE status = 'sent'") == 5)
    }

    @Test func anUnreachableServerKeepsTheEmailsUnsent() async throws {
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let event = TestEvents.voucher(locale: "de", email: "later@example.de")
        try harness.publish([event])
        // Port 9 on loopback: nothing listens; connection refused is a temporary failure.
        let transport = SMTPSender(endpoint: try SMTPEndpoint(url: "smtp://127.0.0.1:9"), envelopeFrom: "service@teehaus-vogel.example")
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
