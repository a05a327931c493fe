import Foundation
import LibPQ
import OrdersTestSupport
import Testing

extension NotifierProcess {
    /// Sends `signal` the moment `count` emails are recorded as sent, watching from a thread of its
    /// own: a task on the test runner's busy cooperative pool might look only after all were sent.
    func send(_ signal: Int32, whenSentReaches count: Int64, databaseURL: String) async throws {
        let pid = self.pid
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    let database = try PostgresConnection(url: databaseURL)
                    let deadline = TestTime.deadline(after: .seconds(120))
                    while ContinuousClock.now < deadline {
                        let sent =
                            try database.execute("SELECT count(*) FROM emails WHERE status = 'sent'").int64(0, "count")
                            ?? 0
                        if sent >= count {
                            Foundation.kill(pid, signal)
                            return continuation.resume()
                        }
                        usleep(1000)
                    }
                    continuation.resume(throwing: TestFailure("never reached \(count) sent emails"))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }
}

/// The `orderflow notifier` binary killed and stopped for real.
@Suite(.timeLimit(.minutes(TestTime.minutes(5))), .workerSlot) struct NotifierProcessTests {
    @Test func sigkillWhile300EmailsGoOutThenRestartDeliversEachOnceWithAtMostOneDuplicate() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let events = (0..<300).map { n in
            TestEvents.voucher(
                reason: ["delay", "cancellation", "incident"][n % 3], locale: n % 2 == 0 ? "de" : "en",
                email: "kill-\(n)@example.de")
        }
        try harness.publish(events)
        let ids = Set(events.map(\.id))

        let first = try NotifierProcess(harness, smtpURL: smtpURL)
        let killAt = Int64.random(in: 20...120)
        try await first.send(SIGKILL, whenSentReaches: killAt, databaseURL: harness.databaseURL)
        #expect(try await first.waitForExit() == SIGKILL)
        let sentBeforeKill = try harness.scalar("SELECT count(*) FROM emails WHERE status = 'sent'")
        #expect(sentBeforeKill < 300, "killed mid-stream (\(sentBeforeKill) sent)")
        let inFlight = try harness.scalar("SELECT count(*) FROM emails WHERE status = 'sending'")
        #expect(inFlight <= 1, "a notifier sends one email at a time")

        let second = try NotifierProcess(harness, smtpURL: smtpURL)
        try await harness.waitFor(
            "SELECT count(*) FROM emails WHERE status = 'sent'", toBe: 300, timeout: .seconds(180))
        second.signal(SIGTERM)
        #expect(try await second.waitForExit() == 0, "\(second.log)")

        let mails = try await Mailbox.shared.waitForMails(ids, timeout: .seconds(30))
        let delivered = mails.values.reduce(0) { $0 + $1.count }
        #expect(mails.count == 300, "distinct emails")
        #expect(delivered - 300 <= 1, "\(delivered - 300) duplicates")
        #expect(try harness.scalar("SELECT count(*) FROM emails WHERE status <> 'sent'") == 0)
    }

    @Test func theSMTPPasswordNeverAppearsInTheLog() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let event = TestEvents.voucher(locale: "de", email: "password@example.de")
        try harness.publish([event])
        // The sink offers no AUTH, so libcurl sends without logging in; the URL still carries the secret
        // (and says starttls=no, since the sink speaks no TLS and a login otherwise requires it).
        let secret = "pw-\(UUID().uuidString.prefix(8))"
        let withPassword =
            smtpURL.replacingOccurrences(of: "smtp://", with: "smtp://mailer:\(secret)@")
            + (smtpURL.contains("?") ? "&" : "?") + "starttls=no"
        let notifier = try NotifierProcess(
            harness, smtpURL: withPassword, extraEnvironment: ["ORDERFLOW_LOG_LEVEL": "debug"])
        try await harness.waitFor("SELECT count(*) FROM emails WHERE status = 'sent'", toBe: 1)
        notifier.signal(SIGTERM)
        #expect(try await notifier.waitForExit() == 0)
        #expect(notifier.log.contains("mailer:***@127.0.0.1"), "the log names the server: \(notifier.log)")
        #expect(!notifier.log.contains(secret))
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
        try await harness.waitFor(
            "SELECT count(*) FROM emails WHERE status = 'sent'", toBe: 100, timeout: .seconds(120))
        next.signal(SIGTERM)
        #expect(try await next.waitForExit() == 0)
    }
}

/// `orderflow render` and the notifier's refusal to start without the company details.
@Suite(.timeLimit(.minutes(TestTime.minutes(5))), .workerSlot) struct NotifierCommandTests {
    private func run(
        _ arguments: [String], environment: [String: String] = [:]
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: NotifierProcess.binary)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("ORDERFLOW_MERCHANT_") && !$0.key.hasPrefix("ORDERFLOW_MAIL_")
        }
        merged.merge(environment) { $1 }
        process.environment = merged
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func renderPrintsHeadersAndBothParts() throws {
        let event = TestEvents.shipment(carrier: "DPD", trackingNumber: "01234567890123")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("event-\(event.id).json")
        try Data(event.body.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let raw = try run(["render", file.path], environment: ["ORDERFLOW_MAIL_FROM": "Shop <shop@example.com>"])
        #expect(raw.status == 0, "\(raw.output)")
        #expect(raw.output.contains("Message-ID: <\(event.id)@example.com>"))
        #expect(raw.output.contains("Content-Type: multipart/alternative"))
        #expect(raw.output.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(raw.output.contains("Content-Type: text/html; charset=utf-8"))
        let decoded = try run(
            ["render", "--decoded", file.path], environment: ["ORDERFLOW_MERCHANT_NAME": "Teehaus Vogel"])
        #expect(decoded.status == 0)
        #expect(decoded.output.contains("Subject: Ihre Bestellung #1001 ist unterwegs"))
        #expect(decoded.output.contains("https://tracking.dpd.de/status/de_DE/parcel/01234567890123"))
        #expect(decoded.output.contains("Ihr Team von Teehaus Vogel"))
        #expect(decoded.output.contains("[ORDERFLOW_MERCHANT_REGISTER not set]"))
    }

    @Test func renderRefusesABrokenEventNamingTheField() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("event-\(UUID().uuidString).json")
        try Data(
            TestEvents.voucher(locale: "de", email: "a@example.de").body.replacingOccurrences(
                of: "\"reason\": \"delay\"", with: "\"reason\": 7"
            ).utf8
        ).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try run(["render", file.path])
        #expect(result.status != 0)
        #expect(result.output.contains("voucher.reason"))
    }

    static let merchant = [
        "ORDERFLOW_MERCHANT_NAME": "Teehaus Vogel", "ORDERFLOW_MERCHANT_LEGAL_NAME": "Teehaus Vogel GmbH",
        "ORDERFLOW_MERCHANT_ADDRESS": "Hauptstraße 1, 80331 München",
        "ORDERFLOW_MERCHANT_REGISTER": "AG München, HRB 1",
        "ORDERFLOW_MERCHANT_DIRECTORS": "Lena Vogel",
    ]

    @Test func aTemplateOverrideChangesTheMailWithoutARebuildAndABrokenOneStopsTheNotifier() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let override = folder.appendingPathComponent("shipment-dispatched.de.subject.mustache")
        try Data("{{% CONTENT_TYPE: TEXT}}\nIhr Tee zur Bestellung {{orderNumber}} ist unterwegs\n".utf8).write(
            to: override)
        let event = TestEvents.shipment(carrier: "DPD", trackingNumber: "01234567890123")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("event-\(event.id).json")
        try Data(event.body.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let rendered = try run(
            ["render", "--decoded", file.path], environment: ["ORDERFLOW_TEMPLATE_DIR": folder.path])
        #expect(rendered.status == 0, "\(rendered.output)")
        #expect(rendered.output.contains("Subject: Ihr Tee zur Bestellung #1001 ist unterwegs"))

        let broken = folder.appendingPathComponent("shipment-dispatched.de.text.mustache")
        try Data("{{% CONTENT_TYPE: TEXT}}\nGuten Tag,\n{{trackingNummer}}\n".utf8).write(to: broken)
        let refused = try run(
            ["notifier", "--mail-from", "shop@example.com", "--mail-dir", "/tmp"],
            environment: Self.merchant.merging(["ORDERFLOW_TEMPLATE_DIR": folder.path]) { $1 })
        #expect(refused.status != 0)
        #expect(refused.output.contains("\(broken.path):3: unknown variable {{trackingNummer}}"), "\(refused.output)")
        let check = try run(["templates", "check", folder.path])
        #expect(check.status != 0 && check.output.contains("\(broken.path):3"))
        try FileManager.default.removeItem(at: broken)
        let fixed = try run(["templates", "check", folder.path])
        #expect(fixed.status == 0, "\(fixed.output)")
        #expect(fixed.output.contains("1 from the override directory"))
    }

    @Test func notifierWithoutCompanyDetailsRefusesToStart() throws {
        let result = try run(
            ["notifier", "--mail-from", "shop@example.com", "--mail-dir", "/tmp"],
            environment: ["ORDERFLOW_MERCHANT_NAME": "Teehaus Vogel"])
        #expect(result.status != 0)
        #expect(result.output.contains("ORDERFLOW_MERCHANT_LEGAL_NAME"))
    }
}
