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

    /// The customer's locale as the channel gave it ("de-AT", "fr-CH", "zh-TW", Shopware's "de-DE"), trimmed; nil
    /// when absent or not shaped like a BCP 47 tag (ASCII letters and digits in subtags joined by "-" or "_", at
    /// most 35 characters, starting with a letter). The mail language is chosen from it later (SPEC 3.7).
    public static func localeTag(_ s: String?) -> String? {
        guard let tag = clean(s), tag.utf8.count <= 35, let first = tag.utf8.first,
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first | 0x20),
            tag.utf8.allSatisfy({ byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            })
        else { return nil }
        return tag
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

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// The first C0, DEL or C1 control character in `s`; nil when there is none (checked on the UTF-8 bytes:
    /// ids are read on the hot path).
    static func firstControlCharacter(in s: String) -> Unicode.Scalar? {
        var previous: UInt8 = 0
        for byte in s.utf8 {
            // C1 is U+0080...U+009F: 0xC2 followed by 0x80...0x9F.
            if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) {
                return s.unicodeScalars.first(where: isControl)
            }
            previous = byte
        }
        return nil
    }

    /// `s` with each C0, DEL and C1 control character written as a JSON escape ("\u001B"), so that quoted input
    /// cannot drive a terminal (ESC sequences) or split a log line. `keepingLineBreaks` leaves LF and TAB (a
    /// multi-line body shown as text).
    public static func escapingControlCharacters(_ s: String, keepingLineBreaks: Bool = false) -> String {
        func escaped(_ scalar: Unicode.Scalar) -> Bool {
            isControl(scalar) && !(keepingLineBreaks && (scalar == "\n" || scalar == "\t"))
        }
        guard firstControlCharacter(in: s) != nil, s.unicodeScalars.contains(where: escaped) else { return s }
        var result = ""
        for scalar in s.unicodeScalars {
            if escaped(scalar) {
                result += "\\u" + codePoint(scalar).dropFirst(2)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// "U+001B": how a refusal names a character without writing it.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
