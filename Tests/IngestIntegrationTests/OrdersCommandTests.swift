import Foundation
import LibPQ
import OrdersTestSupport
import Testing

/// `orderflow orders show | search` against the real database: an order with two lines, a parcel, a
/// voucher, three events (published, unpublished, retried) with a sent, a failed and a skipped email,
/// and rejects that name it, every time fixed so the output can be compared whole.
@Suite("orders command")
struct OrdersCommandTests {
    static let shipmentEvent = "11111111-1111-4111-8111-111111111111"
    static let voucherEvent = "22222222-2222-4222-8222-222222222222"
    static let delayEvent = "33333333-3333-4333-8333-333333333333"

    /// T-1 with its whole trail; T-2 of another customer; T-10, whose id starts like T-1's.
    static func storeTrail(_ harness: IngestHarness) throws {
        try storeCanonical(
            [
                CanonicalSamples.order(1, shipBy: "2026-11-04T14:00:00Z"),
                CanonicalSamples.order(2, email: "jonas@example.de"), CanonicalSamples.order(10),
            ], routingKey: "order.canonical", databaseURL: harness.databaseURL)
        try storeCanonical(
            [CanonicalSamples.shipment(1)], routingKey: "shipment.canonical", databaseURL: harness.databaseURL)
        try PostgresConnection(url: harness.databaseURL).executeScript(
            """
            UPDATE orders SET stored_at = '2026-11-02T14:06:00Z', changed_at = '2026-11-02T14:06:00Z';
            UPDATE orders SET customer_name = E'Lena \\x1b[31mVogel', changed_at = '2026-11-03T09:30:00Z'
                WHERE external_id = 'T-1';
            UPDATE shipments SET shipped_at = '2026-11-03T09:00:00Z', stored_at = '2026-11-03T09:30:00Z';
            INSERT INTO vouchers (code, order_id, reason, kind, percent, currency, min_order_minor, expires_at,
                                  issued_at)
                SELECT 'ABCDEFGHJKLM', id, 'delay', 'percent', 10, 'EUR', 2000, '2027-02-04T23:00:00Z',
                       '2026-11-04T15:00:00Z'
                FROM orders WHERE external_id = 'T-1';
            UPDATE orders SET delay_handled_at = '2026-11-04T15:00:00Z' WHERE external_id = 'T-1';
            DELETE FROM outbox;
            INSERT INTO outbox (event_id, type, subject, order_id, shipment_id, created_at, published_at, attempts)
                SELECT '\(shipmentEvent)', 'shipment.dispatched', 'shipment:' || s.id, s.order_id, s.id,
                       '2026-11-03T09:30:00Z', '2026-11-03T09:30:01Z', 1
                FROM shipments s;
            INSERT INTO outbox (event_id, type, subject, order_id, voucher_code, created_at, published_at, attempts)
                SELECT '\(voucherEvent)', 'voucher.issued', 'voucher:ABCDEFGHJKLM', order_id, code,
                       '2026-11-04T15:00:00Z', '2026-11-04T15:00:05Z', 2
                FROM vouchers;
            INSERT INTO outbox (event_id, type, subject, order_id, created_at, attempts, last_error)
                SELECT '\(delayEvent)', 'order.delayed', 'order.delayed:' || id, id, '2026-11-04T15:00:00Z', 3,
                       'returned by the broker: NO_ROUTE'
                FROM orders WHERE external_id = 'T-1';
            INSERT INTO emails (event_id, event_type, recipient, subject, status, attempts, claimed_at, sent_at,
                                smtp_reply, message_id)
            VALUES ('\(shipmentEvent)', 'shipment.dispatched', 'lena.vogel@example.de',
                    'Ihre Bestellung #1 ist unterwegs',
                    'sent', 1, '2026-11-03T09:30:02Z', '2026-11-03T09:30:03Z', '250 2.0.0 Ok: queued as 4F1',
                    '<\(shipmentEvent)@teehaus.example>'),
                   ('\(voucherEvent)', 'voucher.issued', 'lena.vogel@example.de', 'Entschuldigung', 'failed', 1,
                    '2026-11-04T15:00:06Z', NULL, E'550 5.1.1 mailbox\\x07 unavailable', NULL),
                   ('\(delayEvent)', 'order.delayed', NULL, NULL, 'skipped', 0, '2026-11-04T15:00:07Z', NULL,
                    'no customer email address', NULL);
            INSERT INTO rejects (message_id, routing_key, reason, field, body, received_at) VALUES
                ('m-r1', 'shipment.canonical', 'unknown carrier ''Zeppelin''', 'carrier',
                 convert_to('{"externalId": "T-1", "carrier": "Zeppelin"}', 'UTF8'), '2026-11-03T08:00:00Z'),
                ('m-r2', 'order.shopify', 'unknown currency ''XYZ''', 'currency',
                 convert_to('{"id": "T-1", "currency": "XYZ"}', 'UTF8'), '2026-11-03T08:10:00Z'),
                ('m-r3', 'order.canonical', 'negative quantity', 'lines[0].quantity',
                 convert_to('{"externalId": "T-10"}', 'UTF8'), '2026-11-03T08:20:00Z'),
                ('m-r4', 'order.canonical', 'bad JSON', NULL, convert_to('{"externalId": "T-2"', 'UTF8'),
                 '2026-11-03T08:30:00Z');
            UPDATE rejects SET replayed_at = '2026-11-03T08:40:00Z' WHERE message_id = 'm-r2';
            """)
    }

    @Test func showPrintsTheWholeTrailInOrder() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try Self.storeTrail(harness)
        let rejectIDs = try (1...2).map { n in
            try #require(try harness.scalar("SELECT id FROM rejects WHERE message_id = $1", [.text("m-r\(n)")]))
        }

        let show = try OrderflowCommand.run(["orders", "show", "webshop", "T-1"], databaseURL: harness.databaseURL)
        #expect(show.status == 0, "\(show.output)")
        let (e, v, d) = (Self.shipmentEvent, Self.voucherEvent, Self.delayEvent)
        let (r1, r2) = (rejectIDs[0], rejectIDs[1])
        let order: [String] = [
            "order      webshop T-1 (number #1)",
            "status     partially_shipped",
            "customer   Lena \\u001B[31mVogel <lena.vogel@example.de> (de)",
            "placed     2026-11-02T14:05:00Z, ship by 2026-11-04T14:00:00Z",
            "stored     2026-11-02T14:06:00Z, last change 2026-11-03T09:30:00Z",
            "",
            "lines",
            "    #  SKU      QTY  UNIT PRICE       TOTAL  TITLE",
            "    1  KANNE-1    1       30.90       30.90  Teekanne Größe 1",
            "    2  KANNE-2    2       30.90       61.80  Teekanne Größe 2",
            "totals     items 92.70, shipping 3.95, discount 0.00, tax 0.00, grand total 96.65 EUR",
        ]
        let events: [String] = [
            "",
            "shipments",
            "  P1  DHL  003404341  shipped 2026-11-03T09:00:00Z",
            "",
            "vouchers",
            "  ABCDEFGHJKLM  delay  10 %  min. order 20.00 EUR  issued 2026-11-04T15:00:00Z  "
                + "expires 2027-02-04T23:00:00Z",
            "",
            "events",
            "  \(e)  shipment.dispatched  created 2026-11-03T09:30:00Z  published 2026-11-03T09:30:01Z  "
                + "1 attempt(s)",
            "  \(v)  voucher.issued  created 2026-11-04T15:00:00Z  published 2026-11-04T15:00:05Z  2 attempt(s)",
            "  \(d)  order.delayed  created 2026-11-04T15:00:00Z  not published  3 attempt(s)  "
                + "last error: returned by the broker: NO_ROUTE",
            "",
            "emails",
            "  \(e)  shipment.dispatched  sent 2026-11-03T09:30:03Z: 250 2.0.0 Ok: queued as 4F1  "
                + "to lena.vogel@example.de  subject \"Ihre Bestellung #1 ist unterwegs\"  1 attempt(s)",
            "  \(v)  voucher.issued  failed: 550 5.1.1 mailbox\\u0007 unavailable  to lena.vogel@example.de  "
                + "subject \"Entschuldigung\"  1 attempt(s)",
            "  \(d)  order.delayed  skipped: no customer email address  to -  subject \"\"  0 attempt(s)",
        ]
        let rejectsAndTimeline: [String] = [
            "",
            "rejects",
            "  \(r1)  received 2026-11-03T08:00:00Z  shipment.canonical  unknown carrier 'Zeppelin'",
            "  \(r2)  received 2026-11-03T08:10:00Z  order.shopify  unknown currency 'XYZ'  "
                + "replayed 2026-11-03T08:40:00Z",
            "",
            "timeline",
            "  2026-11-02T14:05:00Z  placed on webshop",
            "  2026-11-02T14:05:40Z  last changed on the channel",
            "  2026-11-02T14:06:00Z  stored",
            "  2026-11-03T08:00:00Z  message rejected (reject \(r1)): unknown carrier 'Zeppelin'",
            "  2026-11-03T08:10:00Z  message rejected (reject \(r2)): unknown currency 'XYZ'",
            "  2026-11-03T08:40:00Z  reject \(r2) replayed",
            "  2026-11-03T09:00:00Z  shipment P1 shipped",
            "  2026-11-03T09:30:00Z  stored again, status partially_shipped",
            "  2026-11-03T09:30:00Z  shipment P1 stored",
            "  2026-11-03T09:30:00Z  event shipment.dispatched \(e) created",
            "  2026-11-03T09:30:01Z  event shipment.dispatched \(e) published",
            "  2026-11-03T09:30:03Z  email for \(e): sent 2026-11-03T09:30:03Z: 250 2.0.0 Ok: queued as 4F1",
            "  2026-11-04T15:00:00Z  overdue: handled by the sweeper",
            "  2026-11-04T15:00:00Z  voucher ABCDEFGHJKLM issued (delay)",
            "  2026-11-04T15:00:00Z  event voucher.issued \(v) created",
            "  2026-11-04T15:00:00Z  event order.delayed \(d) created",
            "  2026-11-04T15:00:05Z  event voucher.issued \(v) published",
            "  2026-11-04T15:00:06Z  email for \(v): failed: 550 5.1.1 mailbox\\u0007 unavailable",
            "  2026-11-04T15:00:07Z  email for \(d): skipped: no customer email address",
        ]
        let expected = (order + events + rejectsAndTimeline).joined(separator: "\n") + "\n"
        #expect(show.output == expected, "\(show.output)")
        #expect(!show.output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, "control characters escaped")
    }

    @Test func showAsJSONHasTheDocumentedFields() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try Self.storeTrail(harness)
        let show = try OrderflowCommand.run(
            ["orders", "show", "webshop", "T-1", "--json"], databaseURL: harness.databaseURL)
        #expect(show.status == 0, "\(show.output)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(show.output.utf8)) as? [String: Any], "\(show.output)")
        #expect(
            Set(document.keys) == [
                "order", "lines", "shipments", "vouchers", "events", "emails", "rejects", "timeline",
            ])
        let order = try #require(document["order"] as? [String: Any])
        #expect(order["externalId"] as? String == "T-1")
        #expect(order["number"] as? String == "#1")
        #expect((order["customer"] as? [String: Any])?["name"] as? String == "Lena \u{1B}[31mVogel", "JSON keeps data")
        let totals = try #require(order["totals"] as? [String: Any])
        #expect(totals["grandTotalMinor"] as? Int == 9665)
        #expect(totals["itemsMinor"] as? Int == 9270)
        #expect(totals["linesDiscrepancyMinor"] is NSNull)
        let lines = try #require(document["lines"] as? [[String: Any]])
        #expect(lines.map { $0["totalMinor"] as? Int } == [3090, 6180])
        let events = try #require(document["events"] as? [[String: Any]])
        #expect(events.map { $0["published"] as? Bool } == [true, true, false])
        #expect(events.map { $0["attempts"] as? Int } == [1, 2, 3])
        let emails = try #require(document["emails"] as? [[String: Any]])
        #expect(emails.map { $0["status"] as? String } == ["sent", "failed", "skipped"])
        #expect(emails[1]["reply"] as? String == "550 5.1.1 mailbox\u{07} unavailable")
        #expect(emails[2]["reply"] as? String == "no customer email address")
        let rejects = try #require(document["rejects"] as? [[String: Any]])
        #expect(rejects.map { $0["reason"] as? String } == ["unknown carrier 'Zeppelin'", "unknown currency 'XYZ'"])
        let timeline = try #require(document["timeline"] as? [[String: Any]])
        #expect(timeline.count == 19)
        #expect(timeline.first?["what"] as? String == "placed on webshop")
    }

    @Test func searchByEmailNumberAndTime() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try Self.storeTrail(harness)
        let recent = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-600))
        try storeCanonical(
            [CanonicalSamples.order(4, email: "Mia@Example.de", placedAt: recent)], routingKey: "order.canonical",
            databaseURL: harness.databaseURL)

        let byEmail = try OrderflowCommand.run(
            ["orders", "search", "--email", "LENA.VOGEL@example.de"], databaseURL: harness.databaseURL)
        #expect(byEmail.status == 0, "\(byEmail.output)")
        let expectedRows = [
            "PLACED               CHANNEL     EXTERNAL ID NUMBER STATUS                   TOTAL     CUSTOMER",
            "2026-11-02T14:05:00Z webshop     T-10        #10    paid                     96.65 EUR "
                + "Lena Vogel <lena.vogel@example.de>",
            "2026-11-02T14:05:00Z webshop     T-1         #1     partially_shipped        96.65 EUR "
                + "Lena \\u001B[31mVogel <lena.vogel@example.de>",
        ]
        #expect(byEmail.output == expectedRows.joined(separator: "\n") + "\n", "\(byEmail.output)")

        let byNumber = try OrderflowCommand.run(
            ["orders", "search", "--number", "#2", "--json"], databaseURL: harness.databaseURL)
        #expect(byNumber.status == 0, "\(byNumber.output)")
        let found = try #require(try JSONSerialization.jsonObject(with: Data(byNumber.output.utf8)) as? [[String: Any]])
        #expect(found.map { $0["externalId"] as? String } == ["T-2"])
        #expect(found.first?["customerEmail"] as? String == "jonas@example.de")
        #expect(found.first?["grandTotalMinor"] as? Int == 9665)
        #expect(
            Set(found.first?.keys.map { $0 } ?? []) == [
                "channel", "externalId", "number", "status", "currency", "grandTotalMinor", "customerEmail",
                "customerName", "placedAt",
            ])

        let recentOnes = try OrderflowCommand.run(
            ["orders", "search", "--since", "1", "--json"], databaseURL: harness.databaseURL)
        let recentFound = try #require(
            try JSONSerialization.jsonObject(with: Data(recentOnes.output.utf8)) as? [[String: Any]])
        #expect(recentFound.map { $0["externalId"] as? String } == ["T-4"], "\(recentOnes.output)")

        let both = try OrderflowCommand.run(
            ["orders", "search", "--email", "mia@example.de", "--number", "#1"], databaseURL: harness.databaseURL)
        #expect(both.output == "no orders\n", "every filter must match: \(both.output)")

        let none = try OrderflowCommand.run(["orders", "search"], databaseURL: harness.databaseURL)
        #expect(none.status == 64, "\(none.output)")
        #expect(none.output.contains("give --email, --number or --since"), "\(none.output)")
    }

    @Test func showOfAMissingOrderFailsNamingIt() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let show = try OrderflowCommand.run(["orders", "show", "webshop", "T-9"], databaseURL: harness.databaseURL)
        #expect(show.status == 1)
        #expect(show.output == "orderflow: error: no order T-9 of channel webshop\n", "\(show.output)")
    }
}
