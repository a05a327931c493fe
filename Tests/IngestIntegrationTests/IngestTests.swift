import AMQP
import Foundation
import LibPQ
import OrdersDomain
import OrdersStore
import OrdersTestSupport
import Testing

@Suite("ingest worker (real RabbitMQ and PostgreSQL)", .workerSlot)
struct IngestTests {
    @Test(.enabled(if: Fixtures.available, "shared fixtures not found: fixture tests NOT RUN"))
    func fixturesOfEveryChannelArriveAsRows() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let samples = try Self.channelFixtures()
        try harness.publish(samples.map { ("order.\($0.channel)", $0.body, nil) })
        let stored = try await harness.withWorker { _ in
            try await harness.waitFor("SELECT count(*) FROM orders", toBe: Int64(samples.count))
        }
        #expect(stored == Int64(samples.count))
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 0)
        for sample in samples {
            let expected = try Normalizer.standard.normalizeOrder(channel: sample.channel, body: sample.body)
            let row = try harness.query(
                """
                SELECT status, currency, grand_total_minor, items_total_minor, customer_email, placed_at = \
                $3::timestamptz AS placed_ok,
                       (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id) AS lines,
                       (SELECT COALESCE(sum(total_minor), 0) FROM order_lines l WHERE l.order_id = o.id) AS line_sum,
                       length(raw_body) AS raw_length, api_version
                FROM orders o WHERE channel = $1 AND external_id = $2
                """, [.text(expected.channel), .text(expected.externalId), .text(expected.placedAt.rfc3339)])
            try #require(row.count == 1, "\(sample.channel) \(expected.externalId) stored once")
            #expect(row[0, "status"] == expected.status.rawValue)
            #expect(row[0, "currency"] == expected.currency.code)
            #expect(row.int64(0, "grand_total_minor") == expected.totals.grand.minorUnits)
            #expect(row.int64(0, "items_total_minor") == expected.totals.items.minorUnits)
            #expect(row[0, "customer_email"] == expected.customer.email)
            #expect(row.bool(0, "placed_ok") == true)
            #expect(row.int64(0, "lines") == Int64(expected.lines.count))
            #expect(row.int64(0, "line_sum") == expected.lines.reduce(0) { $0 + $1.total.minorUnits })
            #expect(row.int64(0, "raw_length") == Int64(sample.body.count))
            #expect(row[0, "api_version"] == expected.apiVersion)
        }
    }

    @Test func replayAndStaleUpdateChangeNothing() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let newer = CanonicalSamples.order(1, updatedAt: "2026-11-03T10:00:00Z", status: "shipped", lines: 3)
        let older = CanonicalSamples.order(1, updatedAt: "2026-11-02T10:00:00Z", status: "paid", lines: 1)
        try harness.publish([("order.canonical", newer, "m-newer")])
        try await harness.withWorker { _ in
            try await harness.waitFor("SELECT count(*) FROM processed_messages", toBe: 1)
            // The same message again (a redelivery), the same order under a new id (a replay), and a stale update.
            try harness.publish([
                ("order.canonical", newer, "m-newer"), ("order.canonical", newer, "m-replay"),
                ("order.canonical", older, "m-older"),
            ])
            try await harness.waitFor("SELECT count(*) FROM processed_messages", toBe: 3)
            #expect(try harness.queueDepth() == 0)
        }
        #expect(try harness.scalar("SELECT count(*) FROM orders") == 1)
        #expect(try harness.query("SELECT status FROM orders")[0, "status"] == "shipped")
        #expect(try harness.scalar("SELECT count(*) FROM order_lines") == 3)
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 0)
    }

    @Test func aNewerUpdateReplacesTheLinesWithoutDuplicates() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try harness.publish([
            ("order.canonical", CanonicalSamples.order(7, updatedAt: "2026-11-02T10:00:00Z", lines: 4), nil),
            (
                "order.canonical",
                CanonicalSamples.order(7, updatedAt: "2026-11-02T11:00:00Z", status: "shipped", lines: 2), nil
            ),
        ])
        try await harness.withWorker { _ in
            _ = try await harness.waitFor("SELECT count(*) FROM processed_messages", toBe: 2)
        }
        #expect(try harness.scalar("SELECT count(*) FROM order_lines") == 2)
        #expect(try harness.scalar("SELECT max(line_no) FROM order_lines") == 2)
        #expect(try harness.query("SELECT status FROM orders")[0, "status"] == "shipped")
    }

    @Test func hostileMessagesLandInRejectsAndTheGoodOnesBehindThemAreStored() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let hostile: [(String, [UInt8], String?)] = [
            ("order.canonical", Array("{not json".utf8), "bad-json"),
            ("order.canonical", [0xFF, 0xFE, 0x7B, 0x7D], "bad-utf8"),
            ("order.shopify", Array(#"{"id": 1, "currency": "XYZ", "line_items": []}"#.utf8), "bad-currency"),
            ("order.nosuchchannel", Array("{}".utf8), "bad-channel"),
            ("order.canonical", Array(String(repeating: "[", count: 100_000).utf8), "too-deep"),
            ("order.canonical", [UInt8](repeating: 0x20, count: 2 << 20), "too-large"),
            ("shipment.nosuchsource", Array("{}".utf8), "bad-source"),
        ]
        let good = (1...200).map { ("order.canonical", CanonicalSamples.order($0), Optional("good-\($0)")) }
        try harness.publish(hostile + good)
        try await harness.withWorker { progress in
            try await harness.waitFor("SELECT count(*) FROM orders", toBe: 200)
            try await harness.waitFor("SELECT count(*) FROM rejects", toBe: Int64(hostile.count))
        }
        let rejects = try harness.query(
            "SELECT message_id, reason, field, body_truncated FROM rejects ORDER BY message_id")
        let byID = Dictionary(uniqueKeysWithValues: rejects.rows.map { ($0[0]!, $0) })
        #expect(byID["bad-currency"]?[1]?.contains("XYZ") == true)
        #expect(byID["bad-currency"]?[2] == "currency")
        #expect(byID["bad-channel"]?[1]?.contains("nosuchchannel") == true)
        #expect(byID["too-large"]?[3] == "t")
        #expect(byID["bad-source"]?[1]?.contains("nosuchsource") == true)
        #expect(byID["bad-json"] != nil && byID["bad-utf8"] != nil && byID["too-deep"] != nil)
        #expect(try harness.queueDepth() == 0)
    }

    @Test func ordersWhoseLinesDoNotAddUpAreStoredAsGivenAndFlagged() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let consistent = CanonicalSamples.order(1)
        let inconsistent = Array(
            String(decoding: CanonicalSamples.order(2), as: UTF8.self)
                .replacingOccurrences(of: #""items": "92.70""#, with: #""items": "61.80""#).utf8)
        try storeCanonical([consistent, inconsistent], routingKey: "order.canonical", databaseURL: harness.databaseURL)
        let rows = try harness.query(
            "SELECT external_id, items_total_minor, lines_discrepancy_minor FROM orders ORDER BY external_id")
        #expect(rows.rows.map { $0 } == [["T-1", "9270", nil], ["T-2", "6180", "3090"]])
        let db = try PostgresConnection(url: harness.databaseURL)
        defer { db.close() }
        #expect(try OperationsSummary.read(on: db).ordersWithLinesNotAddingUp == 1)
    }

    @Test func aTextWithANULIsKeptAsARejectNotCutShort() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let db = try PostgresConnection(url: harness.databaseURL)
        defer { db.close() }
        // The normaliser never lets a NUL through; LibPQ is the second line of defence.
        var hostile = try Normalizer.standard.normalizeOrder(channel: "canonical", body: CanonicalSamples.order(1))
        hostile.number = "#1\u{0}2"
        let good = try Normalizer.standard.normalizeOrder(channel: "canonical", body: CanonicalSamples.order(2))
        let items = [
            IngestItem(messageID: "m-1", routingKey: "order.canonical", body: [], content: .order(hostile)),
            IngestItem(messageID: "m-2", routingKey: "order.canonical", body: [], content: .order(good)),
        ]
        let refusal = try OrderStore().storeIsolatingRefusals(items, on: db)
        #expect(refusal?.code == .invalidParameter)
        #expect(try harness.query("SELECT external_id FROM orders").rows.map { $0[0] } == ["T-2"])
        let reason = try harness.query("SELECT reason FROM rejects WHERE message_id = 'm-1'")[0, "reason"]
        #expect(
            reason == "refused by the database: PostgresError(invalidParameter): text parameter $4 contains a NUL byte")
    }

    @Test func anOddEmailIsStoredAsNullNotRefused() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try harness.publish([
            ("order.canonical", CanonicalSamples.order(3, email: "x@y.z\\r\\nBcc: victim@example.com"), nil)
        ])
        try await harness.withWorker { _ in _ = try await harness.waitFor("SELECT count(*) FROM orders", toBe: 1) }
        #expect(try harness.query("SELECT customer_email FROM orders")[0, "customer_email"] == nil)
    }

    @Test func shipmentNoticesCreateParcelsAndMoveTheOrder() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        @Sendable func notice(_ id: String, qty: Int, sku: String) -> [UInt8] {
            let json =
                #"{"channel": "webshop", "externalId": "T-9", "shipmentId": "\#(id)", "carrier": "DHL", "#
                + #""trackingNumber": "00340434\#(id)", "shippedAt": "2026-11-03T09:00:00Z", "lines": [{"sku": "#
                + #""\#(sku)", "quantity": \#(qty)}]}"#
            return Array(json.utf8)
        }
        // A notice may come before its order: it is kept and linked when the order arrives.
        try harness.publish([("shipment.canonical", notice("P1", qty: 1, sku: "KANNE-1"), nil)])
        try await harness.withWorker { _ in
            try await harness.waitFor("SELECT count(*) FROM shipments", toBe: 1)
            try harness.publish([("order.canonical", CanonicalSamples.order(9, lines: 2), nil)])
            try await harness.waitFor("SELECT count(*) FROM shipments WHERE order_id IS NOT NULL", toBe: 1)
            try harness.publish([("shipment.canonical", notice("P2", qty: 1, sku: "KANNE-2"), nil)])
            try await harness.waitFor("SELECT count(*) FROM shipments", toBe: 2)
            #expect(try harness.query("SELECT status FROM orders")[0, "status"] == "partially_shipped")
            // The same notice twice without a message id: both get the same derived id.
            try harness.publish([
                ("shipment.canonical", notice("P3", qty: 1, sku: "KANNE-2"), nil),
                ("shipment.canonical", notice("P3", qty: 1, sku: "KANNE-2"), nil),
            ])
            try await harness.waitFor("SELECT count(*) FROM processed_messages", toBe: 4)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try harness.queueDepth() == 0)
        }
        #expect(try harness.scalar("SELECT count(*) FROM shipments") == 3)
        #expect(try harness.query("SELECT status FROM orders")[0, "status"] == "shipped")
    }

    @Test func twoWorkersAtOnceStoreEachOrderOnce() async throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        let count = 3000
        // Each order twice under different message ids: the workers race on the same keys.
        let messages = (1...count).flatMap { n in
            [
                ("order.canonical", CanonicalSamples.order(n), Optional("a-\(n)")),
                ("order.canonical", CanonicalSamples.order(n), Optional("b-\(n)")),
            ]
        }
        try harness.publish(messages.shuffled())
        async let first = harness.withWorker(batchSize: 100) { _ in
            try await harness.waitFor(
                "SELECT count(*) FROM processed_messages", toBe: Int64(2 * count), timeout: .seconds(120))
        }
        async let second = harness.withWorker(batchSize: 100) { _ in
            try await harness.waitFor(
                "SELECT count(*) FROM processed_messages", toBe: Int64(2 * count), timeout: .seconds(120))
        }
        _ = try await (first, second)
        #expect(try harness.scalar("SELECT count(*) FROM orders") == Int64(count))
        #expect(try harness.scalar("SELECT count(*) FROM order_lines") == Int64(2 * count))
        #expect(try harness.scalar("SELECT count(*) FROM rejects") == 0)
        #expect(try harness.queueDepth() == 0)
    }

    /// One representative order payload per channel from ../shared/fixtures.
    static func channelFixtures() throws -> [(channel: String, body: [UInt8])] {
        func wrapped(_ path: String, _ key: String) throws -> [UInt8] {
            guard case .object(let outer) = try JSON.parse(try Fixtures.bytes(path)), let inner = outer[key] else {
                throw NormalizationError(.missingField, field: key, "fixture \(path) has no \(key)")
            }
            return Array(JSON.serialize(inner).utf8)
        }
        func payload(_ path: String) throws -> JSONValue {
            guard case .object(let outer) = try JSON.parse(try Fixtures.bytes(path)) else { return .null }
            return outer["payload"] ?? .object(outer)
        }
        let items = try payload("amazon/getOrderItems.docs-example.extracted.json")
        let amazon = JSONValue.object(
            JSONObject([
                ("order", try payload("amazon/getOrder.docs-example.extracted.json")),
                ("orderItems", items["OrderItems"] ?? .array([])),
                (
                    "shippingAddress",
                    try payload("amazon/getOrderAddress.docs-example.extracted.json")["ShippingAddress"] ?? .null
                ),
                ("buyerInfo", try payload("amazon/getOrderBuyerInfo.docs-example.extracted.json")),
            ]))
        return [
            ("shopify", try wrapped("shopify/webhook-orders-create.2026-04.docs-sample.json", "response")),
            ("shopify", try Fixtures.bytes("shopify/rest-order-authorized-discountcode.json")),
            ("woocommerce", try Fixtures.bytes("woocommerce/order-retrieve-processing.docs-example.json")),
            ("amazon", Array(JSON.serialize(amazon).utf8)),
            ("ebay", try Fixtures.bytes("ebay/getOrder.de-eur-partially-shipped.handwritten.json")),
            ("ebay", try Fixtures.bytes("ebay/getOrder.at-converted-seller-cancelled.handwritten.json")),
            ("shopware", try Fixtures.bytes("shopware6/app-payment-pay-request-with-order.json")),
            ("pos", try Fixtures.bytes("pos-square/RetrieveOrderResponse.docs-example.extracted.json")),
        ]
    }
}
