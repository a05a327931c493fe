import Foundation
import MailTransport
import OrdersDomain
import OrdersMail
import OrdersTestSupport
import Testing

/// SMTP over TLS with a login, against aiosmtpd sinks of the test's own that speak TLS with a
/// throwaway CA's certificate and demand a user name and password: smtps:// (TLS from the first
/// byte) and STARTTLS required, AUTH, certificate verification, and the notifier binary reading
/// its SMTP URL from a credential file without ever logging the password.
@Suite(.timeLimit(.minutes(TestTime.minutes(5))), .workerSlot) struct SMTPSecurityTests {
    static let login = "shop:Tee-2026!secret"

    static func message(to address: String) throws -> (id: String, message: EmailMessage) {
        let event = TestEvents.voucher(locale: "de", email: address)
        return (
            event.id, try #require(try TestEvents.composer().message(for: OrderEvent.decode(Array(event.body.utf8))))
        )
    }

    static func sender(_ url: String) throws -> SMTPSender {
        SMTPSender(endpoint: try SMTPEndpoint(url: url), envelopeFrom: "service@teehaus-vogel.example")
    }

    @Test func smtpsWithLoginDeliversOverTLSOnOneConnection() async throws {
        let ca = try ThrowawayCA()
        defer { ca.remove() }
        let sink = try await offThePool { try PrivateSink(security: .implicitTLS(ca), login: Self.login) }
        let sender = try Self.sender(
            "smtps://\(Self.login.replacingOccurrences(of: "!", with: "%21"))@localhost:\(sink.port)"
                + "?cacertfile=\(ca.caFile)"
        )
        var ids: Set<String> = []
        for n in 0..<3 {
            let (id, message) = try Self.message(to: "tls-\(n)@example.de")
            ids.insert(id)
            let outcome = await sender.deliver(message)
            guard case .accepted = outcome else { Issue.record("expected acceptance, got \(outcome)"); return }
        }
        await sender.close()
        let mails = try await sink.mailbox.waitForMails(ids)
        #expect(mails.values.allSatisfy { $0.count == 1 })
        for mail in mails.values.flatMap({ $0 }) {
            #expect(mail.header("X-Envelope-TLS") == "yes")
            #expect(mail.header("X-Envelope-Auth") == "shop")
            #expect(try #require(mail.text).contains("5,00\u{A0}€"))
        }
        #expect(sender.connectionsOpened == 1)
    }

    @Test func starttlsRequiredWithLoginUpgradesThenLogsIn() async throws {
        let ca = try ThrowawayCA()
        defer { ca.remove() }
        let sink = try await offThePool { try PrivateSink(security: .startTLS(ca), login: Self.login) }
        let userinfo = Self.login.replacingOccurrences(of: "!", with: "%21")
        let sender = try Self.sender(
            "smtp://\(userinfo)@localhost:\(sink.port)?starttls=required&cacertfile=\(ca.caFile)")
        let (id, message) = try Self.message(to: "starttls@example.de")
        let outcome = await sender.deliver(message)
        await sender.close()
        guard case .accepted = outcome else { Issue.record("expected acceptance, got \(outcome)"); return }
        let mail = try #require(try await sink.mailbox.waitForMails([id])[id]?.first)
        #expect(mail.header("X-Envelope-TLS") == "yes")
        #expect(mail.header("X-Envelope-Auth") == "shop")
    }

    /// Each of these would send nothing; each is deferred (configuration, kept for a retry), never
    /// marked failed, and never delivered.
    @Test func aWrongPasswordAnUntrustedCertificateOrAWrongHostSendsNothing() async throws {
        let ca = try ThrowawayCA()
        defer { ca.remove() }
        let sink = try await offThePool { try PrivateSink(security: .implicitTLS(ca), login: Self.login) }
        let cases = [
            ("wrong password", "smtps://shop:wrong@localhost:\(sink.port)?cacertfile=\(ca.caFile)"),
            ("another CA", "smtps://shop:Tee-2026%21secret@localhost:\(sink.port)?cacertfile=\(ca.otherCAFile)"),
            ("the system's CAs", "smtps://shop:Tee-2026%21secret@localhost:\(sink.port)"),
            (
                "a name not in the certificate",
                "smtps://shop:Tee-2026%21secret@127.0.0.1:\(sink.port)?cacertfile=\(ca.caFile)"
            ),
            ("no login", "smtps://localhost:\(sink.port)?cacertfile=\(ca.caFile)"),
        ]
        var ids: Set<String> = []
        for (what, url) in cases {
            let sender = try Self.sender(url)
            let (id, message) = try Self.message(to: "never@example.de")
            ids.insert(id)
            let outcome = await sender.deliver(message)
            await sender.close()
            guard case .deferred(let reason) = outcome else {
                Issue.record("\(what): expected a deferral, got \(outcome)"); continue
            }
            #expect(
                !reason.contains("wrong") && !reason.contains("Tee-2026"), "\(what): the password leaked into \(reason)"
            )
        }
        // A plain connection to a STARTTLS-only server with a login: refused before MAIL, nothing sent.
        let startTLSSink = try await offThePool { try PrivateSink(security: .startTLS(ca), login: Self.login) }
        let plain = try Self.sender("smtp://shop:Tee-2026%21secret@localhost:\(startTLSSink.port)?starttls=no")
        let (plainID, plainMessage) = try Self.message(to: "never@example.de")
        let plainOutcome = await plain.deliver(plainMessage)
        await plain.close()
        guard case .deferred = plainOutcome else {
            Issue.record("plain to a TLS-only server: got \(plainOutcome)"); return
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(sink.mailbox.mails(for: ids).isEmpty)
        #expect(startTLSSink.mailbox.mails(for: [plainID]).isEmpty)
    }

    @Test func aLoginIsNeverSentWithoutTLSUnlessTheURLSaysSo() async throws {
        // A server that offers no TLS at all and would take mail without a login: the URL's login
        // makes STARTTLS required, so nothing goes out, and the reason says why.
        let plainSink = try await offThePool { try PrivateSink() }
        let sender = try Self.sender("smtp://shop:Tee-2026%21secret@localhost:\(plainSink.port)")
        let (id, message) = try Self.message(to: "never@example.de")
        let outcome = await sender.deliver(message)
        await sender.close()
        guard case .deferred(let reason) = outcome else { Issue.record("expected a deferral, got \(outcome)"); return }
        #expect(
            reason.localizedCaseInsensitiveContains("tls") || reason.localizedCaseInsensitiveContains("ssl"),
            "\(reason)")
        #expect(!reason.contains("Tee-2026"))
        try await Task.sleep(for: .milliseconds(300))
        #expect(plainSink.mailbox.mails(for: [id]).isEmpty)
    }

    @Test func theNotifierReadsItsSMTPURLFromACredentialFileAndNeverLogsThePassword() async throws {
        let ca = try ThrowawayCA()
        defer { ca.remove() }
        let sink = try await offThePool { try PrivateSink(security: .implicitTLS(ca), login: Self.login) }
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let credential = ca.path("smtp-url")
        try Data("smtps://shop:Tee-2026%21secret@localhost:\(sink.port)?cacertfile=\(ca.caFile)\n".utf8)
            .write(to: URL(fileURLWithPath: credential))
        let events = (0..<5).map { n in TestEvents.voucher(locale: "en", email: "credential-\(n)@example.com") }
        try harness.publish(events)
        let notifier = try NotifierProcess(
            harness, smtpURL: "",
            extraEnvironment: [
                "ORDERFLOW_SMTP_URL": "", "ORDERFLOW_SMTP_URL_FILE": credential, "ORDERFLOW_LOG_LEVEL": "debug",
            ])
        let mails = try await sink.mailbox.waitForMails(Set(events.map(\.id)))
        notifier.signal(SIGTERM)
        #expect(try await notifier.waitForExit() == 0)
        #expect(mails.values.allSatisfy { $0.count == 1 && $0[0].header("X-Envelope-Auth") == "shop" })
        #expect(try harness.scalar("SELECT count(*) FROM emails WHERE status = 'sent'") == 5)
        let log = notifier.log
        #expect(log.contains("smtps://shop:***@localhost"), "\(log)")
        #expect(!log.contains("Tee-2026"), "\(log)")
    }
}
