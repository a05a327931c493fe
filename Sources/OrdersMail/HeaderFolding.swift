/// Header lines as RFC 5322 wants them: folded (CRLF and a space) between tokens so that no line
/// passes 78 characters where a break is possible, and never 998. Tokens are never split.
enum HeaderFolding {
    static let preferredLength = 78
    static let maximumLength = 998

    /// `Name: token token …`, broken before a token that would pass the preferred length.
    static func fold(_ name: String, _ tokens: [String]) -> String {
        var result = name + ":"
        var lineLength = result.count
        var first = true
        for token in tokens where !token.isEmpty {
            let length = token.count
            if !first, lineLength + 1 + length > preferredLength {
                result += "\r\n " + token
                lineLength = 1 + length
            } else {
                result += " " + token
                lineLength += 1 + length
            }
            first = false
        }
        return result
    }

    /// An unstructured value (Subject): its words when printable ASCII and each fits a line, else
    /// encoded words, the first sized to fit behind the header's name.
    static func unstructured(_ name: String, _ value: String) -> String {
        let words = value.split(separator: " ").map(String.init)
        if EncodedWord.isPlain(value), words.allSatisfy({ $0.count <= preferredLength - name.count - 2 }) {
            return fold(name, words)
        }
        return fold(name, EncodedWord.wordsFitting(value, firstLine: preferredLength - name.count - 2))
    }

    /// An address header: the display name's tokens and the address in angle brackets.
    static func address(_ name: String, _ address: MailAddress) -> String {
        guard let display = address.name else { return fold(name, [address.address]) }
        let tokens = EncodedWord.displayNameTokens(
            HeaderText.capped(display), firstLine: preferredLength - name.count - 2)
        return fold(name, tokens + ["<" + address.address + ">"])
    }
}

/// Data shown in a header: names and order numbers longer than any real one are cut, with an
/// ellipsis, so no header grows without bound. The body keeps them whole.
public enum HeaderText {
    public static let maximumCharacters = 256

    public static func capped(_ text: String) -> String {
        var result = text.count <= maximumCharacters ? text : String(text.prefix(maximumCharacters - 1)) + "…"
        // A character may hold any number of combining marks: cap the scalars as well.
        let maximumScalars = 4 * maximumCharacters
        if result.unicodeScalars.count > maximumScalars {
            var scalars = String.UnicodeScalarView(result.unicodeScalars.prefix(maximumScalars - 1))
            scalars.append("…")
            result = String(scalars)
        }
        return result
    }
}
