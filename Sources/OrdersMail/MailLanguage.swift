public import Foundation

/// The languages customer emails are written in.
public enum MailLanguage: String, Sendable, CaseIterable {
    case de, en, fr, nl, it

    /// The language of an order's email: the primary language subtag of its locale (a BCP 47 tag
    /// such as `fr-CH`; `fr_CH` is read alike) when it is one of ours, else the shipping country's
    /// language, else `defaultLanguage` (the merchant's).
    public init(locale: String?, country: String?, default defaultLanguage: MailLanguage = .de) {
        if let locale, let primary = locale.split(whereSeparator: { $0 == "-" || $0 == "_" }).first,
            let language = Self.primaryLanguages[primary.trimmingCharacters(in: .whitespaces).lowercased()]
        {
            self = language
        } else if let country = country?.trimmingCharacters(in: .whitespaces).uppercased(),
            let language = Self.countryLanguages[country]
        {
            self = language
        } else {
            self = defaultLanguage
        }
    }

    /// The locale whose conventions dates, money and percentages follow.
    public var formattingLocale: Locale {
        switch self {
        case .de: Locale(identifier: "de_DE")
        case .en: Locale(identifier: "en_GB")
        case .fr: Locale(identifier: "fr_FR")
        case .nl: Locale(identifier: "nl_NL")
        case .it: Locale(identifier: "it_IT")
        }
    }

    /// Primary language subtags: ours, and Swiss German (`gsw`), whose readers read German.
    static let primaryLanguages: [String: MailLanguage] =
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) }).merging(["gsw": .de]) { $1 }

    /// Countries and the language most of their customers read (as the channel adapters derive a
    /// locale): Switzerland and Luxembourg German, Belgium Dutch. A locale, where given, decides first.
    static let countryLanguages: [String: MailLanguage] = [
        "DE": .de, "AT": .de, "CH": .de, "LI": .de, "LU": .de,
        "FR": .fr, "MC": .fr,
        "NL": .nl, "BE": .nl,
        "IT": .it, "SM": .it, "VA": .it,
        "GB": .en, "IE": .en, "US": .en, "CA": .en, "AU": .en, "NZ": .en,
    ]
}
