import Foundation
import LibPQ
import OrdersTestSupport
import Testing

/// `orderflow customers erase` against a database a worker and a notifier filled (real PostgreSQL,
/// RabbitMQ and SMTP): afterwards no table holds the customer's address, name, street or phone, in any
/// text, JSON or bytea column; amounts and ids are as they were; a new version of an erased order stays
/// erased.
@Suite("customers erase (real PostgreSQL, RabbitMQ and SMTP)", .workerSlot)
struct ErasureTests {
    static let email = "Zoe.Erasmus@example.org"
    /// What must leave no trace (the address in the case the channel sent and in lower case).
    static let traces = ["zoe.erasmus@example.org", "Erasmus", "schweg 17", "+49 30 5550199"]

    static func order(
        _ id: String, email: String = email, name: String = "Zoë Erasmus", updatedAt: String
    )
        -> [UInt8]
    {
        Array(
            """
            {"channel": "webshop", "externalId": "\(id)", "number": "#\(id)", "status": "paid",
             "placedAt": "2026-11-02T14:05:00Z", "updatedAt": "\(updatedAt)", "currency": "EUR",
             "totals": {"items": "61.80", "shipping": "3.95", "discount": "0.00", "tax": "0.00", "grand": "65.75"},
             "customer": {"email": "\(email)", "name": "\(name)", "locale": "de"},
             "shippingAddress": {"name": "\(name)", "line1": "Löschweg 17", "postalCode": "10999", "city": "Berlin",
                                 "country": "DE", "phone": "+49 30 5550199"},
             "billingAddress": {"name": "\(name)", "line1": "Löschweg 17", "postalCode": "10999", "city": "Berlin",
                                "country": "DE"},
             "lines": [{"lineId": "1", "sku": "KANNE-1", "title": "Teekanne", "quantity": 2, "unitPrice": "30.90",
                        "total": "61.80"}]}
            """.utf8)
    }

    /// Every hit of `needle` (any case) in every text, JSON or bytea column of every table of the schema.
    static func scan(_ harness: IngestHarness, for needle: String) throws -> [String] {
        let columns = try harness.query(
            """
            SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE'
              AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY')
            """, [.text(harness.schema)])
        var hits: [String] = []
        for row in columns.rows {
            guard let table = row[0], let column = row[1], let type = row[2] else { continue }
            // bytea through the escape encoding, which keeps printable ASCII as it is.
            let value = type == "bytea" ? "encode(\"\(column)\", 'escape')" : "\"\(column)\"::text"
            let count = try harness.scalar(
                "SELECT count(*) FROM \"\(table)\" WHERE strpos(lower(\(value)), lower($1)) > 0", [.text(needle)])
            if let count, count > 0 { hits.append("\(table).\(column): \(count)") }
        }
        return hits
    }

    static func orderflow(_ arguments: [String], _ harness: IngestHarness) async throws -> ChildProcess.Result {
        try await RetentionTests.orderflow(arguments, harness)
    }

    @Test func eraseLeavesNoTraceOfTheCustomerAndKeepsAmountsAndIds() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let sink = try await offThePool { try PrivateSink() }
        let appURL = LocalStack.url(LocalStack.appDatabaseURL, schema: harness.schema)
        let shippedAt = ISO8601DateFormatter().string(from: Date())
        try harness.publish([
            ("order.canonical", Self.order("E-1", updatedAt: "2026-11-02T14:05:40Z"), "erase-1"),
            (
                "order.canonical",
                Self.order("E-2", email: "zoe.erasmus@EXAMPLE.org", updatedAt: "2026-11-02T14:05:40Z"),
                "erase-2"
            ),
            ("order.canonical", CanonicalSamples.order(7, email: "mia.keller@example.de"), "other-7"),
            ("shipment.canonical", CanonicalSamples.shipment(7, shippedAt: shippedAt), "other-7-parcel"),
            (
                "shipment.canonical",
                Array(
                    #"{"channel": "webshop", "externalId": "E-1", "shipmentId": "P1", "carrier": "DHL", "#
                        .utf8) + Array(#""trackingNumber": "00340434E1", "shippedAt": "\#(shippedAt)", "#.utf8)
                    + Array(#""lines": [{"sku": "KANNE-1", "quantity": 2}]}"#.utf8), "erase-1-parcel"
            ),
            // A message refused as invalid (unknown currency) that names the customer.
            (
                "order.canonical",
                Array(
                    String(decoding: Self.order("E-3", updatedAt: "2026-11-02T14:05:40Z"), as: UTF8.self)
                        .replacingOccurrences(of: "\"EUR\"", with: "\"XYZ\"").utf8), "erase-3"
            ),
        ])
        let worker = try OrderflowProcess(
            worker: harness.queue, databaseURL: appURL, eventsExchange: harness.eventsExchange,
            extraArguments: ["--no-sweeper"])
        defer { worker.signal(SIGKILL) }
        let notifier = try OrderflowProcess(notifier: harness.eventsQueue, databaseURL: appURL, smtpURL: sink.url)
        defer { notifier.signal(SIGKILL) }
        try await waitUntil(timeout: .seconds(60)) {
            (try? harness.scalar("SELECT count(*) FROM emails WHERE status = 'sent'")) == 2
        }
        notifier.signal(SIGTERM)
        #expect(try await notifier.waitForExit() == 0)
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 1)
        for trace in Self.traces { #expect(!(try Self.scan(harness, for: trace)).isEmpty, "\(trace) stored at all") }

        let figures = """
            SELECT o.channel || ' ' || o.external_id || ' ' || o.id || ' ' || o.grand_total_minor || ' '
                   || o.items_total_minor || ' ' || o.status || ' ' || o.currency || ' '
                   || (SELECT string_agg(l.sku || 'x' || l.quantity || '=' || l.total_minor, ',') FROM order_lines l
                       WHERE l.order_id = o.id) || ' ' || coalesce(o.shipping_address->>'country', '-')
            FROM orders o ORDER BY o.id
            """
        let before = try harness.query(figures).rows.compactMap { $0[0] }
        let ids = """
            SELECT (SELECT string_agg(id::text || shipment_id || tracking_number, ',' ORDER BY id) FROM shipments)
                || (SELECT string_agg(event_id::text || type, ',' ORDER BY id) FROM outbox)
                || (SELECT string_agg(event_id::text || status || coalesce(message_id, ''), ',' ORDER BY event_id)
                    FROM emails)
                || (SELECT string_agg(id::text || reason, ',' ORDER BY id) FROM rejects)
            """
        let idsBefore = try harness.query(ids).rows.first?.first ?? nil

        let dry = try await Self.orderflow(["customers", "erase", Self.email, "--dry-run"], harness)
        #expect(dry.status == 0, "\(dry.output)")
        #expect(
            dry.output == """
                2 order(s): webshop E-1, webshop E-2
                  orders         2 row(s)
                  email_attempts 1 row(s)
                  emails         1 row(s)
                  rejects        1 row(s)
                dry run: 5 row(s) would be erased; nothing changed

                """, "\(dry.output)")
        #expect(!(try Self.scan(harness, for: "Erasmus")).isEmpty)

        let erase = try await Self.orderflow(["customers", "erase", Self.email, "--by", "dpo-test"], harness)
        #expect(erase.status == 0, "\(erase.output)")
        #expect(
            erase.output.contains("2 order(s): webshop E-1, webshop E-2\n  orders         2 row(s)\n"),
            "\(erase.output)")
        #expect(erase.output.contains("5 row(s) erased; recorded as erasure 1 by dpo-test at "), "\(erase.output)")
        for trace in Self.traces { #expect(try Self.scan(harness, for: trace) == [], "\(trace) left behind") }
        // The other customer is untouched; amounts, lines, statuses, countries and every id stay.
        #expect(try harness.query(figures).rows.compactMap { $0[0] } == before)
        #expect(try harness.query(ids).rows.first?.first == idsBefore)
        #expect(!(try Self.scan(harness, for: "mia.keller@example.de")).isEmpty)
        #expect(
            try harness.query(
                "SELECT customer_email, customer_name, shipping_address::text, convert_from(raw_body, 'UTF8') "
                    + "FROM orders WHERE external_id = 'E-1'"
            ).rows.first == ["[erased]", "[erased]", #"{"erased": true, "country": "DE"}"#, "[erased]"])
        let record = try harness.query("SELECT erased_by, orders::text, rows::text FROM erasures").rows
        #expect(
            record == [
                [
                    "dpo-test", #"{"webshop E-1","webshop E-2"}"#,
                    #"{"emails": 1, "orders": 2, "rejects": 1, "email_attempts": 1}"#,
                ]
            ])

        // A later version of an erased order, and its first message redelivered: stored, and still erased.
        try harness.publish([
            ("order.canonical", Self.order("E-1", updatedAt: "2026-11-05T09:00:00Z"), "erase-1-v2"),
            ("order.canonical", Self.order("E-2", updatedAt: "2026-11-02T14:05:40Z"), "erase-2"),
        ])
        try await waitUntil(timeout: .seconds(30)) {
            (try? harness.scalar("SELECT count(*) FROM processed_messages WHERE message_id = 'erase-1-v2'")) == 1
        }
        #expect(
            try harness.scalar(
                "SELECT count(*) FROM orders WHERE external_id = 'E-1' AND updated_at = '2026-11-05T09:00:00Z'") == 1)
        for trace in Self.traces { #expect(try Self.scan(harness, for: trace) == [], "\(trace) came back") }

        // Again: nothing left to erase, and the request is recorded once more.
        let again = try await Self.orderflow(["customers", "erase", Self.email, "--by", "dpo-test"], harness)
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.hasPrefix("no orders with that address\n"), "\(again.output)")
        #expect(again.output.contains("0 row(s) erased; recorded as erasure 2 by dpo-test"), "\(again.output)")
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
    }

    /// Version `v` of the orders E-1 … E-orders, one minute apart.
    static func version(_ v: Int, orders: Int) -> [(routingKey: String, body: [UInt8], messageID: String?)] {
        (1...orders).map { n in
            let updatedAt = String(format: "2026-11-03T%02d:%02d:00Z", v / 60, v % 60)
            return ("order.canonical", order("E-\(n)", updatedAt: updatedAt), "busy-\(n)-\(v)")
        }
    }

    /// Erasing while a worker stores new versions of the same orders, batch after batch: the erasure takes
    /// the worker's locks in the worker's order, so neither deadlocks, and every version stored after it
    /// keeps the marker.
    @Test func eraseBesideAWorkerStoringTheSameOrders() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let orders = 20, versions = 30
        try harness.publish(Self.version(0, orders: orders))
        let worker = try OrderflowProcess(
            worker: harness.queue, databaseURL: LocalStack.url(LocalStack.appDatabaseURL, schema: harness.schema),
            eventsExchange: harness.eventsExchange, batchSize: 10, extraArguments: ["--no-sweeper"])
        defer { worker.signal(SIGKILL) }
        _ = try await waitForCount("orders", toBe: Int64(orders), timeout: .seconds(60)) {
            try harness.scalar("SELECT count(*) FROM orders") ?? 0
        }
        let publishing = Task {
            try await offThePool { for v in 1...versions { try harness.publish(Self.version(v, orders: orders)) } }
        }
        // Erase once new versions are being stored.
        try await waitUntil(timeout: .seconds(60)) {
            (try harness.scalar("SELECT count(*) FROM processed_messages") ?? 0) >= Int64(orders * 4)
        }
        let erase = try await Self.orderflow(["customers", "erase", Self.email], harness)
        try await publishing.value
        #expect(erase.status == 0, "\(erase.output)")
        #expect(erase.output.contains("  orders         \(orders) row(s)\n"), "\(erase.output)")
        _ = try await waitForCount("messages processed", toBe: Int64(orders * (versions + 1)), timeout: .seconds(90)) {
            try harness.scalar("SELECT count(*) FROM processed_messages") ?? 0
        }
        #expect(
            try harness.scalar(
                "SELECT count(*) FROM orders WHERE erased_at IS NOT NULL AND updated_at = $1::timestamptz",
                [.text(String(format: "2026-11-03T%02d:%02d:00Z", versions / 60, versions % 60))]) == Int64(orders))
        for trace in Self.traces { #expect(try Self.scan(harness, for: trace) == [], "\(trace) left behind") }
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit() == 0)
        #expect(!worker.log.contains("deadlock"), "\(worker.log.suffix(2000))")
    }
}
