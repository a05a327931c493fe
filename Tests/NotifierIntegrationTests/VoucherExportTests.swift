import Foundation
import LibPQ
import OrdersDomain
import OrdersStore
import OrdersTestSupport
import ShopConnections
import Testing

/// `vouchers export --format woocommerce|shopify` taken by the shops' bulk APIs: vouchers issued in the
/// test's database (no shop connected, so unsynced), the exported file sent as an operator would to
/// the contract server of deploy/shop_contract.py, and every code then in the shop exactly once.
@Suite("vouchers export for the shops' bulk imports (real PostgreSQL; contract servers)")
struct VoucherExportTests {
    /// 110 delay vouchers at 10 % and 20 at 5.00 EUR off an order of at least 20.00: two WooCommerce
    /// batches (100 and 30). Returns the codes and which of them are the fixed-amount ones.
    static func issueVouchers(in harness: NotifierHarness) throws -> (codes: Set<String>, fixed: Set<String>) {
        let now = UTCTimestamp.now()
        let placedAt = now.adding(seconds: -72 * 3600).rfc3339
        let shipBy = now.adding(seconds: -2 * 3600).rfc3339
        func orders(_ numbers: ClosedRange<Int>) throws {
            try storeCanonical(
                numbers.map {
                    EndToEndTests.order($0, channel: "webshop", locale: "de", placedAt: placedAt, shipBy: shipBy)
                }, routingKey: "order.canonical", databaseURL: harness.databaseURL)
        }
        let db = try PostgresConnection(url: harness.databaseURL)
        defer { db.close() }
        try orders(1...110)
        _ = try VoucherStore(policy: VoucherPolicy()).sweepDelays(limit: 500, on: db)
        try orders(111...130)
        var fixed = VoucherPolicy()
        fixed.value = .amount("5")
        fixed.minimumOrder = "20"
        _ = try VoucherStore(policy: fixed).sweepDelays(limit: 500, on: db)
        let rows = try harness.query(
            "SELECT code, amount_minor IS NOT NULL FROM vouchers WHERE shop_state = 'unsynced'"
        ).rows
        let codes = Set(rows.compactMap { $0[0] })
        let fixedCodes = Set(rows.filter { $0[1] == "t" }.compactMap { $0[0] })
        #expect(codes.count == 130)
        #expect(fixedCodes.count == 20)
        return (codes, fixedCodes)
    }

    /// Runs `orderflow vouchers export` with stdout into a file; returns the file's lines and what went
    /// to stderr.
    static func export(
        _ format: String, harness: NotifierHarness
    ) async throws -> (lines: [String], standardError: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vouchers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await ChildProcess.run(
            OrderflowProcess.binary, ["vouchers", "export", "--format", format],
            environment: ["ORDERFLOW_DATABASE_URL": harness.databaseURL], standardOutputPath: file.path)
        #expect(result.status == 0, "\(result.output)")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasSuffix("\n"), "every line ends with a newline")
        return (text.split(separator: "\n").map(String.init), result.output)
    }

    static func post(_ request: HTTPRequest) async throws -> (status: Int, json: JSONValue) {
        let client = HTTPClient(label: "export-test", timeout: .seconds(30))
        let response = try await client.send(request)
        await client.close()
        return (response.status, try JSON.parse(response.body))
    }

    @Test func theWooCommerceBatchesAreTakenAndEveryCodeIsInTheShopOnce() async throws {
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let (codes, fixed) = try Self.issueVouchers(in: harness)
        let token = "ck_4f1e2d:cs_9a8b7c"
        let shop = try ShopContract(api: "woocommerce", token: token)
        let (lines, _) = try await Self.export("woocommerce", harness: harness)
        #expect(lines.count == 2, "130 vouchers in batches of at most 100")

        var exported: [String] = []
        func send(_ line: String) async throws -> [JSONValue] {
            let (status, json) = try await Self.post(
                HTTPRequest(
                    method: "POST", url: shop.url + "/wp-json/wc/v3/coupons/batch",
                    headers: ["Content-Type: application/json"], body: Array(line.utf8), basicAuth: token))
            #expect(status == 200, "\(json)")
            guard case .array(let created) = json["create"] else {
                Issue.record("no create list in the batch response: \(json)")
                return []
            }
            return created
        }
        for line in lines {
            guard case .array(let coupons) = try JSON.parse(Array(line.utf8))["create"] else {
                Issue.record("a line without a create list: \(line)")
                continue
            }
            #expect(coupons.count <= CouponImports.wooCommerceBatchLimit)
            exported += coupons.compactMap { $0["code"]?.stringValue }
            let created = try await send(line)
            #expect(created.count == coupons.count)
            let refused = created.filter { $0["error"] != nil }
            #expect(refused.isEmpty, "the shop refused: \(refused)")
            for (sent, answer) in zip(coupons, created) {
                #expect(answer["code"]?.stringValue == sent["code"]?.stringValue?.lowercased())
                if case .number(let id) = answer["id"] { #expect(id != "0") } else { Issue.record("no id: \(answer)") }
                guard let code = sent["code"]?.stringValue, fixed.contains(code) else { continue }
                #expect(sent["discount_type"]?.stringValue == "fixed_cart")
                #expect(sent["amount"]?.stringValue == "5.00")
                #expect(sent["minimum_amount"]?.stringValue == "20.00")
            }
        }
        #expect(exported.count == 130)
        #expect(Set(exported) == codes)

        // The same file again: every create refused as a duplicate, nothing created twice.
        let again = try await send(lines[0])
        #expect(again.count == 100)
        #expect(
            again.allSatisfy {
                $0["error"]?["code"]?.stringValue == "woocommerce_rest_coupon_code_already_exists"
            })

        let stats = try await shop.stats()
        #expect(stats.created == Dictionary(uniqueKeysWithValues: codes.map { ($0.lowercased(), 1) }))
        #expect(stats.batches == 3)
        #expect(stats.duplicates == 100)
        let connector = try ShopConnection(channel: "woocommerce", url: shop.url, token: token)
            .connector(timeout: .seconds(10))
        var found = 0
        for code in codes where try await connector.find(code: code) != nil { found += 1 }
        await connector.close()
        #expect(found == 130)
    }

    @Test func eachShopifyLineIsAValidDiscountCodeBasicCreateAndEveryCodeIsInTheShopOnce() async throws {
        let harness = try NotifierHarness()
        defer { harness.cleanUp() }
        let (codes, fixed) = try Self.issueVouchers(in: harness)
        let token = "shpat_0123456789abcdef"
        // A bucket for 130 mutations at once: this test is about the payloads, not the throttle.
        let shop = try ShopContract(api: "shopify", token: token, bucket: 10_000)
        let (lines, standardError) = try await Self.export("shopify", harness: harness)
        #expect(lines.count == 130)
        #expect(standardError.contains("130 voucher(s)"), "\(standardError)")
        #expect(standardError.contains("bulkOperationRunMutation"), "\(standardError)")
        // The mutation as printed, which an operator passes to bulkOperationRunMutation.
        guard let start = standardError.range(of: "mutation discountCodeBasicCreate") else {
            Issue.record("no mutation on stderr: \(standardError)")
            return
        }
        let mutation = String(standardError[start.lowerBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(mutation == ShopifyConnector.createMutation)

        var exported: [String] = []
        for line in lines {
            let variables = try JSON.parse(Array(line.utf8))
            guard let discount = variables["basicCodeDiscount"], let code = discount["code"]?.stringValue else {
                Issue.record("a line without basicCodeDiscount.code: \(line)")
                continue
            }
            exported.append(code)
            if fixed.contains(code) {
                #expect(discount["customerGets"]?["value"]?["discountAmount"]?["amount"] == .string("5.00"))
                #expect(
                    discount["minimumRequirement"]?["subtotal"]?["greaterThanOrEqualToSubtotal"] == .string("20.00"))
            } else {
                #expect(discount["customerGets"]?["value"]?["percentage"] == .number("0.1"))
            }
            let body = JSONValue.object(JSONObject([("query", .string(mutation)), ("variables", variables)]))
            let (status, json) = try await Self.post(
                HTTPRequest(
                    method: "POST", url: shop.url + "/admin/api/\(ShopifyConnector.apiVersion)/graphql.json",
                    headers: ["Content-Type: application/json", "X-Shopify-Access-Token: \(token)"],
                    body: Array(JSON.serialize(body).utf8)))
            #expect(status == 200)
            let result = json["data"]?["discountCodeBasicCreate"]
            #expect(result?["userErrors"] == .array([]), "\(json)")
            #expect(result?["codeDiscountNode"]?["id"]?.stringValue?.hasPrefix("gid://shopify/") == true, "\(json)")
        }
        #expect(Set(exported) == codes)
        #expect(exported.count == 130)

        let stats = try await shop.stats()
        #expect(stats.created == Dictionary(uniqueKeysWithValues: codes.map { ($0, 1) }))
        #expect(stats.duplicates == 0)
        let connector = try ShopConnection(channel: "shopify", url: shop.url, token: token)
            .connector(timeout: .seconds(10))
        var found = 0
        for code in codes where try await connector.find(code: code) != nil { found += 1 }
        await connector.close()
        #expect(found == 130)
    }
}
