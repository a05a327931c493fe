/// The two languages customer emails are written in.
public enum MailLanguage: String, Sendable, CaseIterable {
    case de, en

    /// From the BCP 47 tag the channel gave (`de`, `de-AT`, `de_CH`, `gsw-CH` Swiss German: German; `en-US`,
    /// `zh-TW`, `fr-CH`: English, the language of every other customer); without a locale, German for a
    /// German-speaking shipping country (DE, AT, CH, LI), English otherwise.
    public init(locale: String?, country: String?) {
        if let locale = locale?.trimmingPrefixWhitespace.lowercased(), !locale.isEmpty {
            let language = locale.prefix { $0 != "-" && $0 != "_" }
            self = language == "de" || language == "gsw" ? .de : .en
            return
        }
        let country = country?.uppercased() ?? ""
        self = Self.germanSpeakingCountries.contains(country) ? .de : .en
    }

    static let germanSpeakingCountries: Set<String> = ["DE", "AT", "CH", "LI"]
}

extension String {
    fileprivate var trimmingPrefixWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
