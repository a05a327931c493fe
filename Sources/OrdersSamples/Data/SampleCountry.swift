/// A country whose customers appear in samples: VAT rates for consumer sales (destination VAT, as
/// EU shops charge it since the 2021 OSS rules), language, and the places and names of its people.
struct SampleCountry: Sendable {
    let code: String
    let alpha3: String
    /// As shops print it for the buyer ("Deutschland", "Schweiz").
    let localName: String
    let englishName: String
    /// The customer's language ("de", "fr", ...).
    let language: String
    /// Basis points: 19 % = 1900.
    let standardVAT: Int
    let reducedVAT: Int
    /// How the VAT is labelled on receipts.
    let vatLabel: String
    let phonePrefix: String
    /// "12 Rue de la Paix" (France, Luxembourg) rather than "Bergstraße 12".
    let houseNumberFirst: Bool
    let cities: [SampleCity]
    let streets: [String]
    /// Second address lines, used now and then.
    let additions: [String]
    let firstNames: [String]
    let lastNames: [String]

    func vatRate(_ category: VATCategory) -> Int {
        category == .standard ? standardVAT : reducedVAT
    }
}

struct SampleCity: Sendable {
    let name: String
    let postalCode: String
    /// State, canton or province where addresses name it (Switzerland, Italy).
    let region: String?
    let regionCode: String?

    init(_ name: String, _ postalCode: String, region: String? = nil, code: String? = nil) {
        self.name = name
        self.postalCode = postalCode
        self.region = region
        self.regionCode = code
    }
}

enum VATCategory: Sendable {
    case standard
    /// Food, books, plants: 7 % in Germany, 5.5 % in France, ...
    case reduced
}
