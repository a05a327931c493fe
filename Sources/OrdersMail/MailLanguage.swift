public import Foundation

/// The two languages customer emails are written in.
public enum MailLanguage: String, Sendable, CaseIterable {
    case de, en

    /// German for a `de`/`de-*` locale, or, without a locale, for a German-speaking country
    /// (DE, AT, CH, LI); English otherwise.
    public init(locale: String?, country: String?) {
        if let locale = locale?.trimmingPrefixWhitespace.lowercased(), !locale.isEmpty {
            self = locale == "de" || locale.hasPrefix("de-") || locale.hasPrefix("de_") ? .de : .en
            return
        }
        let country = country?.uppercased() ?? ""
        self = Self.germanSpeakingCountries.contains(country) ? .de : .en
    }

    /// The locale whose conventions dates, money and percentages follow.
    public var formattingLocale: Locale {
        switch self {
        case .de: Locale(identifier: "de_DE")
        case .en: Locale(identifier: "en_GB")
        }
    }

    static let germanSpeakingCountries: Set<String> = ["DE", "AT", "CH", "LI"]
}

extension String {
    fileprivate var trimmingPrefixWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
