import AMQP
import Foundation
import LibPQ
import Logging
import OrdersDomain
import OrdersStore
import OrdersTestSupport
import OrdersWorkers
import Testing

/// Vouchers, delay notices and shipment events: issued once, published once, against real servers.
@Suite("vouchers and the outbox relay (real RabbitMQ and PostgreSQL)", .workerSlot)
struct OutboxTests {
    @Test func overdueOrdersGetExactlyOneDelayVoucherWithTwoSweepersAtOnce() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let hour: Int64 = 3600
        var bodies: [[UInt8]] = []
        bodies += (1...150).map {
            CanonicalSamples.order($0, placedAt: Self.time(-50 * hour), shipBy: Self.time(-2 * hour))
        }  // overdue
        bodies += (151...170).map {
            CanonicalSamples.order($0, placedAt: Self.time(-1 * hour), shipBy: Self.time(30 * hour))
        }  // not yet due
        bodies += (171...180).map {
            CanonicalSamples.order($0, channel: "amazon", placedAt: Self.time(-50 * hour), shipBy: Self.time(-2 * hour))
        }
        bodies += (181...190).map {
            CanonicalSamples.order($0, placedAt: Self.time(-60 * 24 * hour), shipBy: Self.time(-58 * 24 * hour))
        }  // history
        bodies += (191...200).map {
            CanonicalSamples.order($0, status: "shipped", placedAt: Self.time(-50 * hour), shipBy: Self.time(-2 * hour))
        }
        bodies += (201...210).map {
            CanonicalSamples.order(
                $0, status: "cancelled", placedAt: Self.time(-50 * hour), shipBy: Self.time(-2 * hour),
                cancelledBy: "customer")
        }
        try Self.store(bodies, in: harness)

        // Two workers' sweepers, several rounds each, at the same time; small batches make them collide.
        let sweepers = (0..<2).map { _ in
            OverdueSweeper(
                database: DatabaseExecutor(url: harness.databaseURL, applicationName: "test-sweeper"),
                policy: VoucherPolicy(), interval: .seconds(60), batchSize: 7, logger: Logger(label: "test"))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sweeper in sweepers { group.addTask { for _ in 0..<3 { try await sweeper.sweep() } } }
            try await group.waitForAll()
        }

        #expect(try harness.scalar("SELECT count(*) FROM vouchers WHERE reason = 'delay'") == 150)
        #expect(try harness.scalar("SELECT count(DISTINCT order_id) FROM vouchers") == 150)
        #expect(
            try harness.scalar(
                """
                SELECT count(*) FROM vouchers v JOIN orders o ON o.id = v.order_id
                WHERE substr(o.external_id, 3)::int NOT BETWEEN 1 AND 150
                """) == 0, "no voucher for an order not due, shipped, cancelled, on a marketplace or out of the horizon"
        )
        #expect(
            try harness.scalar(
                "SELECT count(*) FROM vouchers WHERE kind = 'percent' AND percent = 10 AND expires_at > now() + "
                    + "interval '89 days'"
            ) == 150)
        #expect(try harness.scalar("SELECT count(*) FROM outbox WHERE type = 'voucher.issued'") == 150)
        #expect(
            try harness.scalar("SELECT count(*) FROM outbox WHERE type = 'order.delayed'") == 10,
            "amazon orders get a delay notice")
        #expect(try harness.scalar("SELECT count(*) FROM orders WHERE delay_handled_at IS NOT NULL") == 160)
        // Codes: 12 characters of the unambiguous alphabet.
        #expect(try harness.scalar("SELECT count(*) FROM vouchers WHERE code !~ '^[2-9A-HJKMNP-Z]{12}$'") == 0)
    }

    @Test func overdueSweeperSkipsOrdersWhosePlacedAtIsGuessed() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let hour: Int64 = 3600
        let late = CanonicalSamples.order(1, placedAt: Self.time(-50 * hour), shipBy: Self.time(-2 * hour))
        // The same lateness, but the channel gave no creation time: placedAt (and so shipBy) is a stand-in.
        let guessed = Array(
            (#"{"channelStatus": {"placedAtGuessed": "received"}, "#
                + String(
                    decoding: CanonicalSamples.order(2, placedAt: Self.time(-50 * hour)).dropFirst(), as: UTF8.self))
                .utf8)
        try Self.store([late, guessed], in: harness)
        let sweeper = OverdueSweeper(
            database: DatabaseExecutor(url: harness.databaseURL, applicationName: "test-sweeper"),
            policy: VoucherPolicy(), interval: .seconds(60), batchSize: 7, logger: Logger(label: "test"))
        try await sweeper.sweep()
        #expect(
            try harness.scalar(
                "SELECT count(*) FROM vouchers v JOIN orders o ON o.id = v.order_id WHERE o.external_id = 'T-1'")
                == 1)
        #expect(try harness.scalar("SELECT count(*) FROM vouchers") == 1)
    }

    @Test func merchantCancellationEarnsAVoucherCustomerCancellationAndMarketplacesDoNot() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let recent = Self.time(-3600)
        try Self.store(
            [
                CanonicalSamples.order(
                    1, updatedAt: recent, status: "cancelled", placedAt: Self.time(-7200), cancelledBy: "merchant"),
                CanonicalSamples.order(
                    2, updatedAt: recent, status: "cancelled", placedAt: Self.time(-7200), cancelledBy: "customer"),
                CanonicalSamples.order(
                    3, updatedAt: recent, status: "cancelled", channel: "ebay", placedAt: Self.time(-7200),
                    cancelledBy: "merchant"),
                CanonicalSamples.order(4, updatedAt: recent, status: "cancelled", placedAt: Self.time(-7200)),
            ], in: harness)
        var policy = VoucherPolicy()
        policy.value = .amount("5")
        policy.minimumOrder = "15"
        let sweeper = OverdueSweeper(
            database: DatabaseExecutor(url: harness.databaseURL, applicationName: "test-sweeper"),
            policy: policy, interval: .seconds(60), logger: Logger(label: "test"))
        try await sweeper.sweep()
        try await sweeper.sweep()
        let vouchers = try harness.query(
            """
            SELECT o.external_id, v.reason, v.kind, v.amount_minor, v.currency, v.min_order_minor
            FROM vouchers v JOIN orders o ON o.id = v.order_id
            """)
        #expect(vouchers.rows == [["T-1", "cancellation", "amount", "500", "EUR", "1500"]])
        #expect(try harness.scalar("SELECT count(*) FROM outbox") == 1)
    }

    @Test func incidentCampaignRunTwiceIssuesOncePerOrderAndPrintsWhatItIssued() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try Self.store(
            (1...8).map { CanonicalSamples.order($0, placedAt: "2026-12-14T0\($0):30:00Z") }
                + [CanonicalSamples.order(9, channel: "amazon", placedAt: "2026-12-14T05:00:00Z")], in: harness)
        let arguments = [
            "vouchers", "incident", "--from", "2026-12-14T03:00:00+01:00", "--to", "2026-12-14T08:00:00Z",
            "--reason", "print shop offline", "--amount", "5", "--min-order", "15", "--valid-until", "2027-03-31",
            "--message-de", "Unsere Druckerei war einen Vormittag lang nicht erreichbar.",
            "--message-en", "Our print shop was unreachable for a morning.",
        ]
        // The window is 02:00Z to 08:00Z: orders 2...7 (02:30Z to 07:30Z) and the amazon order are in it.
        let dryRun = try await Self.orderflow(arguments + ["--dry-run"], harness: harness)
        #expect(dryRun.status == 0, "\(dryRun.error)")
        #expect(dryRun.output.contains("webshop\t6 voucher(s) would be issued\t0 order(s) already have one"))
        #expect(dryRun.output.contains("amazon\t1 marketplace order(s) get none"))
        #expect(dryRun.output.contains("total\t6 voucher(s) would be issued\t1 marketplace order(s) get none"))
        for language in ["de", "en"] { #expect(dryRun.output.contains("----- sample e-mail (\(language)) -----")) }
        #expect(dryRun.output.contains("Unsere Druckerei war einen Vormittag lang nicht erreichbar."))
        #expect(dryRun.output.contains("Our print shop was unreachable for a morning."))
        #expect(dryRun.output.contains("31. März 2027"))
        #expect(!dryRun.output.contains("print shop offline"))
        #expect(try harness.scalar("SELECT count(*) FROM vouchers") == 0)
        #expect(try harness.scalar("SELECT count(*) FROM outbox") == 0)

        let first = try await Self.orderflow(arguments, harness: harness)
        #expect(first.status == 0, "\(first.error)")
        let issued = first.output.split(separator: "\n")
        #expect(issued.count == 6)
        #expect(issued.allSatisfy { $0.hasPrefix("webshop\tT-") && $0.hasSuffix("\t5.00 EUR") })
        #expect(
            first.error.contains("issued 6 incident voucher(s)")
                && first.error.contains("1 marketplace order(s) get none"))
        let second = try await Self.orderflow(arguments, harness: harness)
        #expect(second.status == 0)
        #expect(second.output.isEmpty)
        #expect(
            second.error.contains("issued 0 incident voucher(s)") && second.error.contains("6 order(s) already had one")
        )
        #expect(
            try harness.scalar(
                "SELECT count(*) FROM vouchers WHERE reason = 'incident' AND note = 'print shop offline'") == 6)
        // Through the end of 31 March in Berlin (summer time, UTC+2).
        #expect(try harness.scalar("SELECT count(*) FROM vouchers WHERE expires_at = '2027-03-31T21:59:59Z'") == 6)
        #expect(try harness.scalar("SELECT count(*) FROM outbox WHERE type = 'voucher.issued'") == 6)
        let again = try await Self.orderflow(arguments + ["--dry-run"], harness: harness)
        #expect(again.output.contains("webshop\t0 voucher(s) would be issued\t6 order(s) already have one"))

        // The event carries the customer's words beside the operators' reason; the mail uses only the former.
        let relay = try harness.relay(batchSize: 16)
        while try await relay.relayOnce().claimed > 0 {}
        let events = try await harness.takeEvents(count: 6)
        #expect(events.count == 6)
        for event in events {
            let voucher = try #require(try OrderEvent.decode(event.body).voucher)
            #expect(voucher.note == "print shop offline")
            #expect(
                voucher.customerMessages == [
                    "de": "Unsere Druckerei war einen Vormittag lang nicht erreichbar.",
                    "en": "Our print shop was unreachable for a morning.",
                ])
        }
        let refused = try await Self.orderflow(
            ["vouchers", "incident", "--from", "yesterday", "--to", "2026-12-14T08:00:00Z", "--reason", "x"],
            harness: harness)
        #expect(refused.status != 0 && refused.error.contains("--from"))
    }

    @Test func everyVoucherAndParcelIsPublishedOnceWithItsEventIdAsMessageID() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let now = Self.time(0)
        try Self.store(
            (1...40).map { CanonicalSamples.order($0, placedAt: Self.time(-3 * 86_400), shipBy: Self.time(-3600)) },
            in: harness)
        // Whole orders shipped (3 items); a replayed notice and a parcel shipped a month ago emit nothing.
        try Self.store(
            (1...30).map { CanonicalSamples.shipment($0, shippedAt: now, quantity: 3) }, in: harness,
            routingKey: "shipment.canonical")
        try Self.store(
            (1...30).map { CanonicalSamples.shipment($0, shippedAt: now, quantity: 3) }, in: harness,
            routingKey: "shipment.canonical")
        try Self.store(
            [CanonicalSamples.shipment(31, shippedAt: Self.time(-30 * 86_400))], in: harness,
            routingKey: "shipment.canonical")
        // The order is not known yet.
        try Self.store([CanonicalSamples.shipment(99, shippedAt: now)], in: harness, routingKey: "shipment.canonical")
        let sweeper = OverdueSweeper(
            database: DatabaseExecutor(url: harness.databaseURL, applicationName: "test-sweeper"),
            policy: VoucherPolicy(), interval: .seconds(60), logger: Logger(label: "test"))
        try await sweeper.sweep()  // orders 31...40 are still open and late: 10 vouchers
        #expect(try harness.scalar("SELECT count(*) FROM orders WHERE status = 'shipped'") == 30)
        // The order links the waiting parcel.
        try Self.store([CanonicalSamples.order(99, placedAt: Self.time(-3600))], in: harness)

        let outbox = try harness.query("SELECT event_id::text, type FROM outbox ORDER BY id")
        #expect(
            outbox.count == 30 + 10 + 1,
            "a parcel per notice, none for the replay or the old parcel, a voucher per late order")
        let db = try PostgresConnection(url: harness.databaseURL)
        let before = try OutboxStore().backlog(on: db)
        #expect(before.count == Int64(outbox.count) && before.oldestAgeSeconds >= 0)
        let relay = try harness.relay(batchSize: 16)
        while try await relay.relayOnce().claimed > 0 {}
        #expect(try OutboxStore().backlog(on: db) == (0, 0))

        let events = try await harness.takeEvents(count: outbox.count)
        #expect(events.count == outbox.count)
        #expect(Set(events.compactMap(\.messageID)) == Set(outbox.rows.compactMap { $0[0] }))
        for event in events {
            let body = try JSON.parse(event.body)
            #expect(body["eventId"]?.stringValue == event.messageID)
            #expect(body["type"]?.stringValue == event.routingKey)
            #expect(body["customer"]?["email"]?.stringValue == "lena.vogel@example.de")
            if event.routingKey == "shipment.dispatched" {
                #expect(body["shipment"]?["carrier"]?.stringValue == "DHL")
                #expect(
                    body["shipment"]?["items"]
                        == .array([
                            .object(
                                JSONObject([
                                    ("sku", .string("KANNE-1")), ("title", .string("Teekanne Größe 1")),
                                    (
                                        "quantity",
                                        .number(body["order"]?["externalId"]?.stringValue == "T-99" ? "1" : "3")
                                    ),
                                ]))
                        ]))
            } else {
                #expect(event.routingKey == "voucher.issued")
                let code = body["voucher"]?["code"]?.stringValue ?? ""
                #expect(try harness.scalar("SELECT count(*) FROM vouchers WHERE code = $1", [.text(code)]) == 1)
                #expect(
                    body["voucher"]?["percent"] == .number("10") && body["voucher"]?["reason"]?.stringValue == "delay")
            }
        }
        #expect(try harness.scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0)
        #expect(try harness.scalar("SELECT max(attempts) FROM outbox") == 1)
        // Nothing more to publish: a second relay round finds nothing.
        #expect(try await relay.relayOnce().claimed == 0)
    }

    // MARK: - Helpers

    /// An RFC 3339 time `seconds` from now.
    static func time(_ seconds: Int64) -> String { UTCTimestamp.now().adding(seconds: seconds).rfc3339 }

    /// Stores canonical messages through the ingest path's SQL, without a broker.
    static func store(_ bodies: [[UInt8]], in harness: IngestHarness, routingKey: String = "order.canonical") throws {
        try storeCanonical(bodies, routingKey: routingKey, databaseURL: harness.databaseURL)
    }

    /// Runs the `orderflow` binary against the harness's schema.
    static func orderflow(
        _ arguments: [String], harness: IngestHarness
    ) async throws -> (status: Int32, output: String, error: String) {
        try await offThePool { try run(arguments, harness: harness) }
    }

    private static func run(
        _ arguments: [String], harness: IngestHarness
    ) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: WorkerProcess.binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["ORDERFLOW_DATABASE_URL"] = harness.databaseURL
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
