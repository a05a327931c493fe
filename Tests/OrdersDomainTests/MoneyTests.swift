import Testing
@testable import OrdersDomain

@Suite("Money")
struct MoneyTests {
    private let eur = Currency(code: "EUR")!
    private let jpy = Currency(code: "JPY")!
    private let kwd = Currency(code: "KWD")!
    private let clf = Currency(code: "CLF")!

    private func minor(_ text: String, _ currency: Currency) throws(MoneyError) -> Int64 {
        try Money(parsing: text, currency: currency).minorUnits
    }

    private func refuses(_ text: String, _ currency: Currency) -> Bool {
        (try? Money(parsing: text, currency: currency)) == nil
    }

    @Test func parsesDecimalTextIntoMinorUnits() throws {
        #expect(try minor("45.90", eur) == 4590)
        #expect(try minor("45.9", eur) == 4590)
        #expect(try minor("7.8", eur) == 780)
        #expect(try minor("45", eur) == 4500)
        #expect(try minor("0", eur) == 0)
        #expect(try minor("-10.00", eur) == -1000)
        #expect(try minor("-0", eur) == 0)
        #expect(try minor("007.80", eur) == 780)
        #expect(try minor("4590", jpy) == 4590)
        #expect(try minor("1.25", kwd) == 1250)
        #expect(try minor("1.250", kwd) == 1250)
        #expect(try minor("0.0001", clf) == 1)
    }

    @Test func trailingZerosBeyondTheMinorUnitAreAccepted() throws {
        #expect(try minor("45.900", eur) == 4590)
        #expect(try minor("45.90000000000000000000000", eur) == 4590)
        #expect(try minor("4590.0", jpy) == 4590)
        #expect(try minor("1.2500", kwd) == 1250)
    }

    @Test func nonzeroSubMinorDigitsAreRefused() {
        #expect(refuses("45.901", eur))
        #expect(refuses("45.9000000000000001", eur))
        #expect(refuses("4590.5", jpy))
        #expect(refuses("1.2501", kwd))
        #expect(refuses("0.00001", clf))
    }

    @Test func exponentLiteralsAreExact() throws {
        #expect(try minor("1.5E2", eur) == 15000)
        #expect(try minor("1.5e+2", eur) == 15000)
        #expect(try minor("2e-2", eur) == 2)
        #expect(try minor("2E-2", eur) == 2)
        #expect(try minor("4590e-2", eur) == 4590)
        #expect(try minor("0.4590E2", eur) == 4590)
        #expect(try minor("1e3", jpy) == 1000)
        #expect(try minor("0e999999999", eur) == 0)
        #expect(try minor("0.000e-999999999", eur) == 0)
        #expect(try minor("45900000000e-9", eur) == 4590)
        #expect(refuses("2e-3", eur))
        #expect(refuses("1e-999999999", eur))
        #expect(refuses("1e400", eur))
        #expect(refuses("1e99999999999999999999", eur))
    }

    @Test func garbageIsRefused() {
        for bad in [
            "", " ", "1.2.3", "abc", "1,50", "+1", ".5", "5.", "1e", "1e+", "--1", "-", "1 ", " 1", "0x10", "NaN",
            "Infinity", "١٢", "１２", "1_000", "€5", "5€", "1.5E", "e5", "1e5e5", "4.5.", "-.5",
        ] {
            #expect(refuses(bad, eur), "\(bad.debugDescription) should be refused")
        }
    }

    @Test func int64OverflowIsRefused() throws {
        #expect(try minor("92233720368547758.07", eur) == .max)
        #expect(try minor("-92233720368547758.08", eur) == .min)
        #expect(try minor("9223372036854775807", jpy) == .max)
        #expect(refuses("92233720368547758.08", eur))
        #expect(refuses("-92233720368547758.09", eur))
        #expect(refuses("9223372036854775808", jpy))
        #expect(refuses("99999999999999999999999999999", jpy))
        #expect(refuses("1e19", jpy))
        #expect(refuses("922337203685477580.7", kwd))
        let error = try #require(throws: MoneyError.self) { try Money(parsing: "1e400", currency: eur) }
        #expect(error.reason.contains("out of range"))
    }

    @Test func errorMessagesQuoteShortenedInput() throws {
        let long = String(repeating: "9", count: 10_000) + "x"
        let error = try #require(throws: MoneyError.self) { try Money(parsing: long, currency: eur) }
        #expect(error.reason.count < 100)
        let inexact = try #require(throws: MoneyError.self) { try Money(parsing: "45.901", currency: eur) }
        #expect(inexact.reason.contains("\"45.901\"") && inexact.reason.contains("EUR"))
    }

    @Test func decimalStringHasExactlyTheMinorDigits() {
        #expect(Money(minorUnits: 4590, currency: eur).decimalString == "45.90")
        #expect(Money(minorUnits: -1000, currency: eur).decimalString == "-10.00")
        #expect(Money(minorUnits: 5, currency: eur).decimalString == "0.05")
        #expect(Money(minorUnits: -5, currency: eur).decimalString == "-0.05")
        #expect(Money(minorUnits: 0, currency: eur).decimalString == "0.00")
        #expect(Money(minorUnits: 4590, currency: jpy).decimalString == "4590")
        #expect(Money(minorUnits: -7, currency: jpy).decimalString == "-7")
        #expect(Money(minorUnits: 1250, currency: kwd).decimalString == "1.250")
        #expect(Money(minorUnits: 1, currency: clf).decimalString == "0.0001")
        #expect(Money(minorUnits: .min, currency: eur).decimalString == "-92233720368547758.08")
        #expect(Money(minorUnits: .max, currency: eur).decimalString == "92233720368547758.07")
        #expect(Money(minorUnits: 4590, currency: eur).description == "45.90 EUR")
    }

    /// Property: for every ISO currency and values across all magnitudes, the decimal string parses
    /// back to the same amount, also with extra zeros or as an exponent literal; an extra nonzero
    /// digit is refused; and rounding mode rounds half to even.
    @Test func roundTripsForEveryCurrency() throws {
        let seed: UInt64 = 0x0D0E_F10A
        var random = SeededRandom(seed: seed)
        var checked = 0
        for currency in Currency.all {
            let samples =
                [0, 1, -1, 5, 10, 99, 100, 12345, .max, .min, .max - 1, .min + 1]
                + (0..<300).map { _ in random.int64AcrossMagnitudes() }
            for minorUnits in samples {
                let money = Money(minorUnits: minorUnits, currency: currency)
                let text = money.decimalString
                let context = "seed \(seed), \(currency.code) \(minorUnits) \"\(text)\""
                #expect((try? Money(parsing: text, currency: currency)) == money, "\(context)")
                let point = currency.exponent == 0 ? "." : ""
                #expect((try? Money(parsing: text + point + "000", currency: currency)) == money, "zeros: \(context)")
                #expect(
                    (try? Money(parsing: text + point + "0001", currency: currency)) == nil, "sub-minor: \(context)")
                // The same amount as an integer count of minor units with a negative exponent.
                let scientific = String(minorUnits) + "e-" + String(currency.exponent)
                #expect((try? Money(parsing: scientific, currency: currency)) == money, "exponent: \(context)")
                // Half a minor unit: half-even rounding lands on the even neighbour, never passes Int64.
                let half = try? Money(roundingFloatLiteral: text + point + "5", currency: currency)
                let awayFromZero = minorUnits.magnitude % 2 == 1
                if awayFromZero, minorUnits == .max || minorUnits == .min {
                    #expect(half == nil, "half overflow: \(context)")
                } else {
                    let expected = awayFromZero ? minorUnits + (minorUnits < 0 ? -1 : 1) : minorUnits
                    #expect(half?.minorUnits == expected, "half-even: \(context)")
                }
                checked += 1
            }
        }
        #expect(checked == Currency.all.count * 312)
    }

    @Test func roundingFloatLiteralsRoundsHalfToEven() throws {
        func rounded(_ text: String, _ currency: Currency) throws -> Int64 {
            try Money(roundingFloatLiteral: text, currency: currency).minorUnits
        }
        #expect(try rounded("197.505", eur) == 19750)
        #expect(try rounded("197.515", eur) == 19752)
        #expect(try rounded("197.5050001", eur) == 19751)
        #expect(try rounded("20826.300000000003", eur) == 2082630)
        #expect(try rounded("19.999999999999996", eur) == 2000)
        #expect(try rounded("-0.125", eur) == -12)
        #expect(try rounded("-0.135", eur) == -14)
        #expect(try rounded("0.004", eur) == 0)
        #expect(try rounded("1e-999999999", eur) == 0)
        #expect(try rounded("2.5", jpy) == 2)
        #expect(try rounded("3.5", jpy) == 4)
        #expect(throws: MoneyError.self) { try Money(roundingFloatLiteral: "1.2.3", currency: eur) }
        #expect(throws: MoneyError.self) { try Money(roundingFloatLiteral: "92233720368547758.075", currency: eur) }
    }

    @Test func arithmetic() throws {
        let a = Money(minorUnits: 3090, currency: eur)
        #expect((a + a).minorUnits == 6180)
        #expect((a - Money(minorUnits: 4000, currency: eur)).minorUnits == -910)
        #expect((a * 2).minorUnits == 6180)
        #expect((a - Money(minorUnits: 4000, currency: eur)).isNegative)
        #expect(!a.isNegative)
        #expect(Money.zero(eur).minorUnits == 0)
        #expect(try a.adding(a).minorUnits == 6180)
        #expect(try a.multiplied(by: 3).minorUnits == 9270)
        #expect(try a.subtracting(a).minorUnits == 0)
    }

    @Test func operatorsClampInsteadOfTrappingAndCheckedVariantsThrow() {
        let max = Money(minorUnits: .max, currency: eur)
        let min = Money(minorUnits: .min, currency: eur)
        let one = Money(minorUnits: 1, currency: eur)
        #expect((max + one).minorUnits == .max)
        #expect((min - one).minorUnits == .min)
        #expect((min + Money(minorUnits: -1, currency: eur)).minorUnits == .min)
        #expect((max - Money(minorUnits: -1, currency: eur)).minorUnits == .max)
        #expect((max * 2).minorUnits == .max)
        #expect((max * -2).minorUnits == .min)
        #expect((min * -1).minorUnits == .max)
        #expect(throws: MoneyError.self) { try max.adding(one) }
        #expect(throws: MoneyError.self) { try min.subtracting(one) }
        #expect(throws: MoneyError.self) { try max.multiplied(by: 2) }
        #expect(throws: MoneyError.self) { try one.adding(Money(minorUnits: 1, currency: jpy)) }
    }

    @Test func division() {
        let total = Money(minorUnits: 6180, currency: eur)
        #expect(total.dividedEvenly(by: 2)?.minorUnits == 3090)
        #expect(total.dividedEvenly(by: 7) == nil)
        #expect(total.dividedEvenly(by: 0) == nil)
        #expect(Money(minorUnits: .min, currency: eur).dividedEvenly(by: -1) == nil)
        #expect(Money(minorUnits: -6180, currency: eur).dividedEvenly(by: -2)?.minorUnits == 3090)
        #expect(Money(minorUnits: 1000, currency: eur).dividedRoundingHalfEven(by: 3)?.minorUnits == 333)
        #expect(Money(minorUnits: 2000, currency: eur).dividedRoundingHalfEven(by: 3)?.minorUnits == 667)
        #expect(Money(minorUnits: 5, currency: eur).dividedRoundingHalfEven(by: 2)?.minorUnits == 2)
        #expect(Money(minorUnits: 7, currency: eur).dividedRoundingHalfEven(by: 2)?.minorUnits == 4)
        #expect(Money(minorUnits: -7, currency: eur).dividedRoundingHalfEven(by: 2)?.minorUnits == -4)
        #expect(Money(minorUnits: 7, currency: eur).dividedRoundingHalfEven(by: -2)?.minorUnits == -4)
        #expect(
            Money(minorUnits: .max, currency: eur).dividedRoundingHalfEven(by: 2)?.minorUnits
                == 4_611_686_018_427_387_904)
        #expect(Money(minorUnits: 1, currency: eur).dividedRoundingHalfEven(by: 0) == nil)
    }
}
