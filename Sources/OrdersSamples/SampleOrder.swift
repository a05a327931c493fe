import OrdersDomain

/// One sample order before it is written in a channel's format: who bought what, at what price,
/// and how far the order got. Every channel generator renders the same facts, so the totals are
/// computed once, here, in integer minor units.
///
/// Prices are gross (VAT included), as EU shops show them to consumers:
/// grand = items + shipping - discount, and `tax` is the VAT contained in the grand total.
struct SampleOrder: Sendable {
    let identity: SampleIdentity
    let currency: Currency
    let placedAt: UTCTimestamp
    let updatedAt: UTCTimestamp
    let customer: SampleCustomer
    let shippingAddress: SampleAddress
    let billingAddress: SampleAddress
    let lines: [SampleLine]
    /// Gross shipping charged, and the VAT rate it carries (the destination's standard rate).
    let shipping: Money
    let shippingVATRate: Int
    /// "DHL Paket", "DHL Paket International", or "Abholung" for a till.
    let shippingMethod: String
    let discount: SampleDiscount?
    let stage: SampleStage
    /// Set when the order has shipped.
    let parcel: SampleParcel?
    let payment: SamplePayment
    /// Seeds the channel-specific details (Square tender ids, Shopware float artefacts) so that
    /// they too are reproducible, without consuming the draws that made the order itself.
    let detailSeed: UInt64

    var items: Money { lines.reduce(.zero(currency)) { $0 + $1.total } }
    var discountTotal: Money { lines.reduce(.zero(currency)) { $0 + $1.discount } }
    var grand: Money { items + shipping - discountTotal }
    var shippingTax: Money { SampleMoney.vat(in: shipping, rate: shippingVATRate) }
    var tax: Money { lines.reduce(shippingTax) { $0 + $1.tax } }

    /// VAT per rate, highest rate first: (rate, VAT, the gross amount it is contained in).
    var taxesByRate: [(rate: Int, tax: Money, gross: Money)] {
        var byRate: [Int: (tax: Money, gross: Money)] = [:]
        func add(_ rate: Int, _ tax: Money, _ gross: Money) {
            let sum = byRate[rate] ?? (.zero(currency), .zero(currency))
            byRate[rate] = (sum.tax + tax, sum.gross + gross)
        }
        for line in lines { add(line.vatRate, line.tax, line.total - line.discount) }
        if shipping.minorUnits > 0 { add(shippingVATRate, shippingTax, shipping) }
        return byRate.keys.sorted(by: >).map { (rate: $0, tax: byRate[$0]!.tax, gross: byRate[$0]!.gross) }
    }

    var isCancelled: Bool { if case .cancelled = stage { true } else { false } }

    /// A generator for channel-specific details.
    func detailRandom() -> SplitMix64 { SplitMix64(seed: detailSeed) }

    /// The position-th line's id, derived from the order's so that it is unique too.
    func lineID(_ line: SampleLine) -> UInt64 { identity.numericID * 10 + UInt64(line.position) }

    /// The shop's running order number ("#1001" style): the run's orders in sequence.
    var runningNumber: Int { 1001 + identity.index }
}

/// How far an order got; each channel spells it in its own status fields.
enum SampleStage: Sendable, Equatable {
    /// Ordered, payment not yet confirmed (prepayment, bank transfer).
    case awaitingPayment
    case paid
    case shipped
    case cancelled(byCustomer: Bool)
}

enum SamplePayment: Sendable, CaseIterable {
    case paypal, card, klarna, bankTransfer, invoice

    /// As German shops label it.
    var title: String {
        switch self {
        case .paypal: "PayPal"
        case .card: "Kreditkarte"
        case .klarna: "Klarna Sofort"
        case .bankTransfer: "Vorkasse (Überweisung)"
        case .invoice: "Rechnung"
        }
    }
}

struct SampleCustomer: Sendable {
    let firstName: String
    let lastName: String
    let email: String
    let phone: String?
    let country: SampleCountry

    var name: String { "\(firstName) \(lastName)" }
}

struct SampleAddress: Sendable {
    let firstName: String
    let lastName: String
    let company: String?
    let street: String
    let houseNumber: String
    let addition: String?
    let city: SampleCity
    let country: SampleCountry
    let phone: String?

    var name: String { "\(firstName) \(lastName)" }

    /// "Bergstraße 12", or "12 Rue de la Paix" where the number comes first.
    var line1: String { country.houseNumberFirst ? "\(houseNumber) \(street)" : "\(street) \(houseNumber)" }
}

struct SampleLine: Sendable {
    /// 1-based.
    let position: Int
    let product: SampleProduct
    let quantity: Int64
    /// Gross unit price in the order currency.
    let unitPrice: Money
    let vatRate: Int
    /// This line's share of the order discount.
    let discount: Money

    /// Gross, before the discount.
    var total: Money { unitPrice * quantity }
    /// VAT contained in what the customer pays for this line (after its discount share).
    var tax: Money { SampleMoney.vat(in: total - discount, rate: vatRate) }
}

struct SampleDiscount: Sendable {
    enum Kind: Sendable, Equatable {
        case percent(Int)
        case fixed(Money)
    }

    let code: String
    let kind: Kind

    var isPercentage: Bool { if case .percent = kind { true } else { false } }

    /// "10 % Rabatt (WILLKOMMEN10)".
    var title: String {
        switch kind {
        case .percent(let percent): "\(percent) % Rabatt (\(code))"
        case .fixed(let amount):
            "\(amount.decimalString.replacingDecimalPoint) \(amount.currency.code) Rabatt (\(code))"
        }
    }
}

struct SampleParcel: Sendable {
    let carrier: Carrier
    let trackingNumber: String
    let shippedAt: UTCTimestamp

    var trackingURL: String { carrier.trackingURL(trackingNumber) }
}

extension String {
    /// "5.00" -> "5,00": German shops write amounts with a decimal comma in titles.
    var replacingDecimalPoint: String { String(map { $0 == "." ? "," : $0 }) }
}
