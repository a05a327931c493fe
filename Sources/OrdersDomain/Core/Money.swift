/// Why a money text was refused.
public struct MoneyError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// An exact amount: integer minor units of one currency. Never a floating-point value.
public struct Money: Sendable, Hashable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// Parses a decimal text (JSON number literals included, e.g. "1.5E2"). Extra fraction digits are
    /// accepted only when they are zero ("45.900" EUR); "45.901" EUR, overflow and garbage are errors.
    public init(parsing text: String, currency: Currency) throws(MoneyError) {
        try self.init(text, currency: currency, roundHalfEven: false)
    }

    /// Like `init(parsing:)` but rounds half-even to the minor unit. Only for channels that document
    /// float artefacts in their amounts (Shopware: 197.505, 20826.300000000003).
    public init(roundingFloatLiteral text: String, currency: Currency) throws(MoneyError) {
        try self.init(text, currency: currency, roundHalfEven: true)
    }

    private init(_ text: String, currency: Currency, roundHalfEven: Bool) throws(MoneyError) {
        do {
            minorUnits = try DecimalLiteral.scaled(text, scale: currency.exponent, roundHalfEven: roundHalfEven)
        } catch {
            switch error {
            case .malformed:
                throw MoneyError(reason: "malformed money \(Self.quoted(text))")
            case .overflow:
                throw MoneyError(reason: "money out of range \(Self.quoted(text))")
            case .inexact:
                throw MoneyError(
                    reason:
                        "money \(Self.quoted(text)) has more than \(currency.exponent) decimal digits for "
                        + "\(currency.code)"
                )
            }
        }
        self.currency = currency
    }

    /// Quotes a (possibly hostile) input for an error message, shortened so a 1 MB value
    /// does not end up in a log line.
    private static func quoted(_ text: String) -> String {
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "\"\(shown)\""
    }

    /// Exactly `exponent` fraction digits: "45.90", "4590" (JPY), "1.250" (KWD), "-10.00".
    public var decimalString: String {
        let magnitude = minorUnits.magnitude
        var digits = String(magnitude)
        let exponent = currency.exponent
        if exponent > 0 {
            if digits.count <= exponent {
                digits = String(repeating: "0", count: exponent - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -exponent))
        }
        return minorUnits < 0 ? "-" + digits : digits
    }

    public var description: String { "\(decimalString) \(currency.code)" }

    public var isNegative: Bool { minorUnits < 0 }

    /// The amount without its sign, for channels that send a discount or a tax withheld as either sign; `Int64.min`,
    /// which has no positive counterpart, stays as it is.
    var magnitude: Money {
        minorUnits < 0 && minorUnits != .min ? Money(minorUnits: -minorUnits, currency: currency) : self
    }

    // Arithmetic. The operators never trap: a hostile payload (a quantity of 10^18, amounts near
    // Int64.max) must not crash a worker, so they clamp at the Int64 bounds. Code that must refuse
    // such an order uses the throwing `adding`, `subtracting` and `multiplied(by:)`.

    public static func + (a: Money, b: Money) -> Money {
        precondition(a.currency == b.currency, "adding \(a.currency) to \(b.currency)")
        let (sum, overflow) = a.minorUnits.addingReportingOverflow(b.minorUnits)
        return Money(minorUnits: overflow ? (b.minorUnits > 0 ? .max : .min) : sum, currency: a.currency)
    }

    public static func - (a: Money, b: Money) -> Money {
        precondition(a.currency == b.currency, "subtracting \(b.currency) from \(a.currency)")
        let (difference, overflow) = a.minorUnits.subtractingReportingOverflow(b.minorUnits)
        return Money(minorUnits: overflow ? (b.minorUnits < 0 ? .max : .min) : difference, currency: a.currency)
    }

    public static func * (a: Money, n: Int64) -> Money {
        let (product, overflow) = a.minorUnits.multipliedReportingOverflow(by: n)
        let clamped: Int64 = (a.minorUnits < 0) == (n < 0) ? .max : .min
        return Money(minorUnits: overflow ? clamped : product, currency: a.currency)
    }

    public func adding(_ other: Money) throws(MoneyError) -> Money {
        guard currency == other.currency else { throw MoneyError(reason: "adding \(other.currency) to \(currency)") }
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw MoneyError(reason: "money out of range") }
        return Money(minorUnits: sum, currency: currency)
    }

    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        guard currency == other.currency else {
            throw MoneyError(reason: "subtracting \(other.currency) from \(currency)")
        }
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw MoneyError(reason: "money out of range") }
        return Money(minorUnits: difference, currency: currency)
    }

    public func multiplied(by n: Int64) throws(MoneyError) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: n)
        guard !overflow else { throw MoneyError(reason: "money out of range") }
        return Money(minorUnits: product, currency: currency)
    }

    /// The amount divided by `n` when that is a whole number of minor units; nil otherwise (also for n == 0).
    public func dividedEvenly(by n: Int64) -> Money? {
        guard n != 0 else { return nil }
        let (quotient, overflow) = minorUnits.dividedReportingOverflow(by: n)
        guard !overflow, quotient.multipliedReportingOverflow(by: n).partialValue == minorUnits else { return nil }
        return Money(minorUnits: quotient, currency: currency)
    }

    /// The amount divided by `n`, rounded half to even (per-unit prices that do not divide exactly).
    /// Nil for n == 0.
    public func dividedRoundingHalfEven(by n: Int64) -> Money? {
        guard n != 0 else { return nil }
        let (quotient, overflow) = minorUnits.dividedReportingOverflow(by: n)
        guard !overflow else { return nil }
        let remainder = minorUnits - quotient * n  // cannot overflow once the division did not
        let twiceRemainder = remainder.magnitude.multipliedFullWidth(by: 2)
        let comparison: Int
        if twiceRemainder.high != 0 || twiceRemainder.low > n.magnitude {
            comparison = 1
        } else if twiceRemainder.low == n.magnitude {
            comparison = 0
        } else {
            comparison = -1
        }
        var result = quotient
        if comparison > 0 || (comparison == 0 && quotient % 2 != 0) {
            result += (minorUnits < 0) != (n < 0) ? -1 : 1
        }
        return Money(minorUnits: result, currency: currency)
    }
}
