import Foundation
import LibPQ
import OrdersTestSupport
import Testing

/// `orderflow emails list` against the real database, over the ledger of `OrdersCommandTests.storeTrail`
/// (a sent, a failed and a skipped email of order T-1) and one email of an hour ago whose event is gone.
@Suite("emails command")
struct EmailsCommandTests {
    static let orphanEvent = "44444444-4444-4444-8444-444444444444"

    static func storeLedger(_ harness: IngestHarness) throws {
        try OrdersCommandTests.storeTrail(harness)
        try PostgresConnection(url: harness.databaseURL).execute(
            """
            INSERT INTO emails (event_id, event_type, recipient, subject, status, attempts, claimed_at, smtp_reply)
            VALUES ($1::uuid, 'voucher.issued', E'mia\\x1b@example.de', 'Entschuldigung', 'sending', 2,
                    now() - interval '10 minutes', '451 4.3.0 try again later')
            """, [.text(orphanEvent)])
    }

    @Test func listNewestFirstWithTheirOrdersAndReplies() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try Self.storeLedger(harness)
        let (e, v, d) = (
            OrdersCommandTests.shipmentEvent, OrdersCommandTests.voucherEvent, OrdersCommandTests.delayEvent
        )
        let recent = try #require(
            try harness.query(
                "SELECT to_char(claimed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM emails "
                    + "WHERE status = 'sending'"
            ).rows.first?.first ?? nil)

        let list = try OrderflowCommand.run(["emails", "list"], databaseURL: harness.databaseURL)
        #expect(list.status == 0, "\(list.output)")
        let expected: [String] = [
            "AT                   EVENT ID                             STATUS  TYPE                ORDER       "
                + "RECIPIENT             REPLY",
            "\(recent) \(Self.orphanEvent) sending voucher.issued      -           mia\\u001B@example.de  "
                + "451 4.3.0 try again later",
            "2026-11-04T15:00:07Z \(d) skipped order.delayed       webshop T-1 -                     "
                + "no customer email address",
            "2026-11-04T15:00:06Z \(v) failed  voucher.issued      webshop T-1 lena.vogel@example.de "
                + "550 5.1.1 mailbox\\u0007 unavailable",
            "2026-11-03T09:30:03Z \(e) sent    shipment.dispatched webshop T-1 lena.vogel@example.de "
                + "250 2.0.0 Ok: queued as 4F1",
        ]
        #expect(list.output == expected.joined(separator: "\n") + "\n", "\(list.output)")
        #expect(!list.output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, "control characters escaped")

        let failed = try OrderflowCommand.run(["emails", "list", "--failed"], databaseURL: harness.databaseURL)
        #expect(failed.output.split(separator: "\n").dropFirst().map { String($0.dropFirst(21).prefix(36)) } == [v])
        let both = try OrderflowCommand.run(
            ["emails", "list", "--failed", "--skipped"], databaseURL: harness.databaseURL)
        #expect(both.output.split(separator: "\n").dropFirst().map { String($0.dropFirst(21).prefix(36)) } == [d, v])
        let lastHour = try OrderflowCommand.run(["emails", "list", "--since", "1"], databaseURL: harness.databaseURL)
        #expect(
            lastHour.output.split(separator: "\n").dropFirst().map { String($0.dropFirst(21).prefix(36)) } == [
                Self.orphanEvent
            ], "\(lastHour.output)")
        let none = try OrderflowCommand.run(
            ["emails", "list", "--skipped", "--since", "1"], databaseURL: harness.databaseURL)
        #expect(none.output == "no emails\n")
    }

    @Test func listAsJSONHasTheDocumentedFields() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try Self.storeLedger(harness)
        let list = try OrderflowCommand.run(
            ["emails", "list", "--failed", "--json"], databaseURL: harness.databaseURL)
        #expect(list.status == 0, "\(list.output)")
        let emails = try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]])
        #expect(emails.count == 1)
        let email = try #require(emails.first)
        #expect(
            Set(email.keys) == [
                "eventId", "eventType", "status", "recipient", "subject", "attempts", "claimedAt", "sentAt", "reply",
                "messageId", "channel", "externalId",
            ])
        #expect(email["eventId"] as? String == OrdersCommandTests.voucherEvent)
        #expect(email["status"] as? String == "failed")
        #expect(email["reply"] as? String == "550 5.1.1 mailbox\u{07} unavailable")
        #expect(email["claimedAt"] as? String == "2026-11-04T15:00:06Z")
        #expect(email["sentAt"] is NSNull)
        #expect(email["channel"] as? String == "webshop")
        #expect(email["externalId"] as? String == "T-1")
        #expect(email["attempts"] as? Int == 1)
    }

    /// What root runs on a host reads as orderflow_read (rows only, read-only transactions): the same output.
    @Test func theReadRoleRunsOrdersAndEmails() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try Self.storeLedger(harness)
        let readURL = LocalStack.url(LocalStack.readDatabaseURL, schema: harness.schema)
        for arguments in [
            ["orders", "show", "webshop", "T-1"], ["orders", "search", "--email", "lena.vogel@example.de", "--json"],
            ["emails", "list", "--failed"],
        ] {
            let asRead = try OrderflowCommand.run(arguments, databaseURL: readURL)
            let asOwner = try OrderflowCommand.run(arguments, databaseURL: harness.databaseURL)
            #expect(asRead.status == 0, "\(arguments): \(asRead.output)")
            #expect(asRead.output == asOwner.output, "\(arguments)")
        }
    }
}
