import Foundation

/// RFC 2047 encoded words for header text that is not plain ASCII.
public enum EncodedWord {
    /// `text` as it may stand in an unstructured header (Subject): unchanged when printable ASCII,
    /// else base64 "B" encoded words of at most 75 characters each, split between characters
    /// (never inside a UTF-8 sequence), joined by folding whitespace.
    public static func encode(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) && !text.contains("=?") {
            return text
        }
        // "=?UTF-8?B?" + "?=" is 12 characters; 75 - 12 = 63 base64 characters carry 45 bytes at most.
        let maxBytes = 45
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > maxBytes, !chunk.isEmpty {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    /// A display name for an address header: as is when it is plain ASCII without specials,
    /// quoted when it has specials, encoded words otherwise.
    public static func displayName(_ name: String) -> String {
        let isPlainASCII = name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        if isPlainASCII {
            let specials = Set("()<>[]:;@\\,.\"")
            if !name.contains(where: { specials.contains($0) }) && !name.contains("=?") { return name }
            return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
        }
        return encode(name)
    }

    private static func word(_ bytes: [UInt8]) -> String { "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?=" }
}
