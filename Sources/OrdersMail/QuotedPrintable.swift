/// RFC 2045 quoted-printable for the text and HTML parts: lines of at most 76 characters with
/// soft line breaks (`=` CRLF), CRLF in the text kept as hard line breaks, `=`, control and
/// non-ASCII bytes as `=XX`, a space or tab before a line end encoded so no transport strips it.
public enum QuotedPrintable {
    /// The longest encoded line RFC 2045 allows, soft break `=` included.
    public static let maximumLineLength = 76

    /// The encoded bytes, lines separated by CRLF; a text ending in CRLF ends in CRLF. The bytes
    /// of one character (a UTF-8 sequence) stay on one line, so a decoder that works line by line
    /// never sees half a character. A lone CR or LF is not a line end: it is encoded, and comes back.
    public static func encode(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for (index, line) in hardLines(Array(text.utf8)).enumerated() {
            if index > 0 { output += crlf }
            encode(line: line, into: &output)
        }
        return output
    }

    private static let crlf: [UInt8] = [13, 10]

    /// The text split at each CRLF; n line ends give n + 1 lines.
    private static func hardLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 13, bytes[index + 1] == 10 {
                lines.append(bytes[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        lines.append(bytes[start...])
        return lines
    }

    /// One hard line, with soft breaks wherever the next character would pass the limit.
    private static func encode(line: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var length = 0
        var index = line.startIndex
        while index < line.endIndex {
            let end = min(index + sequenceLength(line[index]), line.endIndex)
            let isLast = end == line.endIndex
            let unit = encoded(line[index..<end], endsLine: isLast)
            // A line that goes on needs room for the `=` of its soft break; the last piece does not.
            if length > 0, length + unit.count > maximumLineLength - (isLast ? 0 : 1) {
                output += [UInt8(ascii: "=")] + crlf
                length = 0
            }
            output += unit
            length += unit.count
            index = end
        }
    }

    /// The bytes of one UTF-8 sequence by its first byte (a stray continuation byte stands alone).
    private static func sequenceLength(_ first: UInt8) -> Int {
        switch first {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }

    /// One character's bytes: printable ASCII as is, except `=`; a space or tab as is unless it ends the line.
    private static func encoded(_ bytes: ArraySlice<UInt8>, endsLine: Bool) -> [UInt8] {
        var unit: [UInt8] = []
        for byte in bytes {
            let literal = (33...126).contains(byte) && byte != UInt8(ascii: "=")
            let blank = (byte == 32 || byte == 9) && !endsLine
            if literal || blank {
                unit.append(byte)
            } else {
                unit += [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return unit
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}
