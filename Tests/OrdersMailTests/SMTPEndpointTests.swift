import MailTransport
import Testing

@Suite struct SMTPEndpointTests {
    @Test func passwordsNeverAppearInTheDescription() throws {
        let endpoint = try SMTPEndpoint(url: "smtps://mailer:s3cr%40t@smtp.example.com:465")
        #expect(!endpoint.description.contains("s3cr"))
        #expect(endpoint.description.contains("mailer"))
        #expect(endpoint.isImplicitTLS)
    }

    @Test func starttlsRequired() throws {
        let endpoint = try SMTPEndpoint(url: "smtp://mailer:pw@smtp.example.com:587?starttls=required")
        #expect(endpoint.requireStartTLS)
        #expect(!endpoint.isImplicitTLS)
        #expect(!endpoint.redacted.contains("pw@"))
    }

    @Test func aLoginRequiresSTARTTLSUnlessTheURLSaysNo() throws {
        #expect(try SMTPEndpoint(url: "smtp://mailer:pw@smtp.example.com:587").requireStartTLS)
        #expect(try !SMTPEndpoint(url: "smtp://mailer:pw@smtp.example.com:587?starttls=no").requireStartTLS)
        #expect(try !SMTPEndpoint(url: "smtp://127.0.0.1:25").requireStartTLS)
        #expect(try SMTPEndpoint(url: "smtp://127.0.0.1:25?starttls=required").requireStartTLS)
    }

    @Test func aCAFileOfItsOwnIsKeptOutOfTheURLLibcurlGets() throws {
        let endpoint = try SMTPEndpoint(
            url: "smtp://mailer:pw@smtp.example.com:587?starttls=required&cacertfile=/etc/orderflow/smtp-ca.pem")
        #expect(endpoint.caCertificateFile == "/etc/orderflow/smtp-ca.pem")
        #expect(endpoint.requireStartTLS)
        #expect(endpoint.redacted == "smtp://mailer:***@smtp.example.com:587")
        #expect(try SMTPEndpoint(url: "smtps://smtp.example.com").caCertificateFile == nil)
        #expect(throws: MailTransportError.self) { try SMTPEndpoint(url: "smtps://smtp.example.com?cacertfile=") }
    }

    @Test func refusesOtherSchemesAndUnknownParametersWithoutEchoingTheURL() {
        for url in ["http://user:hunter2@example.com", "smtp://user:hunter2@example.com?starttls=maybe&x=1", "smtp://"]
        {
            do {
                _ = try SMTPEndpoint(url: url)
                Issue.record("accepted \(url)")
            } catch {
                #expect(!error.description.contains("hunter2"))
            }
        }
    }
}

@Suite struct DeliveryOutcomeTests {
    @Test func onlyA4xxReplyCountsAsTheServersTemporaryAnswer() {
        #expect(DeliveryOutcome.deferred(reason: "451 4.3.0 try again later").isTemporaryReply)
        #expect(!DeliveryOutcome.deferred(reason: "Couldn't connect to server").isTemporaryReply)
        #expect(
            !DeliveryOutcome.deferred(
                reason: "refused by the server before any recipient (check the sender and login): 553 x"
            ).isTemporaryReply)
        #expect(!DeliveryOutcome.rejected(reply: "550 5.1.1 no").isTemporaryReply)
    }
}
