import Foundation
import OrdersTestSupport
import Testing

/// The notifier binary aborted at its crash point, between the SMTP server's acceptance and the
/// ledger's record (ORDERFLOW_FAULT_INJECTION=after-smtp-accept): the one window in which an email
/// can go out twice. Each crash may double exactly the email in flight, never another, and never
/// loses one.
@Suite(.timeLimit(.minutes(TestTime.minutes(5))), .workerSlot) struct NotifierCrashPointTests {
    @Test func abortedAfterSMTPAcceptanceThreeTimesEachEmailArrivesWithOneDuplicatePerCrash() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let events = (0..<150).map { n in
            TestEvents.voucher(locale: n % 2 == 0 ? "de" : "en", email: "crash-\(n)@example.de")
        }
        try harness.publish(events)
        let ids = Set(events.map(\.id))

        let crashes = 3
        for round in 1...crashes {
            let crashing = try NotifierProcess(
                harness, smtpURL: smtpURL,
                extraEnvironment: [
                    "ORDERFLOW_FAULT_INJECTION": "after-smtp-accept",
                    "ORDERFLOW_FAULT_AFTER": String(Int.random(in: 5...30)),
                ])
            _ = try await crashing.waitForExit(timeout: .seconds(90))
            #expect(
                crashing.process.terminationReason == .uncaughtSignal, "round \(round): \(crashing.log.suffix(500))")
            #expect(crashing.log.contains("aborting at after-smtp-accept"))
            // The aborted email was accepted by the server but is not recorded as sent.
            #expect(try harness.scalar("SELECT count(*) FROM emails WHERE status = 'sending'") == 1, "round \(round)")
        }
        let finisher = try NotifierProcess(harness, smtpURL: smtpURL)
        try await harness.waitFor(
            "SELECT count(*) FROM emails WHERE status = 'sent'", toBe: 150, timeout: .seconds(120))
        finisher.signal(SIGTERM)
        #expect(try await finisher.waitForExit() == 0, "\(finisher.log.suffix(1000))")

        let mails = try await Mailbox.shared.waitForMails(ids, timeout: .seconds(30))
        let delivered = mails.values.reduce(0) { $0 + $1.count }
        #expect(mails.count == 150, "every event has its email")
        #expect(delivered - 150 == crashes, "one duplicate per crash, the email in flight: \(delivered - 150)")
        #expect(mails.values.filter { $0.count > 1 }.allSatisfy { $0.count == 2 })
        #expect(try harness.scalar("SELECT count(*) FROM emails WHERE status <> 'sent'") == 0)
        print(
            "notifier crash point: \(crashes) aborts after SMTP acceptance, 150 emails delivered, \(delivered - 150) "
                + "duplicates (one per abort)"
        )
    }
}
