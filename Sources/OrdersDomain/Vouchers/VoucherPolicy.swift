/// How apology vouchers are issued (SPEC 3.6). Amounts are decimal texts applied in each order's
/// own currency ("5" is 5.00 EUR for a euro order, 5 CHF for a franc order), never floating point.
public struct VoucherPolicy: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        /// Whole percent off the next order, 1...100.
        case percent(Int)
        /// A fixed amount off, as decimal text.
        case amount(String)
    }

    public var value: Value = .percent(10)
    /// Minimum value of the order the voucher is redeemed on, as decimal text; nil for none.
    public var minimumOrder: String?
    public var validityDays: Int = 90
    /// Added to placedAt when a channel gives no ship-by date.
    public var handlingHours: Int = 48
    /// Marketplaces forbid steering buyers to the shop: their delayed orders get a delay notice, no voucher.
    public var channelsWithoutVouchers: Set<String> = ["amazon", "ebay"]
    /// Orders overdue for longer than this get nothing, so importing old history mails nobody.
    public var delayHorizonHours: Int = 7 * 24

    public init() {}

    public func givesVouchers(toChannel channel: String) -> Bool { !channelsWithoutVouchers.contains(channel) }

    /// Checks the settings once, at start-up, naming the one that is wrong.
    public func validate() throws(VoucherPolicyError) {
        switch value {
        case .percent(let percent):
            guard (1...100).contains(percent) else {
                throw VoucherPolicyError("percent must be between 1 and 100, not \(percent)")
            }
        case .amount(let text):
            guard let minor = try? DecimalLiteral.scaled(text, scale: 3, roundHalfEven: true), minor > 0 else {
                throw VoucherPolicyError("amount must be a positive decimal like 5 or 5.00, not \"\(text)\"")
            }
        }
        if let minimumOrder {
            guard let minor = try? DecimalLiteral.scaled(minimumOrder, scale: 3, roundHalfEven: true), minor >= 0 else {
                throw VoucherPolicyError("minimum order must be a decimal like 15 or 15.00, not \"\(minimumOrder)\"")
            }
        }
        guard validityDays >= 1 else { throw VoucherPolicyError("validity must be at least 1 day") }
        guard handlingHours >= 0 else { throw VoucherPolicyError("handling time must not be negative") }
        guard delayHorizonHours >= 1 else { throw VoucherPolicyError("delay horizon must be at least 1 hour") }
    }

    /// The terms of a voucher for an order in `currency`, issued at `issuedAt`. Amounts finer than the
    /// currency's minor unit are rounded half-even (5.5 for a yen order is 6 JPY).
    public func terms(
        currency: Currency, issuedAt: UTCTimestamp, validUntil: UTCTimestamp? = nil
    ) throws(VoucherPolicyError) -> VoucherTerms {
        func money(_ text: String) throws(VoucherPolicyError) -> Money {
            do { return try Money(roundingFloatLiteral: text, currency: currency) } catch {
                throw VoucherPolicyError("\(error.reason) for a \(currency.code) order")
            }
        }
        let kind: VoucherTerms.Kind
        switch value {
        case .percent(let percent): kind = .percent(percent)
        case .amount(let text): kind = .amount(try money(text))
        }
        return VoucherTerms(
            kind: kind, currency: currency, minimumOrder: try minimumOrder.map(money),
            expiresAt: validUntil ?? issuedAt.adding(seconds: Int64(validityDays) * 86_400))
    }
}

/// One voucher's value and conditions.
public struct VoucherTerms: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case percent(Int)
        case amount(Money)
    }

    public let kind: Kind
    public let currency: Currency
    public let minimumOrder: Money?
    public let expiresAt: UTCTimestamp

    public init(kind: Kind, currency: Currency, minimumOrder: Money?, expiresAt: UTCTimestamp) {
        self.kind = kind
        self.currency = currency
        self.minimumOrder = minimumOrder
        self.expiresAt = expiresAt
    }

    public var kindName: String {
        switch kind {
        case .percent: "percent"
        case .amount: "amount"
        }
    }

    /// "10 %" or "5.00 EUR", for listings.
    public var valueDescription: String {
        switch kind {
        case .percent(let percent): "\(percent) %"
        case .amount(let money): money.description
        }
    }
}

public struct VoucherPolicyError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Why a voucher was issued; one voucher per order and reason.
public enum VoucherReason: String, Sendable, CaseIterable {
    case delay, cancellation, incident
}
