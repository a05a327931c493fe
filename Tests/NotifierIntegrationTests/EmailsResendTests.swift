import AMQP
import Foundation
import LibPQ
import Logging
import OrdersDomain
import OrdersTestSupport
import OrdersWorkers
import Testing

/// `orderflow emails resend`: after the notifier mailed a parcel's event, the command sends it again
/// through the real SMTP sink, with the same Message-ID and content, and the ledger keeps both attempts.
@Suite("emails resend (real PostgreSQL, RabbitMQ and SMTP)", .workerSlot)
struct EmailsResendTests {
    static let environment = OrderflowProcess.testMerchant.merging([
        "ORDERFLOW_AMQP_URL": LocalStack.amqpURL, "ORDERFLOW_SMTP_URL": smtpURL,
    ]) { _, own in own }

    static func orderflow(_ arguments: [String], _ harness: NotifierHarness) async throws -> ChildProcess.Result {
        var environment = environment
        environment["ORDERFLOW_DATABASE_URL"] = harness.databaseURL
        return try await ChildProcess.run(OrderflowProcess.binary, arguments, environment: environment)
    }

    @Test func aResendIsASecondRecordedAttemptAndASecondMailWithTheSameMessageID() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let shipped = UTCTimestamp.now().adding(seconds: -3600).rfc3339
        try EndToEndTests.store(
            [EndToEndTests.order(1, channel: "webshop", locale: "de", placedAt: shipped, shipBy: shipped)],
            routingKey: "order.canonical", in: harness)
        try EndToEndTests.store(
            [EndToEndTests.parcel(1, shippedAt: shipped)], routingKey: "shipment.canonical", in: harness)
        let eventID = try #require(try harness.query("SELECT event_id::text FROM outbox").rows.first?.first ?? nil)

        var options = OutboxRelay.Options()
        options.exchange = harness.exchange
        options.declareTopology = false
        let relay = OutboxRelay(
            amqp: try AMQPNodes(urls: LocalStack.amqpURL),
            database: DatabaseExecutor(url: harness.databaseURL, applicationName: "test-relay"),
            options: options, logger: Logger(label: "test-relay"))
        while try await relay.relayOnce().claimed > 0 {}
        let first = try await harness.withNotifier { _ in
            try await harness.waitFor("SELECT count(*) FROM emails WHERE status = 'sent'", toBe: 1)
            return try await Mailbox.shared.waitForMails([eventID])
        }
        #expect(first[eventID]?.count == 1)

        let resend = try await Self.orderflow(["emails", "resend", eventID], harness)
        #expect(resend.status == 0, "\(resend.output)")
        let messageID = "<\(eventID)@teehaus-vogel.example>"
        #expect(
            resend.output.hasPrefix("\(eventID): sent, attempt 2, Message-ID \(messageID): 250"), "\(resend.output)")

        var mails: [ReceivedMail] = []
        try await waitUntil(timeout: .seconds(30)) {
            mails = Mailbox.shared.mails(for: [eventID])[eventID] ?? []
            return mails.count == 2
        }
        #expect(mails.map { $0.header("Message-ID") } == [messageID, messageID])
        #expect(mails[0].header("To") == mails[1].header("To"))
        #expect(mails[0].subject == mails[1].subject)
        #expect(mails[0].text == mails[1].text)
        #expect(mails[0].html == mails[1].html)
        #expect(mails[0].text?.contains("003404341610941") == true, "the parcel's tracking number")
        // The same bytes but for the Date header (the time of each sending) and what the sink adds.
        func sent(_ mail: ReceivedMail) -> (headers: [String], body: String) {
            let headers = mail.headers.filter { $0.name.lowercased() != "date" && !$0.name.hasPrefix("X-") }
            let body = mail.raw.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
            return (headers.map { "\($0.name): \($0.value)" }, body)
        }
        #expect(sent(mails[0]).headers == sent(mails[1]).headers)
        #expect(sent(mails[0]).headers.count >= 8, "\(sent(mails[0]).headers)")
        #expect(sent(mails[0]).body == sent(mails[1]).body)

        // The ledger: the latest attempt with the count, and every attempt.
        let email = try harness.query(
            "SELECT status, attempts, message_id, smtp_reply FROM emails WHERE event_id = $1::uuid", [.text(eventID)])
        #expect(email[0, "status"] == "sent")
        #expect(email.int64(0, "attempts") == 2)
        #expect(email[0, "message_id"] == messageID)
        #expect(email[0, "smtp_reply"]?.hasPrefix("250") == true)
        let attempts = try harness.query(
            """
            SELECT attempt, origin, status, message_id, smtp_reply IS NOT NULL AS replied,
                   finished_at >= started_at AS finished
            FROM email_attempts WHERE event_id = $1::uuid ORDER BY attempt
            """, [.text(eventID)])
        #expect(attempts.count == 2)
        #expect(
            attempts.rows.map { Array($0.prefix(4)).compactMap { $0 } } == [
                ["1", "notifier", "sent", messageID], ["2", "resend", "sent", messageID],
            ])
        #expect(attempts.rows.allSatisfy { $0[4] == "t" && $0[5] == "t" })
        let list = try await Self.orderflow(["emails", "list", "--json"], harness)
        let listed = try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]]
        #expect(listed?.count == 1)
        #expect(listed?.first?["attempts"] as? Int == 2)
        #expect(listed?.first?["status"] as? String == "sent")

        let show = try await Self.orderflow(["orders", "show", "webshop", "E-1"], harness)
        #expect(show.output.contains("  \(eventID)  shipment.dispatched  sent "), "\(show.output)")
        #expect(show.output.contains("subject \"\(mails[1].subject ?? "")\"  2 attempt(s)"), "\(show.output)")

        // While a notifier holds the event (its advisory lock), a resend waits for nothing and sends nothing.
        let holder = try PostgresConnection(url: harness.databaseURL)
        try holder.execute("SELECT pg_advisory_lock(7370000, hashtext($1))", [.text(eventID)])
        let busy = try await Self.orderflow(["emails", "resend", eventID], harness)
        #expect(busy.status == 1)
        #expect(
            busy.output == "\(eventID): not sent: a notifier is sending it right now; try again in a moment\n",
            "\(busy.output)")
        holder.close()

        // An order without an address: nothing to send, and no attempt.
        _ = try harness.query("UPDATE orders SET customer_email = NULL")
        let noAddress = try await Self.orderflow(["emails", "resend", eventID], harness)
        #expect(noAddress.status == 1)
        #expect(
            noAddress.output == "\(eventID): not sent: the order has no customer email address\n", "\(noAddress.output)"
        )
        #expect(try harness.scalar("SELECT attempts FROM emails") == 2)
        #expect(Mailbox.shared.mails(for: [eventID])[eventID]?.count == 2)

        // Unknown and malformed event ids are refused, naming them.
        let unknown = UUID().uuidString.lowercased()
        let refused = try await Self.orderflow(["emails", "resend", unknown], harness)
        #expect(refused.status == 1)
        #expect(refused.output.hasPrefix("\(unknown): no such event\n"), "\(refused.output)")
        let malformed = try await Self.orderflow(["emails", "resend", "T-1"], harness)
        #expect(malformed.status == 64)
        #expect(malformed.output.contains("'T-1' is not an event id"), "\(malformed.output)")
        #expect(try harness.scalar("SELECT count(*) FROM email_attempts") == 2)
    }
}
