import AMQP
import Foundation
import LibPQ
import Logging
import OrdersDomain
import OrdersStore
import OrdersTestSupport
import OrdersWorkers
import Testing

/// The whole way: orders and parcels stored by the ingest SQL, a late order swept, a merchant
/// cancellation, the outbox relay publishing, the notifier mailing. One email per event.
@Suite("from stored order to customer email (real PostgreSQL, RabbitMQ and SMTP)", .workerSlot)
struct EndToEndTests {
    @Test func everyParcelVoucherAndDelayNoticeBecomesExactlyOneEmail() async throws {
        try requireSMTPSink()
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let now = UTCTimestamp.now()
        func time(_ hours: Int64) -> String { now.adding(seconds: hours * 3600).rfc3339 }
        // 12 shop orders (6 German, 6 English), 4 of them late; 2 marketplace orders, late; 2 merchant cancellations.
        var orders: [[UInt8]] = (1...12).map { n in
            Self.order(
                n, channel: "webshop", locale: n % 2 == 0 ? "de" : "en", placedAt: time(-72),
                shipBy: time(n <= 8 ? 24 : -2))
        }
        orders += (13...14).map {
            Self.order($0, channel: "amazon", locale: "de", placedAt: time(-72), shipBy: time(-2))
        }
        orders += (15...16).map {
            Self.order(
                $0, channel: "webshop", locale: "de", placedAt: time(-72), shipBy: time(24), status: "cancelled",
                cancelledBy: "merchant")
        }
        try Self.store(orders, routingKey: "order.canonical", in: harness)
        try Self.store(
            (1...8).map { Self.parcel($0, shippedAt: time(-1)) }, routingKey: "shipment.canonical", in: harness)
        let sweeper = OverdueSweeper(
            database: DatabaseExecutor(url: harness.databaseURL, applicationName: "test-sweeper"),
            policy: VoucherPolicy(), interval: .seconds(60), logger: Logger(label: "test"))
        try await sweeper.sweep()

        let outbox = try harness.query("SELECT event_id::text, type FROM outbox")
        let expected = ["shipment.dispatched": 8, "voucher.issued": 4 + 2, "order.delayed": 2]
        #expect(Dictionary(grouping: outbox.rows.compactMap { $0[1] }, by: { $0 }).mapValues(\.count) == expected)

        var options = OutboxRelay.Options()
        options.exchange = harness.exchange
        options.declareTopology = false
        let relay = OutboxRelay(
            amqp: try AMQPNodes(urls: LocalStack.amqpURL),
            database: DatabaseExecutor(url: harness.databaseURL, applicationName: "test-relay"),
            options: options, logger: Logger(label: "test-relay"))
        while try await relay.relayOnce().claimed > 0 {}

        let eventIDs = Set(outbox.rows.compactMap { $0[0] })
        let mails = try await harness.withNotifier { _ in
            try await harness.waitFor("SELECT count(*) FROM emails WHERE status = 'sent'", toBe: Int64(eventIDs.count))
            return try await Mailbox.shared.waitForMails(eventIDs)
        }
        #expect(mails.count == eventIDs.count)
        #expect(mails.values.allSatisfy { $0.count == 1 }, "one email per event")
        // Locale "de" on even order numbers and on 13...16: German mail; "en": English.
        for mail in mails.values.flatMap({ $0 }) {
            let to = mail.header("To") ?? ""
            let number = Int(to.drop { !$0.isNumber }.prefix { $0.isNumber }) ?? 0
            let subject = mail.subject ?? ""
            let german = number % 2 == 0 || number >= 13
            #expect(german ? subject.contains("Bestellung") : subject.contains("order"), "\(to): \(subject)")
        }
    }

    // MARK: - Helpers

    static func order(
        _ n: Int, channel: String, locale: String, placedAt: String, shipBy: String, status: String = "paid",
        cancelledBy: String? = nil
    ) -> [UInt8] {
        Array(
            """
            {"channel": "\(channel)", "externalId": "E-\(n)", "number": "#\(n)", "status": "\(status)",
             "placedAt": "\(placedAt)", "updatedAt": "\(placedAt)", "shipBy": "\(shipBy)", "currency": "EUR",
             "cancelledBy": \(cancelledBy.map { "\"\($0)\"" } ?? "null"),
             "totals": {"items": "61.80", "shipping": "3.95", "discount": "0.00", "tax": "0.00", "grand": "65.75"},
             "customer": {"email": "kunde-\(n)@example.de", "name": "Kundin \(n)", "locale": "\(locale)"},
             "shippingAddress": {"name": "Kundin \(n)", "line1": "Bergstraße 12", "postalCode": "69117", "city": \
            "Heidelberg", "country": "DE"},
             "lines": [{"lineId": "1", "sku": "KANNE-1L", "title": "Teekanne 1 l", "quantity": 2, "unitPrice": \
            "30.90", "total": "61.80"}]}
            """.utf8)
    }

    static func parcel(_ n: Int, shippedAt: String) -> [UInt8] {
        Array(
            """
            {"channel": "webshop", "externalId": "E-\(n)", "shipmentId": "P-\(n)", "carrier": "DHL",
             "trackingNumber": "00340434161094\(n)", "shippedAt": "\(shippedAt)", "lines": [{"sku": "KANNE-1L", \
            "quantity": 2}]}
            """.utf8)
    }

    static func store(_ bodies: [[UInt8]], routingKey: String, in harness: NotifierHarness) throws {
        try storeCanonical(bodies, routingKey: routingKey, databaseURL: harness.databaseURL)
    }
}
