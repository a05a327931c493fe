import Foundation

/// RFC 2047 encoded words for header text that is not plain ASCII.
public enum EncodedWord {
    /// The longest encoded word RFC 2047 allows.
    public static let maximumLength = 75

    /// `text` as it may stand in an unstructured header (Subject): unchanged when printable ASCII,
    /// else base64 "B" encoded words of at most 75 characters each, split between Unicode scalars
    /// (never inside a UTF-8 sequence), joined by folding whitespace.
    public static func encode(_ text: String) -> String {
        if isPlain(text) { return text }
        return words(text).joined(separator: "\r\n ")
    }

    /// The encoded words for `text`, each at most `maximumLength` characters, the first at most
    /// `firstLength` (the room behind a header's name). Split by scalar, not by character: one
    /// character may carry any number of combining marks, a scalar at most 4 bytes.
    public static func words(_ text: String, maximumLength: Int = maximumLength, firstLength: Int? = nil) -> [String] {
        // "=?UTF-8?B?" + "?=" is 12 characters; every 3 bytes take 4 base64 characters.
        func bytes(fitting length: Int) -> Int { max(6, 3 * ((min(length, Self.maximumLength) - 12) / 4)) }
        var maxBytes = bytes(fitting: firstLength ?? maximumLength)
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let encoded = Array(String(scalar).utf8)
            if chunk.count + encoded.count > maxBytes, !chunk.isEmpty {
                words.append(word(chunk))
                chunk = []
                maxBytes = bytes(fitting: maximumLength)
            }
            chunk += encoded
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words
    }

    /// A display name for an address header: as is when it is plain ASCII without specials,
    /// quoted when it has specials, encoded words otherwise.
    public static func displayName(_ name: String) -> String {
        displayNameTokens(name).joined(separator: " ")
    }

    /// The display name as tokens a header may be folded between: atoms, one quoted string, or
    /// encoded words (also for plain names with a word too long to fold). `firstLine` is the room on
    /// the header's first line, which the first encoded word must fit.
    static func displayNameTokens(_ name: String, firstLine: Int = maximumLength) -> [String] {
        let atoms = name.split(separator: " ").map(String.init)
        let foldable = atoms.allSatisfy { $0.count <= HeaderFolding.preferredLength - 2 }
        if isPlain(name), foldable, !atoms.isEmpty {
            let specials = Set("()<>[]:;@\\,.\"")
            if !name.contains(where: { specials.contains($0) }) { return atoms }
            let quoted =
                "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
            if quoted.count <= HeaderFolding.preferredLength - 2 { return [quoted] }
        }
        return wordsFitting(name, firstLine: firstLine)
    }

    /// Encoded words where the first fits `firstLine` characters and the rest a continuation line.
    static func wordsFitting(_ text: String, firstLine: Int) -> [String] {
        words(text, maximumLength: min(maximumLength, HeaderFolding.preferredLength - 1), firstLength: firstLine)
    }

    /// Printable ASCII that cannot be mistaken for an encoded word.
    static func isPlain(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) && !text.contains("=?")
    }

    private static func word(_ bytes: [UInt8]) -> String { "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?=" }
}
