import Foundation

/// Pure text helpers that every adapter uses, so that all channels clean text the same way.
/// Every function here is idempotent (`f(f(x)) == f(x)`), which the canonical round trip relies on.
public enum Text: Sendable {
    /// Trimmed, control characters replaced by spaces, NFC; nil for nil, empty or whitespace-only.
    /// Decodes nothing. Control characters go because canonical text ends up in e-mail headers and
    /// database columns, where a CR/LF or NUL in a name is never wanted.
    public static func clean(_ s: String?) -> String? {
        guard let s else { return nil }
        let trimmed = trimmingWhitespace(withoutControlCharacters(s))
        return trimmed.isEmpty ? nil : nfc(trimmed)
    }

    /// "&amp;" "&ndash;" "&#8211;" "&#x2013;" and the named entities in `HTMLEntities`; single pass,
    /// so "&amp;lt;" becomes "&lt;". Unknown or unterminated entities stay as written.
    public static func decodeHTMLEntities(_ s: String) -> String {
        HTMLEntities.decode(s)
    }

    /// A usable address or nil: trimmed, NFC, exactly one '@' with a non-empty local part and a
    /// domain containing an inner dot, and no whitespace, control characters or <>,;" anywhere
    /// (an address that could inject a header never leaves this function).
    public static func email(_ s: String?) -> String? {
        guard let s else { return nil }
        let address = nfc(trimmingWhitespace(s))
        guard address.utf8.count <= 254 else { return nil }
        var atCount = 0
        for scalar in address.unicodeScalars {
            switch scalar {
            case "@": atCount += 1
            case "<", ">", ",", ";", "\"", "\\", "(", ")", "[", "]", ":": return nil
            case "!"..."~": continue  // printable ASCII: no Unicode property lookups needed
            default:
                if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
                    || scalar.properties.generalCategory == .format
                    || scalar.properties.generalCategory == .lineSeparator
                    || scalar.properties.generalCategory == .paragraphSeparator
                {
                    return nil
                }
            }
        }
        guard atCount == 1, let at = address.firstIndex(of: "@") else { return nil }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        guard !local.isEmpty, let dot = domain.firstIndex(of: "."), dot != domain.startIndex,
            domain.last != ".", !domain.contains("..")
        else { return nil }
        return address
    }

    /// ISO 3166-1 alpha-2 for an alpha-2 or alpha-3 code or a country name (English or native, case
    /// and accents ignored): "de", "DEU", "Germany", "Deutschland" -> "DE". Unknown values come back
    /// cleaned but otherwise as given (stored, not refused).
    public static func countryAlpha2(_ s: String?) -> String? {
        guard let cleaned = clean(s) else { return nil }
        return Country.alpha2(for: cleaned) ?? cleaned
    }

    /// The customer's language as a BCP 47 tag. The channel's own tag is kept whole ("fr-CH",
    /// "zh-TW"; "de_at" is written "de-AT"); without one, the language most people of a known
    /// country read ("FR" gives "fr", "BE" "nl", "LU" "de", an unlisted one "en"); else nil.
    public static func locale(language: String?, country: String?) -> String? {
        if let tag = clean(language).flatMap(bcp47Tag) { return tag }
        guard let country = countryAlpha2(country), Country.allAlpha2.contains(country) else { return nil }
        return Country.language[country] ?? "en"
    }

    /// A language tag in BCP 47's usual case (language lower, script title, region upper case),
    /// subtags joined by "-"; nil for text that is not a tag.
    static func bcp47Tag(_ text: String) -> String? {
        let subtags = text.split(separator: "-", omittingEmptySubsequences: false).flatMap {
            $0.split(separator: "_", omittingEmptySubsequences: false)
        }
        guard let first = subtags.first, (2...3).contains(first.count), first.allSatisfy(\.isLetter),
            subtags.allSatisfy({
                (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            })
        else { return nil }
        return subtags.enumerated().map { index, subtag in
            if index == 0 { return subtag.lowercased() }
            switch subtag.count {
            case 2 where subtag.allSatisfy(\.isLetter): return subtag.uppercased()
            case 4 where subtag.allSatisfy(\.isLetter):
                return subtag.prefix(1).uppercased() + subtag.dropFirst().lowercased()
            default: return subtag.lowercased()
            }
        }.joined(separator: "-")
    }

    // MARK: Building blocks

    /// NFC. Text made only of scalars below U+0300 (ASCII, Latin-1, Latin Extended-A/B: almost all
    /// European names) is already NFC, so it skips Foundation's comparatively slow normaliser.
    static func nfc(_ s: String) -> String {
        if s.unicodeScalars.allSatisfy({ $0.value < 0x300 }) { return s }
        return s.precomposedStringWithCanonicalMapping
    }

    static func trimmingWhitespace(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return s }
        return String(scalars[first...last])
    }

    /// C0, DEL and C1 control characters (tab and newlines included) become spaces.
    static func withoutControlCharacters(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isControl) else { return s }
        var scalars = String.UnicodeScalarView()
        for scalar in s.unicodeScalars { scalars.append(isControl(scalar) ? " " : scalar) }
        return String(scalars)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
