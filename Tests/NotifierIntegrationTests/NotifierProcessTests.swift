import Foundation
import Testing

/// The `orderflow notifier` binary killed and stopped for real.
@Suite struct NotifierProcessTests {
    @Test func sigkillWhile300EmailsGoOutThenRestartDeliversEachOnceWithAtMostOneDuplicate() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let events = (0..<300).map { n in
            TestEvents.voucher(reason: ["delay", "cancellation", "incident"][n % 3], locale: n % 2 == 0 ? "de" : "en",
                               email: "kill-\(n)@example.de")
        }
        try harness.publish(events)
        let ids = Set(events.map(\.id))

        let first = try NotifierProcess(harness, smtpURL: smtpURL)
        let killAt = Int64.random(in: 20...120)
        try await harness.waitFor("SELECT least(count(*), \(killAt)) FROM emails WHERE status = 'sent'", toBe: killAt, timeout: .seconds(120))
        first.signal(SIGKILL)
        #expect(try await first.waitForExit() == SIGKILL)
        let sentBeforeKill = try harness.scalar("SELECT count(*) FROM emails WHERE status = 'sent'")
        #expect(sentBeforeKill < 300, "killed mid-stream (\(sentBeforeKill) sent)")
        let inFlight = try harness.scalar("SELECT count(*) FROM emails WHERE status = 'sending'")
        #expect(inFlight <= 1, "a notifier sends one email at a time")

        let second = try NotifierProcess(harness, smtpURL: smtpURL)
        try await harness.waitFor("SELECT count(*) FROM emails WHERE status = 'sent'", toBe: 300, timeout: .seconds(180))
        second.signal(SIGTERM)
        #expect(try await second.waitForExit() == 0, "\(second.log)")

        let mails = try await Mailbox.shared.waitForMails(ids, timeout: .seconds(30))
        let delivered = mails.values.reduce(0) { $0 + $1.count }
        #expect(mails.count == 300, "distinct emails")
        #expect(delivered - 300 <= 1, "\(delivered - 300) duplicates")
        #expect(try harness.scalar("SELECT count(*) FROM emails WHERE status <> 'sent'") == 0)
    }

    @Test func sigtermFinishesTheEmailInHandAndExitsZero() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let events = (0..<100).map { n in TestEvents.voucher(locale: "de", email: "term-\(n)@example.de") }
        try harness.publish(events)
        let notifier = try NotifierProcess(harness, smtpURL: smtpURL)
        try await harness.waitFor("SELECT least(count(*), 10) FROM emails WHERE status = 'sent'", toBe: 10)
        notifier.signal(SIGTERM)
        #expect(try await notifier.waitForExit() == 0, "\(notifier.log)")
        // Nothing half-done: every claim was settled or released.
        #expect(try harness.scalar("SELECT count(*) FROM emails WHERE status = 'sending'") == 0)
        let sent = try harness.scalar("SELECT count(*) FROM emails WHERE status = 'sent'")
        let mails = Mailbox.shared.mails(for: Set(events.map(\.id)))
        #expect(Int64(mails.count) == sent)
        #expect(mails.values.allSatisfy { $0.count == 1 })
        // The rest went back to the queue and is sent by the next notifier.
        let next = try NotifierProcess(harness, smtpURL: smtpURL)
        try await harness.waitFor("SELECT count(*) FROM emails WHERE status = 'sent'", toBe: 100, timeout: .seconds(120))
        next.signal(SIGTERM)
        #expect(try await next.waitForExit() == 0)
    }
}
