import Foundation
import OrdersMail
import Testing

@Suite struct MIMEMessageTests {
    private func message(_ body: String = Events.voucher(name: "Jörg <b>")) throws -> EmailMessage {
        try #require(try Events.composer().message(for: Events.decode(body)))
    }

    private func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
    }

    /// The value of `boundary="…"` in the Content-Type line that starts with `type`.
    private func boundary(of type: String, in bytes: [UInt8]) throws -> String {
        let line = try #require(lines(bytes).first { $0.hasPrefix("Content-Type: \(type); boundary=\"") })
        return String(line.split(separator: "\"")[1])
    }

    @Test func pythonReadsMixedHoldingAlternativeWithTextAndHTML() async throws {
        let message = try message()
        let parsed = try await PythonEmail.parse(try message.bytes())
        #expect(parsed.mimeVersion == "1.0")
        #expect(parsed.subject == message.subject)
        #expect(parsed.messageID == message.messageID)
        let root = parsed.root
        #expect(root.type == "multipart/mixed")
        let alternative = try #require(root.parts?.first)
        #expect(root.parts?.count == 1)
        #expect(alternative.type == "multipart/alternative")
        #expect(alternative.disposition == "inline")
        let leaves = try #require(alternative.parts)
        #expect(leaves.map(\.type) == ["text/plain", "text/html"])
        for leaf in leaves {
            #expect(leaf.charset == "utf-8")
            #expect(leaf.transferEncoding == "quoted-printable")
        }
        #expect(leaves[0].content == message.text)
        #expect(leaves[1].content == message.html.markup)
        #expect(message.text.contains("\r\n") && message.text.contains("Jörg <b>"))
        let parts = [root, alternative] + leaves
        #expect(parts.flatMap(\.defects) == [])
    }

    @Test func sameMessageSameBytesOtherMessageOtherBoundaries() throws {
        let first = try message().bytes()
        #expect(try message().bytes() == first)
        let other = try message(Events.voucher(id: "7d1f0a52-3b9e-4c6d-8e21-5a4b3c2d1e0f")).bytes()
        #expect(try boundary(of: "multipart/mixed", in: other) != boundary(of: "multipart/mixed", in: first))
        #expect(try boundary(of: "multipart/alternative", in: first) != boundary(of: "multipart/mixed", in: first))
    }

    /// Even a body that quotes the boundaries word for word cannot end a part early: the only lines
    /// that start with a delimiter are the delimiters, and Python still reads the whole text back.
    @Test func boundariesNeverOccurInTheParts() async throws {
        var message = try message()
        let original = try message.bytes()
        let mixed = try boundary(of: "multipart/mixed", in: original)
        let alternative = try boundary(of: "multipart/alternative", in: original)
        message.text = "--\(alternative)\r\n--\(mixed)--\r\nContent-Type: text/plain\r\n\r\n"
        message.html = HTML(escaping: "<p>--\(alternative)--</p>\r\n--\(mixed)\r\n")
        let bytes = try message.bytes()
        let delimiters = lines(bytes).filter { $0.hasPrefix("--=_") }
        let expected = ["--\(mixed)", "--\(alternative)", "--\(alternative)", "--\(alternative)--", "--\(mixed)--"]
        #expect(delimiters == expected)
        let leaves = try #require(await PythonEmail.parse(bytes).root.parts?.first?.parts)
        #expect(leaves.map(\.content) == [message.text, message.html.markup])
    }

    /// RFC 5322: CRLF after every line, none longer than 998 bytes; the parts' lines within 76.
    @Test func everyLineEndsInCRLFAndStaysShort() async throws {
        var message = try message(Events.voucher(reason: "incident", note: String(repeating: "Strom weg ", count: 300)))
        message.html = message.html + HTML(escaping: String(repeating: "€", count: 2000) + "\r\n")
        let bytes = try message.bytes()
        #expect(bytes.suffix(2) == [13, 10])
        let lines = lines(bytes)
        #expect(lines.last == "")
        for line in lines {
            #expect(!line.contains("\r") && !line.contains("\n"))
            #expect(line.utf8.count <= 998)
        }
        let body = lines.drop { !$0.isEmpty }
        #expect(body.allSatisfy { $0.utf8.count <= QuotedPrintable.maximumLineLength }, "\(body.map(\.count).max()!)")
        #expect(
            try await PythonEmail.parse(bytes).root.parts?.first?.parts?.map(\.content) == [
                message.text, message.html.markup,
            ])
    }

    @Test func aHeaderWithAControlCharacterRefusesTheWholeMessage() throws {
        var message = try message()
        message.subject = "Hello\r\nBcc: b@example.com"
        #expect(throws: HeaderError.self) { try message.bytes() }
    }
}
