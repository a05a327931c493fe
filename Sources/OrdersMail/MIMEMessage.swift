extension EmailMessage {
    /// The complete RFC 5322 message, as it goes to the SMTP server and into the mail folder: the
    /// headers, MIME-Version, and a multipart/mixed root holding one inline multipart/alternative
    /// with the text and HTML parts (UTF-8, quoted-printable). CRLF line ends throughout; the same
    /// message always gives the same bytes. Throws when a header value carries a control character.
    public func bytes() throws(HeaderError) -> [UInt8] {
        let mixed = MIMEBoundary(kind: "mixed", messageID: messageID)
        let alternative = MIMEBoundary(kind: "alt", messageID: messageID)
        var output: [UInt8] = []
        func append(_ lines: [String]) { for line in lines { output += Array(line.utf8) + [13, 10] } }
        append(try headerLines())
        append(["MIME-Version: 1.0", "Content-Type: multipart/mixed; \(mixed.parameter)", ""])
        append([mixed.delimiter, "Content-Type: multipart/alternative; \(alternative.parameter)"])
        append(["Content-Disposition: inline", ""])
        for (type, body) in [("text/plain", text), ("text/html", html.markup)] {
            append([alternative.delimiter, "Content-Type: \(type); charset=utf-8"])
            append(["Content-Transfer-Encoding: quoted-printable", ""])
            output += QuotedPrintable.encode(body)
            // The CRLF before a delimiter belongs to the delimiter (RFC 2046), not to the part: a
            // text that ends in CRLF keeps it.
            append([""])
        }
        append([alternative.closing, "", mixed.closing])
        return output
    }
}

/// A multipart boundary that never occurs in this module's parts. It starts with "=_": quoted-printable
/// writes `=` only before two hex digits or a line end, so no encoded line holds "=_", and no line of a
/// part can pass for a delimiter. The rest is the kind and a hash of the Message-ID: the same message
/// gets the same boundaries every time (render twice, identical bytes), neither boundary is a prefix of
/// the other, and two messages (one forwarded inside the other) do not share them.
struct MIMEBoundary {
    let value: String

    init(kind: String, messageID: String) {
        // FNV-1a: stable across processes and platforms, unlike Hasher.
        let hash = messageID.utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        let hex = String(hash, radix: 16)
        value = "=_\(kind)_" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The Content-Type parameter, quoted because `=` is a tspecial (RFC 2045).
    var parameter: String { "boundary=\"\(value)\"" }
    var delimiter: String { "--" + value }
    var closing: String { "--" + value + "--" }
}
