import OrdersMail
import Testing

@Suite struct QuotedPrintableTests {
    private func encode(_ text: String) -> String { String(decoding: QuotedPrintable.encode(text), as: UTF8.self) }

    /// The encoded lines (split at CRLF), checking that no CR or LF stands alone.
    private func lines(_ encoded: String) -> [Substring] {
        let lines = encoded.split(separator: "\r\n" as Character, omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { !$0.contains("\r") && !$0.contains("\n") }, "a bare CR or LF in \(encoded)")
        return lines
    }

    @Test func printableASCIIStaysAsItIs() {
        #expect(encode("Hello, world! <a href=\"x\">[1]</a>\r\n") == "Hello, world! <a href=3D\"x\">[1]</a>\r\n")
        #expect(encode("") == "")
    }

    @Test func equalsSignIsAlwaysEncoded() {
        #expect(encode("a=b==c") == "a=3Db=3D=3Dc")
    }

    @Test func spaceOrTabBeforeALineEndIsEncoded() {
        #expect(encode("end  \r\nnext\t\r\nlast ") == "end =20\r\nnext=09\r\nlast=20")
        #expect(encode("-- \r\nsignature") == "--=20\r\nsignature")
        #expect(encode("inner spaces stay") == "inner spaces stay")
    }

    @Test func crlfIsAHardLineBreakAndLoneCROrLFAreEncoded() {
        #expect(encode("a\r\n\r\nb\r\n") == "a\r\n\r\nb\r\n")
        #expect(encode("a\nb\rc") == "a=0Ab=0Dc")
    }

    @Test func longLinesGetSoftBreaksWithin76Characters() {
        #expect(encode(String(repeating: "a", count: 76)) == String(repeating: "a", count: 76))
        #expect(encode(String(repeating: "a", count: 77)) == String(repeating: "a", count: 75) + "=\r\naa")
        let encoded = encode(String(repeating: "a", count: 200) + "\r\n" + String(repeating: "b ", count: 60))
        let lines = lines(encoded)
        #expect(lines.map(\.count) == [76, 76, 50, 76, 47])
        #expect(lines[0].hasSuffix("=") && lines[3].hasSuffix("=") && !lines[2].hasSuffix("="))
        #expect(lines[4].hasSuffix("b=20"))
    }

    /// Umlauts (2 bytes) and emoji (4 bytes) at every offset to a soft break: each encoded line holds
    /// whole characters only, so it decodes to valid UTF-8 on its own, and no `=XX` is cut.
    @Test(arguments: 0..<12)
    func multiByteCharactersAreNeverSplitAcrossSoftBreaks(offset: Int) async throws {
        let text = String(repeating: "a", count: offset) + String(repeating: "ä😀€", count: 20) + "\r\nü"
        let encoded = encode(text)
        for line in lines(encoded) {
            #expect(line.count <= QuotedPrintable.maximumLineLength)
            let content = line.hasSuffix("=") ? line.dropLast() : line[...]
            #expect(String(validating: try decodeLine(content), as: UTF8.self) != nil, "\(line)")
        }
        #expect(try await PythonEmail.decodeQuotedPrintable(Array(encoded.utf8)) == text)
    }

    @Test func pythonDecodesWhatWasEncoded() async throws {
        let long = String(repeating: "Lange Zeile mit Ümlauten, ", count: 12)
        let text = "Grüße = \"Tee\"\t\r\n\r\n" + long + " \r\n.\r\nEnde\n"
        #expect(try await PythonEmail.decodeQuotedPrintable(QuotedPrintable.encode(text)) == text)
    }

    /// The bytes of one encoded line without its soft break; fails on anything but `=XX` or a literal.
    private func decodeLine(_ line: Substring) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = line[...]
        while let first = rest.first {
            if first == "=" {
                let byte = try #require(UInt8(String(rest.dropFirst().prefix(2)), radix: 16), "a cut =XX in \(line)")
                bytes.append(byte)
                rest = rest.dropFirst(3)
            } else {
                bytes += Array(String(first).utf8)
                rest = rest.dropFirst()
            }
        }
        return bytes
    }
}
