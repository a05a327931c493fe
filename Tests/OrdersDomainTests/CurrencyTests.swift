import Testing
@testable import OrdersDomain

@Suite("Currency")
struct CurrencyTests {
    @Test func knownExponents() throws {
        let expected: [String: Int] = [
            "EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "XOF": 0,
            "KWD": 3, "BHD": 3, "JOD": 3, "OMR": 3, "TND": 3, "LYD": 3, "IQD": 3, "CLF": 4, "UYW": 4,
        ]
        for (code, exponent) in expected {
            let currency = try #require(Currency(code: code), "\(code)")
            #expect(currency.exponent == exponent, "\(code)")
            #expect(currency.code == code)
            #expect(currency.description == code)
        }
    }

    @Test func onlyExactUppercaseISOCodes() {
        for bad in ["eur", "Eur", "EURO", "EU", "", " EUR", "XXX", "XAU", "XTS", "ABC", "€"] {
            #expect(Currency(code: bad) == nil, "\(bad)")
        }
    }

    @Test func tableIsCompleteAndWellFormed() throws {
        let codes = Currency.all.map(\.code)
        #expect(codes.count >= 150)
        #expect(Set(codes).count == codes.count)
        #expect(codes == codes.sorted())
        for currency in Currency.all {
            #expect(
                currency.code.utf8.count == 3 && currency.code.utf8.allSatisfy { (65...90).contains($0) }, "\(currency)"
            )
            #expect([0, 2, 3, 4].contains(currency.exponent), "\(currency)")
            #expect(Currency(code: currency.code) == currency)
        }
        for code in [
            "AUD", "CAD", "CNY", "CZK", "DKK", "HUF", "INR", "MXN", "NOK", "NZD", "PLN", "RON", "SEK", "SGD", "TRY",
            "ZAR", "BRL", "HKD",
        ] {
            #expect(codes.contains(code), "\(code) missing")
        }
    }
}
