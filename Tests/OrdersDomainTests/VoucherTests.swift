import OrdersDomain
import Testing

@Suite("voucher codes, policy and the event body")
struct VoucherTests {
    @Test func codesAreTwelveUnambiguousCharactersAndDistinct() {
        let codes = (0..<20_000).map { _ in VoucherCode.make() }
        #expect(Set(codes).count == codes.count)
        for code in codes.prefix(2000) {
            #expect(code.count == 12)
            #expect(VoucherCode.isWellFormed(code))
            #expect(!code.contains { "01OIL".contains($0) })
        }
        // Every character of the alphabet turns up: the draw is not stuck on a subset.
        #expect(Set(codes.joined()) == Set(VoucherCode.alphabet))
    }

    @Test func theDefaultPolicyIsTenPercentForNinetyDaysWithoutMinimum() throws {
        let issued = UTCTimestamp(rfc3339: "2026-12-14T09:00:00Z")!
        let terms = try VoucherPolicy().terms(currency: Currency(code: "EUR")!, issuedAt: issued)
        #expect(terms.kind == .percent(10))
        #expect(terms.minimumOrder == nil)
        #expect(terms.expiresAt == UTCTimestamp(rfc3339: "2027-03-14T09:00:00Z")!)
        #expect(terms.valueDescription == "10 %")
    }

    @Test func aFixedAmountIsExactInEachOrdersCurrency() throws {
        var policy = VoucherPolicy()
        policy.value = .amount("5")
        policy.minimumOrder = "15"
        let issued = UTCTimestamp(rfc3339: "2026-12-14T09:00:00Z")!
        let euro = try policy.terms(currency: Currency(code: "EUR")!, issuedAt: issued)
        #expect(euro.kind == .amount(Money(minorUnits: 500, currency: Currency(code: "EUR")!)))
        #expect(euro.minimumOrder == Money(minorUnits: 1500, currency: Currency(code: "EUR")!))
        #expect(euro.valueDescription == "5.00 EUR")
        policy.value = .amount("5.5")
        let yen = try policy.terms(currency: Currency(code: "JPY")!, issuedAt: issued)
        #expect(
            yen.kind == .amount(Money(minorUnits: 6, currency: Currency(code: "JPY")!)), "rounded half-even to the yen")
        let dinar = try policy.terms(currency: Currency(code: "KWD")!, issuedAt: issued)
        #expect(dinar.kind == .amount(Money(minorUnits: 5500, currency: Currency(code: "KWD")!)))
    }

    @Test(arguments: [
        (VoucherPolicy.Value.percent(0), "percent"), (.percent(101), "percent"), (.amount("-5"), "amount"),
        (.amount("five"), "amount"), (.amount("0"), "amount"),
    ])
    func invalidPoliciesNameTheSetting(value: VoucherPolicy.Value, named: String) {
        var policy = VoucherPolicy()
        policy.value = value
        #expect { try policy.validate() } throws: { "\($0)".contains(named) }
    }

    @Test func marketplacesGetNoVouchersByDefault() {
        let policy = VoucherPolicy()
        #expect(!policy.givesVouchers(toChannel: "amazon") && !policy.givesVouchers(toChannel: "ebay"))
        #expect(policy.givesVouchers(toChannel: "shopify") && policy.givesVouchers(toChannel: "otto"))
    }

    @Test func theVoucherEventBodyCarriesWhatTheEmailNeeds() throws {
        let eur = Currency(code: "EUR")!
        let event = OrderEvent(
            eventId: "3f2c1a9e-0b7d-4c55-9a61-2f0e8d1b7c44", kind: .voucherIssued,
            occurredAt: UTCTimestamp(rfc3339: "2026-12-14T09:00:00Z")!,
            order: .init(
                channel: "shopify", externalId: "450789469", number: "#1001",
                placedAt: UTCTimestamp(rfc3339: "2026-12-10T14:05:00Z")!, shipBy: nil, currency: eur,
                grandTotal: Money(minorUnits: 6575, currency: eur), country: "DE"),
            customer: .init(email: "lena.vogel@example.de", name: "Lena Vogel", locale: "de"),
            voucher: .init(
                code: "K7QW3MZPXH9T", reason: .delay,
                terms: VoucherTerms(
                    kind: .amount(Money(minorUnits: 500, currency: eur)), currency: eur,
                    minimumOrder: Money(minorUnits: 1500, currency: eur),
                    expiresAt: UTCTimestamp(rfc3339: "2027-03-14T09:00:00Z")!),
                note: nil)
        )
        let text = String(decoding: event.body, as: UTF8.self)
        #expect(
            text
                == #"{"eventId":"3f2c1a9e-0b7d-4c55-9a61-2f0e8d1b7c44","type":"voucher.issued","#
                + #""occurredAt":"2026-12-14T09:00:00Z","#
                + ##""order":{"channel":"shopify","externalId":"450789469","number":"#1001","##
                + #""placedAt":"2026-12-10T14:05:00Z","shipBy":null,"#
                + #""currency":"EUR","grandTotal":"65.75","country":"DE"},"#
                + #""customer":{"email":"lena.vogel@example.de","name":"Lena Vogel","locale":"de"},"#
                + #""voucher":{"code":"K7QW3MZPXH9T","reason":"delay","kind":"amount","percent":null,"amount":"5.00","#
                + #""currency":"EUR","minOrderValue":"15.00","expiresAt":"2027-03-14T09:00:00Z","note":null}}"#)
    }
}
