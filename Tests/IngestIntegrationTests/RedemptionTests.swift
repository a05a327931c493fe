import Foundation
import LibPQ
import OrdersTestSupport
import Testing

/// Redemption at ingest against the real database: which orders redeem a voucher, and that a redelivery, a newer
/// version, a stale version and a version without the code each leave exactly the rows they should.
@Suite("voucher redemption at ingest")
struct RedemptionTests {
    static let code = "ABCDEFGHJKLM"

    /// Canonical order `T-n` using the voucher's code as `spelled`, with `amount` (nil: not said), or no code.
    static func order(
        _ n: Int, channel: String = "webshop", email: String, updatedAt: String, spelled: String? = code,
        amount: String? = nil
    ) -> [UInt8] {
        let body = String(
            decoding: CanonicalSamples.order(n, updatedAt: updatedAt, email: email, channel: channel), as: UTF8.self)
        guard let spelled else { return Array(body.utf8) }
        let entry = #"{"code": "\#(spelled)", "amount": \#(amount.map { "\"\($0)\"" } ?? "null")}"#
        return Array(
            body.replacingOccurrences(of: #""lines": ["#, with: #""discountCodes": [\#(entry)], "lines": ["#).utf8)
    }

    func store(_ body: [UInt8], _ harness: IngestHarness) throws {
        try storeCanonical([body], routingKey: "order.canonical", databaseURL: harness.databaseURL)
    }

    /// "T-n:amount_minor" for each redemption, by order.
    func redemptions(_ harness: IngestHarness) throws -> [String] {
        try harness.query(
            """
            SELECT o.external_id || ':' || COALESCE(r.amount_minor::text, 'null') FROM voucher_redemptions r
            JOIN orders o ON o.id = r.order_id ORDER BY o.external_id
            """
        ).rows.compactMap { $0[0] }
    }

    @Test func redemptionsFollowTheOrdersVersions() throws {
        let harness = try IngestHarness()
        defer { harness.cleanUp() }
        try store(CanonicalSamples.order(1, email: "lena.vogel@example.de"), harness)
        _ = try harness.query(
            """
            INSERT INTO vouchers (code, order_id, reason, kind, percent, currency, expires_at)
            SELECT $1, id, 'delay', 'percent', 10, 'EUR', now() + interval '90 days'
            FROM orders WHERE external_id = 'T-1'
            """, [.text(Self.code)])

        // Another customer in the same shop, the code in lower case: redeemed.
        let first = Self.order(
            2, email: "jonas@example.de", updatedAt: "2026-12-01T10:00:00Z", spelled: Self.code.lowercased(),
            amount: "3.09")
        try store(first, harness)
        #expect(try redemptions(harness) == ["T-2:309"])
        let redeemedAt = try harness.query("SELECT redeemed_at::text FROM voucher_redemptions").rows.first?.first
        #expect(
            try harness.query("SELECT code_as_used FROM voucher_redemptions").rows.first?.first
                == Self.code.lowercased())

        // The same message again, a newer version, then a stale one: one row, the newest version's amount.
        try store(first, harness)
        try store(
            Self.order(2, email: "jonas@example.de", updatedAt: "2026-12-01T11:00:00Z", amount: "4.00"), harness)
        try store(
            Self.order(2, email: "jonas@example.de", updatedAt: "2026-12-01T10:30:00Z", amount: "1.00"), harness)
        #expect(try redemptions(harness) == ["T-2:400"])
        #expect(try harness.query("SELECT redeemed_at::text FROM voucher_redemptions").rows.first?.first == redeemedAt)

        // Another shop and another customer: kept with the order only. Another shop, the same customer (any case):
        // redeemed. A code nobody issued: kept with the order only.
        try store(Self.order(3, channel: "otto", email: "mia@example.de", updatedAt: "2026-12-01T12:00:00Z"), harness)
        try store(
            Self.order(4, channel: "otto", email: "LENA.Vogel@example.de", updatedAt: "2026-12-01T13:00:00Z"), harness)
        try store(
            Self.order(5, email: "lena.vogel@example.de", updatedAt: "2026-12-01T14:00:00Z", spelled: "WILLKOMMEN10"),
            harness)
        #expect(try redemptions(harness) == ["T-2:400", "T-4:null"])
        #expect(
            try harness.query("SELECT discount_codes::text FROM orders WHERE external_id = 'T-3'").rows.first?.first
                == #"[{"code": "ABCDEFGHJKLM", "amount_minor": null}]"#)
        #expect(
            try harness.query("SELECT discount_codes->0->>'code' FROM orders WHERE external_id = 'T-5'").rows.first?
                .first == "WILLKOMMEN10")
        #expect(try harness.query("SELECT external_id FROM redeemed_vouchers").rows.map { $0[0] } == ["T-2"])

        // T-2's newest version no longer carries the code: its redemption goes, T-4's is the one that counts.
        try store(
            Self.order(2, email: "jonas@example.de", updatedAt: "2026-12-01T15:00:00Z", spelled: nil), harness)
        #expect(try redemptions(harness) == ["T-4:null"])
        #expect(try harness.query("SELECT external_id FROM redeemed_vouchers").rows.map { $0[0] } == ["T-4"])
        #expect(try harness.scalar("SELECT count(*) FROM orders WHERE discount_codes IS NULL") == 2)  // T-1, T-2

        // `orders show`: the codes an order used, and the order that redeemed a voucher.
        let readURL = LocalStack.url(LocalStack.readDatabaseURL, schema: harness.schema)
        let user = try OrderflowCommand.run(["orders", "show", "otto", "T-3"], databaseURL: readURL)
        #expect(user.output.contains("\ncodes      ABCDEFGHJKLM\n"), "\(user.output)")
        let issuer = try OrderflowCommand.run(["orders", "show", "webshop", "T-1"], databaseURL: readURL)
        let redeemed = try harness.query("SELECT redeemed_at FROM redeemed_vouchers").rows.first?.first ?? nil
        #expect(redeemed != nil)
        let voucherLine = try #require(issuer.output.split(separator: "\n").first { $0.hasPrefix("  ABCDEFGHJKLM") })
        #expect(voucherLine.contains("  redeemed by otto T-4 "), "\(issuer.output)")
        #expect(issuer.output.contains("voucher ABCDEFGHJKLM redeemed by otto T-4"), "timeline\n\(issuer.output)")
        let json = try OrderflowCommand.run(["orders", "show", "webshop", "T-2", "--json"], databaseURL: readURL)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any], "\(json.output)")
        let order = try #require(document["order"] as? [String: Any])
        #expect((order["discountCodes"] as? [Any])?.count == 0)
        let amounts = try OrderflowCommand.run(["orders", "show", "otto", "T-4", "--json"], databaseURL: readURL)
        let codes =
            try #require(
                (try JSONSerialization.jsonObject(with: Data(amounts.output.utf8)) as? [String: Any])?["order"]
                    as? [String: Any])["discountCodes"] as? [[String: Any]]
        #expect(codes?.map { $0["code"] as? String } == ["ABCDEFGHJKLM"])
        #expect(codes?.first?["amountMinor"] is NSNull)
    }
}
