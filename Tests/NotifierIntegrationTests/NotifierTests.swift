import Foundation
import OrdersTestSupport
import OrdersWorkers
import Testing

/// The notifier against the real servers: RabbitMQ, PostgreSQL and the aiosmtpd sink.
@Suite(.timeLimit(.minutes(TestTime.minutes(5))), .workerSlot) struct NotifierTests {
    @Test func germanAndEnglishDelayVouchersArriveWithHeadersBothPartsCodeAndTerms() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let german = TestEvents.voucher(locale: nil, country: "AT", email: "lena@example.de")
        let english = TestEvents.voucher(locale: "en-GB", country: "DE", name: "Sam Taylor", email: "sam@example.com")
        try harness.publish([german, english])
        let mails = try await harness.withNotifier { _ in
            try await Mailbox.shared.waitForMails([german.id, english.id])
        }

        let de = try #require(mails[german.id]?.first)
        #expect(mails[german.id]?.count == 1)
        #expect(de.subject == "Ihre Bestellung #1001 verspätet sich – unsere Entschuldigung")
        #expect(de.header("From") == "Teehaus Vogel <service@teehaus-vogel.example>")
        #expect(de.header("To") == "Lena Vogel <lena@example.de>")
        #expect(de.header("Reply-To") == "hilfe@teehaus-vogel.example")
        #expect(de.header("Message-ID") == "<\(german.id)@teehaus-vogel.example>")
        #expect(de.header("Date")?.hasSuffix("+0000") == true)
        #expect(de.header("X-Envelope-To") == "lena@example.de")
        #expect(de.raw.contains("multipart/alternative"))
        let deText = try #require(de.text)
        let deHTML = try #require(de.html)
        for part in [deText, deHTML] {
            #expect(part.contains("K7QW3MZPXH9T"))
            #expect(part.contains("5,00\u{A0}€"))
            #expect(part.contains("15,00\u{A0}€"))
            #expect(part.contains("23. Februar 2027"))
            #expect(part.contains("Amtsgericht München, HRB 123456"))
        }

        let en = try #require(mails[english.id]?.first)
        #expect(en.subject == "Your order #1001 is running late – our apologies")
        #expect(en.header("To") == "Sam Taylor <sam@example.com>")
        let enText = try #require(en.text)
        #expect(enText.contains("K7QW3MZPXH9T"))
        #expect(enText.contains("€5.00"))
        #expect(enText.contains("Minimum order value: €15.00"))
        #expect(enText.contains("23 February 2027"))
        #expect(try #require(en.html).contains("K7QW3MZPXH9T"))

        for event in [german, english] {
            let row = try harness.status(of: event.id)
            #expect(row.status == "sent")
            #expect(row.reply?.hasPrefix("250") == true, "\(row.reply ?? "nil")")
        }
        #expect(try harness.scalar("SELECT count(*) FROM emails WHERE sent_at IS NOT NULL") == 2)
    }

    @Test func shipmentEmailCarriesTheCarriersTrackingLink() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let dhl = TestEvents.shipment(carrier: "DHL", trackingNumber: "00340434161234567890")
        let ups = TestEvents.shipment(carrier: "UPS", trackingNumber: "1Z999AA10123456784")
        try harness.publish([dhl, ups])
        let mails = try await harness.withNotifier { _ in try await Mailbox.shared.waitForMails([dhl.id, ups.id]) }
        let dhlMail = try #require(mails[dhl.id]?.first)
        let dhlLink =
            "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=00340434161234567890"
        #expect(try #require(dhlMail.html).contains("href=\"\(dhlLink)\""))
        #expect(try #require(dhlMail.text).contains(dhlLink))
        #expect(dhlMail.subject == "Ihre Bestellung #1001 ist unterwegs")
        let upsMail = try #require(mails[ups.id]?.first)
        #expect(
            try #require(upsMail.html).contains(
                "href=\"https://www.ups.com/track?loc=de_DE&amp;tracknum=1Z999AA10123456784\""))
    }

    @Test func customerNameWithMarkupArrivesEscapedInHTML() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let event = TestEvents.voucher(
            locale: "de", name: "<img src=x onerror=alert(1)> Vogel", email: "markup@example.de")
        try harness.publish([event])
        let mails = try await harness.withNotifier { _ in try await Mailbox.shared.waitForMails([event.id]) }
        let html = try #require(mails[event.id]?.first?.html)
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt; Vogel"))
        #expect(!html.contains("<img"))
    }

    @Test func anAddressWithCRLFNeverReachesSMTPAndAddsNoHeader() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let token = UUID().uuidString.lowercased()
        let hostile = TestEvents.voucher(locale: "de", email: "victim@example.de\r\nBcc: \(token)@example.org")
        let hostileName = TestEvents.voucher(
            locale: "de", name: "Eve\r\nBcc: \(token)@example.org", email: "eve@example.de")
        let good = TestEvents.voucher(locale: "de", email: "after-hostile@example.de")
        try harness.publish([hostile, hostileName, good])
        let mails = try await harness.withNotifier { _ in
            try await harness.waitFor("SELECT count(*) FROM emails WHERE status IN ('sent','skipped')", toBe: 3)
            return try await Mailbox.shared.waitForMails([good.id, hostileName.id])
        }
        #expect(try harness.status(of: hostile.id).status == "skipped")
        #expect(Mailbox.shared.mails(for: [hostile.id]).isEmpty)
        // The name's line break became a space: one To header, no Bcc, nothing sent to the token.
        let named = try #require(mails[hostileName.id]?.first)
        #expect(named.headers.filter { $0.name.lowercased() == "bcc" }.isEmpty)
        #expect(named.header("X-Envelope-To") == "eve@example.de")
        #expect(!named.headerBlock.contains("\r\nBcc:"))
        #expect(try #require(mails[good.id]).count == 1)
    }

    @Test func a550ForOneRecipientDoesNotBlockTheOthers() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let refused = TestEvents.voucher(locale: "de", email: "reject-\(UUID().uuidString.prefix(8))@example.de")
        let others = (0..<3).map { _ in TestEvents.voucher(locale: "de", email: "fine@example.de") }
        try harness.publish([refused] + others)
        let mails = try await harness.withNotifier { _ in
            try await harness.waitFor("SELECT count(*) FROM emails WHERE status IN ('sent','failed')", toBe: 4)
            return try await Mailbox.shared.waitForMails(Set(others.map(\.id)))
        }
        #expect(mails.count == 3)
        let row = try harness.status(of: refused.id)
        #expect(row.status == "failed")
        #expect(row.reply?.hasPrefix("550") == true, "\(row.reply ?? "nil")")
        for event in others { #expect(try harness.status(of: event.id).status == "sent") }
    }

    @Test func aRedeliveredEventThatWasSentIsAcknowledgedWithoutSending() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let event = TestEvents.voucher(locale: "de", email: "twice@example.de")
        try harness.publish([event])
        try await harness.withNotifier { _ in
            try await harness.waitFor("SELECT count(*) FROM emails WHERE status = 'sent'", toBe: 1)
        }
        // The relay may publish an event twice (crash between confirm and mark-sent).
        try harness.publish([event, event])
        let duplicates = try await harness.withNotifier { progress in
            while progress.counts.duplicates < 2 { try await Task.sleep(for: .milliseconds(50)) }
            return progress.counts
        }
        #expect(duplicates.sent == 0)
        try await Task.sleep(for: .milliseconds(500))
        #expect(Mailbox.shared.mails(for: [event.id])[event.id]?.count == 1)
        #expect(try harness.status(of: event.id).attempts == 1)
    }

    @Test func anInvalidEventIsDeadLetteredAndDoesNotBlockTheNextOne() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let good = TestEvents.voucher(locale: "de", email: "behind-a-bad-one@example.de")
        try harness.publish([
            ("voucher.issued", "{not json", UUID().uuidString),
            ("voucher.issued", #"{"eventId": "x", "type": "voucher.issued"}"#, UUID().uuidString), good,
        ])
        let counts = try await harness.withNotifier { progress in
            _ = try await Mailbox.shared.waitForMails([good.id])
            try await harness.waitFor("SELECT count(*) FROM emails WHERE status = 'sent'", toBe: 1)
            // Acked and counted just after the record.
            while progress.counts.sent < 1 { try await Task.sleep(for: .milliseconds(20)) }
            return progress.counts
        }
        #expect(counts.invalid == 2)
        #expect(counts.sent == 1)
    }

    @Test func twoNotifiersOnOneQueueSendEachEmailOnce() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let events = (0..<60).map { n in TestEvents.voucher(locale: "de", email: "pair-\(n)@example.de") }
        try harness.publish(events + events)  // every event twice, as after a relay crash
        try await harness.withNotifier { _ in
            try await harness.withNotifier { _ in
                try await harness.waitFor("SELECT count(*) FROM emails WHERE status = 'sent'", toBe: 60)
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let mails = Mailbox.shared.mails(for: Set(events.map(\.id)))
        #expect(mails.count == 60)
        #expect(mails.values.allSatisfy { $0.count == 1 })
        #expect(try harness.scalar("SELECT max(attempts) FROM emails") == 1)
    }
}
