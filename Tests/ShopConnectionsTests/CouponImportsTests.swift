import OrdersDomain
import ShopConnections
import Testing

/// The bulk-import files of `vouchers export`: built by the connectors' own builders, so each line is
/// what the sync would send. No servers (the contract servers take the files in
/// NotifierIntegrationTests/VoucherExportTests).
@Suite("coupon import files for Shopify and WooCommerce (no servers)")
struct CouponImportsTests {
    static let eur = Currency(code: "EUR")!
    static let issued = UTCTimestamp(rfc3339: "2026-12-04T10:00:00Z")!

    static func voucher(_ code: String, kind: VoucherTerms.Kind, minimum: Int64?, email: String?) -> ShopVoucher {
        ShopVoucher(
            code: code, reason: "delay",
            terms: VoucherTerms(
                kind: kind, currency: eur, minimumOrder: minimum.map { Money(minorUnits: $0, currency: eur) },
                expiresAt: issued.adding(seconds: 90 * 86_400)),
            issuedAt: issued, email: email)
    }

    static let percent = voucher("7NQXK3M9PRTA", kind: .percent(10), minimum: nil, email: "kunde-1@example.de")
    static let fixed = voucher(
        "8PRSTUVWXY23", kind: .amount(Money(minorUnits: 505, currency: eur)), minimum: 2000, email: nil)

    @Test func shopifyLinesHoldTheCreateMutationsVariablesForAPercentAndAFixedVoucher() {
        let lines = CouponImports.shopifyBulkVariables([Self.percent, Self.fixed]).split(
            separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3, "two lines, each ended by a newline: \(lines)")
        #expect(lines.last == "")
        #expect(
            lines[0] == """
                {"basicCodeDiscount":{"title":"orderflow delay voucher 7NQXK3M9PRTA","code":"7NQXK3M9PRTA",\
                "startsAt":"2026-12-04T10:00:00Z","endsAt":"2027-03-04T10:00:00Z",\
                "customerSelection":{"all":true},"customerGets":{"value":{"percentage":0.1},"items":{"all":true}},\
                "usageLimit":1,"appliesOncePerCustomer":true}}
                """)
        #expect(
            lines[1] == """
                {"basicCodeDiscount":{"title":"orderflow delay voucher 8PRSTUVWXY23","code":"8PRSTUVWXY23",\
                "startsAt":"2026-12-04T10:00:00Z","endsAt":"2027-03-04T10:00:00Z",\
                "customerSelection":{"all":true},"customerGets":{"value":{"discountAmount":\
                {"amount":"5.05","appliesOnEachItem":false}},"items":{"all":true}},"usageLimit":1,\
                "appliesOncePerCustomer":true,"minimumRequirement":{"subtotal":{"greaterThanOrEqualToSubtotal":\
                "20.00"}}}}
                """)
        #expect(ShopifyConnector.createMutation.contains("$basicCodeDiscount: DiscountCodeBasicInput!"))
    }

    @Test func wooCommerceBatchHoldsEachCouponAsTheConnectorCreatesIt() {
        let text = CouponImports.wooCommerceBatches([Self.percent, Self.fixed])
        #expect(
            text == """
                {"create":[{"code":"7NQXK3M9PRTA","discount_type":"percent","amount":"10",\
                "date_expires_gmt":"2027-03-04T10:00:00","usage_limit":1,"usage_limit_per_user":1,\
                "individual_use":true,"description":"orderflow delay voucher 7NQXK3M9PRTA",\
                "email_restrictions":["kunde-1@example.de"]},{"code":"8PRSTUVWXY23","discount_type":"fixed_cart",\
                "amount":"5.05","minimum_amount":"20.00","date_expires_gmt":"2027-03-04T10:00:00","usage_limit":1,\
                "usage_limit_per_user":1,"individual_use":true,"description":"orderflow delay voucher 8PRSTUVWXY23"}]}

                """)
    }

    @Test func wooCommerceBatchesHoldAtMostAHundredCouponsEachAndEveryVoucherOnce() throws {
        let codes = (0..<250).map { n in "C" + String(n).leftPadded(11) }
        let vouchers = codes.map { Self.voucher($0, kind: .percent(5), minimum: nil, email: nil) }
        let lines = CouponImports.wooCommerceBatches(vouchers).split(separator: "\n")
        var exported: [String] = []
        var sizes: [Int] = []
        for line in lines {
            guard case .array(let coupons) = try JSON.parse(Array(line.utf8))["create"] else {
                Issue.record("no create list: \(line)")
                return
            }
            sizes.append(coupons.count)
            exported += coupons.compactMap { $0["code"]?.stringValue }
        }
        #expect(sizes == [100, 100, 50])
        #expect(exported == codes)
        #expect(CouponImports.wooCommerceBatches([]) == "")
        #expect(CouponImports.shopifyBulkVariables([]) == "")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
