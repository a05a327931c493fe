import OrdersDomain

/// Integer money arithmetic for building samples. Prices are gross (VAT included), as shops show
/// them to EU consumers; VAT rates are in basis points (19 % = 1900) so nothing is ever a float.
enum SampleMoney {
    static func amount(_ minorUnits: Int64, _ currency: Currency) -> Money {
        Money(minorUnits: minorUnits, currency: currency)
    }

    /// The net amount of a gross amount at `rate`, rounded half up: gross × 10000 / (10000 + rate).
    static func net(of gross: Money, rate: Int) -> Money {
        let divisor = Int64(10_000 + rate)
        return amount((gross.minorUnits * 20_000 + divisor) / (2 * divisor), gross.currency)
    }

    /// The VAT contained in a gross amount at `rate`.
    static func vat(in gross: Money, rate: Int) -> Money {
        gross - net(of: gross, rate: rate)
    }

    /// `percent` % of an amount, rounded half up.
    static func percent(_ percent: Int, of money: Money) -> Money {
        amount((money.minorUnits * Int64(percent) * 2 + 100) / 200, money.currency)
    }

    /// The amount as a JSON number the way float-based shops (Shopware) print it: "59.9", "60", "0".
    static func floatLiteral(_ money: Money) -> String {
        var text = money.decimalString
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A rate as a fraction: 1900 -> "0.19", 810 -> "0.081", 550 -> "0.055".
    static func rateFraction(_ rate: Int) -> String {
        var digits = String(rate)
        digits = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        var text = "0." + digits
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// A rate as a percentage: 1900 -> "19", 810 -> "8.1", 550 -> "5.5".
    static func ratePercent(_ rate: Int) -> String {
        let whole = rate / 100, fraction = rate % 100
        guard fraction != 0 else { return String(whole) }
        return fraction % 10 == 0 ? "\(whole).\(fraction / 10)" : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
