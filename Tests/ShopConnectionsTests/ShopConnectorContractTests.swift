import Foundation
import OrdersDomain
import OrdersTestSupport
import ShopConnections
import Testing

/// Each connector against deploy/shop_contract.py serving that API's documented contract: required
/// fields, the duplicate-code error, 401, 429 with Retry-After, 5xx, Shopify's throttle, and an answer
/// slower than the client's timeout (the code created nonetheless, found by the next attempt).
@Suite("shop connectors against the APIs' contracts (local contract servers)")
struct ShopConnectorContractTests {
    static let apis = ["shopify", "woocommerce", "shopware"]

    static func token(_ api: String) -> String {
        switch api {
        case "shopify": "shpat_0123456789abcdef"
        case "woocommerce": "ck_4f1e2d:cs_9a8b7c"
        default: "SWIAQ0FKTEXKRJJVWLPMUFPNEQ:c2VjcmV0"
        }
    }

    static func connector(
        _ contract: ShopContract, token: String? = nil, timeout: Duration = .seconds(5)
    ) throws
        -> any ShopConnector
    {
        try ShopConnection(channel: contract.api, url: contract.url, token: token ?? contract.token)
            .connector(timeout: timeout)
    }

    static func voucher(_ code: String, amount: Bool = false) -> ShopVoucher {
        let eur = Currency(code: "EUR")!
        let issued = UTCTimestamp(rfc3339: "2026-12-04T10:00:00Z")!
        return ShopVoucher(
            code: code, kind: amount ? .amount(Money(minorUnits: 500, currency: eur)) : .percent(10),
            minimumOrder: Money(minorUnits: 2000, currency: eur), startsAt: issued,
            expiresAt: issued.adding(seconds: 90 * 86_400), email: "kunde-1@example.de",
            title: "orderflow delay voucher \(code)")
    }

    /// The key the shop files a code under (WooCommerce keeps codes in lower case).
    static func key(_ api: String, _ code: String) -> String { api == "woocommerce" ? code.lowercased() : code }

    @Test(arguments: apis)
    func createsOnceAndFindsTheCode(api: String) async throws {
        let contract = try ShopContract(api: api, token: Self.token(api))
        let connector = try Self.connector(contract)
        #expect(try await connector.find(code: "7NQXK3M9PRTA") == nil)
        let reference = try await connector.create(Self.voucher("7NQXK3M9PRTA"))
        #expect(try await connector.find(code: "7NQXK3M9PRTA") == reference)
        let amount = try await connector.ensure(Self.voucher("8PRSTUVWXY23", amount: true), lookFirst: true)
        #expect(amount.created)
        let stats = try await contract.stats()
        #expect(stats.created == [Self.key(api, "7NQXK3M9PRTA"): 1, Self.key(api, "8PRSTUVWXY23"): 1])
        #expect(stats.duplicates == 0)
        await connector.close()
    }

    @Test(arguments: apis)
    func aDuplicateCodeIsFoundNotCreatedAgain(api: String) async throws {
        let contract = try ShopContract(api: api, token: Self.token(api))
        let connector = try Self.connector(contract)
        let first = try await connector.create(Self.voucher("DUPE23456789"))
        await #expect(throws: ShopError.self) { _ = try await connector.create(Self.voucher("DUPE23456789")) }
        do {
            _ = try await connector.create(Self.voucher("DUPE23456789"))
            Issue.record("a second create succeeded")
        } catch {
            guard case .duplicate = error else { throw error }
        }
        let again = try await connector.ensure(Self.voucher("DUPE23456789"), lookFirst: false)
        #expect(again.reference == first)
        #expect(!again.created)
        let stats = try await contract.stats()
        #expect(stats.created == [Self.key(api, "DUPE23456789"): 1])
        #expect(stats.duplicates == 3)
        await connector.close()
    }

    @Test(arguments: apis)
    func aWrongCredentialIsAPermanentRefusalWithTheShopsMessage(api: String) async throws {
        let contract = try ShopContract(api: api, token: Self.token(api))
        let connector = try Self.connector(contract, token: api == "shopify" ? "shpat_wrong" : "wrong:key")
        do {
            _ = try await connector.create(Self.voucher("AUTH23456789"))
            Issue.record("created with a wrong credential")
        } catch {
            guard case .refused(let message) = error else { throw error }
            let expected =
                switch api {
                case "shopify": "Invalid API key or access token"
                case "woocommerce": "woocommerce_rest_cannot_create"
                default: "The user credentials were incorrect."
                }
            #expect(message.hasPrefix("HTTP 401"), "\(message)")
            #expect(message.contains(expected), "\(message)")
        }
        #expect(try await contract.stats().created.isEmpty)
        await connector.close()
    }

    @Test(arguments: apis)
    func tooManyRequestsAndServerErrorsAreRetriedAfterTheShopsPause(api: String) async throws {
        let contract = try ShopContract(api: api, token: Self.token(api))
        let connector = try Self.connector(contract)
        try await contract.script(["429", "503"])
        do {
            _ = try await connector.create(Self.voucher("RATE23456789"))
            Issue.record("a 429 was taken for a success")
        } catch {
            guard case .retry(let reason, let after, _) = error else { throw error }
            #expect(reason.hasPrefix("HTTP 429"), "\(reason)")
            #expect(after == .seconds(1))
        }
        do {
            _ = try await connector.create(Self.voucher("RATE23456789"))
            Issue.record("a 503 was taken for a success")
        } catch {
            guard case .retry(let reason, nil, _) = error else { throw error }
            #expect(reason.hasPrefix("HTTP 503"), "\(reason)")
        }
        _ = try await connector.create(Self.voucher("RATE23456789"))
        let stats = try await contract.stats()
        #expect(stats.created == [Self.key(api, "RATE23456789"): 1])
        #expect(stats.faults["429"] == 1 && stats.faults["503"] == 1)
        await connector.close()
    }

    @Test(arguments: apis)
    func anAnswerSlowerThanTheTimeoutIsLookedUpNotCreatedTwice(api: String) async throws {
        let contract = try ShopContract(api: api, token: Self.token(api), slowSeconds: 3)
        let connector = try Self.connector(contract, timeout: .seconds(1))
        // Shopware asks for its token first: the script must hit the create.
        if api == "shopware" { _ = try await connector.find(code: "WARMUP234567") }
        try await contract.script(["slow"])
        do {
            _ = try await connector.create(Self.voucher("SLOW23456789"))
            Issue.record("the slow answer arrived within the timeout")
        } catch {
            guard case .retry(_, _, let uncertain) = error else { throw error }
            #expect(uncertain)
        }
        let retry = try await connector.ensure(Self.voucher("SLOW23456789"), lookFirst: true)
        #expect(!retry.created)
        let stats = try await contract.stats()
        #expect(stats.created == [Self.key(api, "SLOW23456789"): 1])
        #expect(stats.duplicates == 0)
        await connector.close()
    }

    @Test func shopifyHonoursTheThrottleStatus() async throws {
        // A bucket of 25 points: two creates (10 each) leave 5, so the third waits for the restore.
        let contract = try ShopContract(api: "shopify", token: Self.token("shopify"), bucket: 25)
        let connector = try Self.connector(contract)
        for n in 0..<4 { _ = try await connector.create(Self.voucher("THRT2345678\(n + 2)")) }
        let stats = try await contract.stats()
        #expect(stats.created.count == 4)
        #expect(stats.faults["throttled"] == 0, "the connector waited instead of being throttled")
        try await contract.script(["throttle"])
        do {
            _ = try await connector.create(Self.voucher("THRT23456789"))
            Issue.record("a THROTTLED answer was taken for a success")
        } catch {
            guard case .retry(let reason, _, _) = error else { throw error }
            #expect(reason.hasPrefix("throttled"), "\(reason)")
        }
        await connector.close()
    }

    @Test func theRequestsCarryTheDocumentedFields() async throws {
        let woo = try ShopContract(api: "woocommerce", token: Self.token("woocommerce"))
        let connector = try Self.connector(woo)
        _ = try await connector.create(Self.voucher("FLDS23456789", amount: true))
        let coupon = try await woo.stats().coupons["flds23456789"]
        #expect(coupon?["discount_type"]?.stringValue == "fixed_cart")
        #expect(coupon?["amount"]?.stringValue == "5.00")
        #expect(coupon?["minimum_amount"]?.stringValue == "20.00")
        #expect(coupon?["usage_limit"] == .number("1"))
        #expect(coupon?["usage_limit_per_user"] == .number("1"))
        #expect(coupon?["email_restrictions"] == .array([.string("kunde-1@example.de")]))
        #expect(coupon?["date_expires_gmt"]?.stringValue == "2027-03-04T10:00:00")
        await connector.close()

        let shopify = try ShopContract(api: "shopify", token: Self.token("shopify"))
        let shopifyConnector = try Self.connector(shopify)
        _ = try await shopifyConnector.create(Self.voucher("FLDS23456789"))
        let input = try await shopify.stats().coupons["FLDS23456789"]?["input"]
        #expect(input?["customerGets"]?["value"]?["percentage"] == .number("0.1"))
        #expect(input?["minimumRequirement"]?["subtotal"]?["greaterThanOrEqualToSubtotal"]?.stringValue == "20.00")
        #expect(input?["usageLimit"] == .number("1"))
        #expect(input?["appliesOncePerCustomer"] == .bool(true))
        #expect(input?["endsAt"]?.stringValue == "2027-03-04T10:00:00Z")
        await shopifyConnector.close()

        let shopware = try ShopContract(api: "shopware", token: Self.token("shopware"))
        let shopwareConnector = try Self.connector(shopware)
        let base = Self.voucher("FLDS23456789", amount: true)
        let inSalesChannel = ShopVoucher(
            code: base.code, kind: base.kind, minimumOrder: base.minimumOrder, startsAt: base.startsAt,
            expiresAt: base.expiresAt, email: base.email, title: base.title,
            salesChannel: "98432def39fc4624b33213a56b8c944d")
        _ = try await shopwareConnector.create(inSalesChannel)
        let promotion = try await shopware.stats().coupons["FLDS23456789"]
        #expect(promotion?["maxRedemptionsGlobal"] == .number("1"))
        #expect(promotion?["maxRedemptionsPerCustomer"] == .number("1"))
        let discount = first(promotion?["discounts"])
        #expect(discount?["type"]?.stringValue == "absolute")
        #expect(decimal(discount?["value"]) == 5)
        #expect(decimal(first(first(promotion?["cartRules"])?["conditions"])?["value"]?["amount"]) == 20)
        #expect(
            first(promotion?["salesChannels"])?["salesChannelId"]?.stringValue == "98432def39fc4624b33213a56b8c944d")
        await shopwareConnector.close()
    }

    @Test func plainHTTPOnlyToALoopbackAddress() throws {
        for url in ["http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:8080", "https://shop.example"] {
            #expect(throws: Never.self) { try ShopConnection(channel: "shopify", url: url, token: "t") }
        }
        for url in ["http://shop.example", "http://127.0.0.1.example.com", "ftp://shop.example", "https://u:p@shop"] {
            #expect(throws: ShopConnectionError.self) { try ShopConnection(channel: "shopify", url: url, token: "t") }
        }
        do {
            _ = try ShopConnection(channel: "shopify", url: "http://teekontor.myshopify.com", token: "t")
        } catch {
            #expect(error.description.contains("ORDERFLOW_SHOP_SHOPIFY_URL"))
            #expect(error.description.contains("loopback"))
        }
        #expect(throws: ShopConnectionError.self) {
            try ShopConnection(channel: "woocommerce", url: "https://shop.example", token: "no-secret")
        }
    }
}

/// The first element of a JSON array.
private func first(_ value: JSONValue?) -> JSONValue? {
    guard case .array(let items) = value else { return nil }
    return items.first
}

/// A JSON number as the contract server wrote it back (Python prints 5.00 as 5.0).
private func decimal(_ value: JSONValue?) -> Decimal? {
    guard case .number(let text) = value else { return nil }
    return Decimal(string: text)
}
