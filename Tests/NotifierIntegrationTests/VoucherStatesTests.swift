import Foundation
import LibPQ
import Logging
import OrdersDomain
import OrdersStore
import OrdersTestSupport
import OrdersWorkers
import ShopConnections
import Testing

/// A voucher's states through the commands: a shop that refuses a wrong token (failed, with the shop's
/// message, an alert in `orderflow status`, retried by `vouchers sync --retry-failed` once the token is
/// right), a channel without a connection (unsynced, announced at once, or never with
/// ORDERFLOW_VOUCHERS_REQUIRE_SYNC=on), and `vouchers list --json` and `vouchers export --format csv`.
@Suite("voucher states through vouchers list, export, sync and status (real PostgreSQL; contract server)")
struct VoucherStatesTests {
    @Test func aRefusedVoucherIsKeptAlertedAndRetriedWhileOthersGoOn() async throws {
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let token = "shpat_0123456789abcdef"
        let shop = try ShopContract(api: "shopify", token: token)
        let now = UTCTimestamp.now()
        let late = (placedAt: now.adding(seconds: -72 * 3600).rfc3339, shipBy: now.adding(seconds: -2 * 3600).rfc3339)
        try storeCanonical(
            [
                EndToEndTests.order(1, channel: "shopify", locale: "de", placedAt: late.placedAt, shipBy: late.shipBy),
                EndToEndTests.order(2, channel: "webshop", locale: "de", placedAt: late.placedAt, shipBy: late.shipBy),
            ], routingKey: "order.canonical", databaseURL: harness.databaseURL)
        let connected = VoucherStore.ShopSync(connectedChannels: ["shopify"])
        _ = try VoucherStore(policy: VoucherPolicy(), shops: connected)
            .sweepDelays(limit: 10, on: PostgresConnection(url: harness.databaseURL))
        // A third order issued with ORDERFLOW_VOUCHERS_REQUIRE_SYNC=on: no shop knows it, so no event.
        try storeCanonical(
            [EndToEndTests.order(3, channel: "webshop", locale: "de", placedAt: late.placedAt, shipBy: late.shipBy)],
            routingKey: "order.canonical", databaseURL: harness.databaseURL)
        _ = try VoucherStore(
            policy: VoucherPolicy(), shops: .init(connectedChannels: ["shopify"], requireSync: true)
        ).sweepDelays(limit: 10, on: PostgresConnection(url: harness.databaseURL))

        let environment = [
            "ORDERFLOW_DATABASE_URL": harness.databaseURL, "ORDERFLOW_AMQP_URL": LocalStack.amqpURL,
            "ORDERFLOW_SHOP_SHOPIFY_URL": shop.url, "ORDERFLOW_SHOP_SHOPIFY_TOKEN": "shpat_wrong",
        ]
        func orderflow(_ arguments: [String], _ extra: [String: String] = [:]) async throws -> ChildProcess.Result {
            try await ChildProcess.run(
                OrderflowProcess.binary, arguments, environment: environment.merging(extra) { $1 })
        }
        let refused = try await orderflow(["vouchers", "sync"])
        #expect(refused.status == 0, "\(refused.output)")
        #expect(refused.output.contains("created 0, found already in the shop 0, to retry later 0, refused 1"))

        let listed = try await orderflow(["vouchers", "list", "--json"])
        guard case .array(let vouchers) = try JSON.parse(Array(listed.output.utf8)) else {
            Issue.record("not a JSON array: \(listed.output)")
            return
        }
        let byOrder = Dictionary(
            uniqueKeysWithValues: vouchers.compactMap { v in v["externalId"]?.stringValue.map { ($0, v) } })
        #expect(byOrder["E-1"]?["status"]?.stringValue == "failed")
        #expect(byOrder["E-1"]?["shopError"]?.stringValue?.contains("HTTP 401: [API] Invalid API key") == true)
        #expect(byOrder["E-1"]?["syncAttempts"] == .number("1"))
        #expect(byOrder["E-2"]?["status"]?.stringValue == "unsynced")
        #expect(byOrder["E-3"]?["status"]?.stringValue == "unsynced")
        #expect(byOrder["E-2"]?["value"]?.stringValue == "10" && byOrder["E-2"]?["kind"]?.stringValue == "percent")
        let events = try harness.query(
            "SELECT o.external_id FROM outbox e JOIN orders o ON o.id = e.order_id WHERE e.type = 'voucher.issued'"
        ).rows.compactMap { $0[0] }
        #expect(events == ["E-2"], "only the unsynced voucher issued with REQUIRE_SYNC off is announced")

        let status = try await orderflow(["status", "--check"])
        #expect(status.output.contains("1 voucher(s) refused by their shop"), "\(status.output)")
        #expect(status.output.contains("HTTP 401"), "\(status.output)")
        #expect(status.status == 2, "\(status.output)")

        let export = try await orderflow(["vouchers", "export", "--format", "csv"])
        let lines = export.output.split(separator: "\r\n").map(String.init)
        #expect(lines.first?.hasPrefix("code,channel,external_id,order_number,email,reason,status,kind,value") == true)
        #expect(lines.count == 3, "the header and the two unsynced vouchers: \(lines)")

        let retried = try await orderflow(
            ["vouchers", "sync", "--retry-failed"], ["ORDERFLOW_SHOP_SHOPIFY_TOKEN": token])
        #expect(retried.output.contains("1 failed voucher(s) to try again"), "\(retried.output)")
        #expect(retried.output.contains("created 1, found already in the shop 0"), "\(retried.output)")
        #expect(try await shop.stats().created.count == 1)
        #expect(try harness.scalar("SELECT count(*) FROM outbox WHERE type = 'voucher.issued'") == 2)
        let synced = try await orderflow(["vouchers", "list", "--status", "synced", "--json"])
        #expect(synced.output.contains("\"externalId\": \"E-1\""), "\(synced.output)")
        #expect(synced.output.contains("gid://shopify/DiscountCodeNode/"), "\(synced.output)")
    }

    @Test func plainHTTPToAShopIsRefusedAtStartNamingTheSetting() async throws {
        let result = try await ChildProcess.run(
            OrderflowProcess.binary, ["vouchers", "sync"],
            environment: [
                "ORDERFLOW_DATABASE_URL": LocalStack.databaseURL,
                "ORDERFLOW_SHOP_WOOCOMMERCE_URL": "http://shop.example", "ORDERFLOW_SHOP_WOOCOMMERCE_TOKEN": "ck:cs",
            ])
        #expect(result.status == 78, "\(result.output)")
        #expect(result.output.contains("ORDERFLOW_SHOP_WOOCOMMERCE_URL"), "\(result.output)")
        #expect(result.output.contains("loopback"), "\(result.output)")
        #expect(!result.output.contains("ck:cs"), "the token never in output")
    }
}
