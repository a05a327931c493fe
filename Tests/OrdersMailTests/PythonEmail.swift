import Foundation
import OrdersTestSupport

/// Python's `email` package as an independent reader of what OrdersMail writes, run as a child
/// process. `parsebytes`, not `parse`: reading from a file object would translate CRLF to LF.
enum PythonEmail {
    static let python = "/usr/bin/python3"

    /// One MIME part as Python's parser sees it; `content` is the decoded text of a leaf part.
    struct Part: Decodable {
        let type: String
        let disposition: String?
        let charset: String?
        let transferEncoding: String?
        let defects: [String]
        let parts: [Part]?
        let content: String?
    }

    struct Message: Decodable {
        let root: Part
        let mimeVersion: String?
        let subject: String?
        let messageID: String?
    }

    /// The headers as `policy.strict` reads them: any defect in the message raises (the parse
    /// fails), header defects are listed, and the longest raw line of the header block is measured.
    /// A display name of encoded words is decoded by `email.header`: the policy's phrase parser keeps
    /// the whitespace between adjacent encoded words, which RFC 2047 (6.2) says to drop (Python's own
    /// generator writes long names in exactly that form and does not read them back).
    struct StrictHeaders: Decodable {
        struct Header: Decodable {
            let value: String
            let defects: [String]
            let displayName: String?
            let address: String?
        }
        let headers: [String: Header]
        let longestLine: Int
        let lineLengths: [Int]
        let text: String
        let html: String
    }

    static func parseStrict(_ bytes: [UInt8]) async throws -> StrictHeaders {
        try JSONDecoder().decode(StrictHeaders.self, from: await run(strictParser, input: bytes))
    }

    static func parse(_ bytes: [UInt8]) async throws -> Message {
        try JSONDecoder().decode(Message.self, from: await run(parser, input: bytes))
    }

    /// `binascii.a2b_qp`: quoted-printable decoded by Python's C implementation, read as UTF-8.
    static func decodeQuotedPrintable(_ bytes: [UInt8]) async throws -> String {
        let script = """
            import binascii, json, sys
            print(json.dumps(binascii.a2b_qp(open(sys.argv[1], "rb").read()).decode()))
            """
        return try JSONDecoder().decode(String.self, from: await run(script, input: bytes))
    }

    private static let parser = """
        import email.policy, json, sys
        from email.parser import BytesParser
        def describe(part):
            d = {"type": part.get_content_type(), "disposition": part.get_content_disposition(),
                 "charset": part.get_content_charset(), "transferEncoding": part.get("Content-Transfer-Encoding"),
                 "defects": [type(x).__name__ for x in part.defects]}
            if part.is_multipart():
                d["parts"] = [describe(p) for p in part.iter_parts()]
            else:
                d["content"] = part.get_content()
            return d
        message = BytesParser(policy=email.policy.default).parsebytes(open(sys.argv[1], "rb").read())
        print(json.dumps({"root": describe(message), "mimeVersion": message["MIME-Version"],
                          "subject": message["Subject"], "messageID": message["Message-ID"]}))
        """

    private static let strictParser = """
        import email.policy, json, sys
        from email.header import decode_header, make_header
        from email.parser import BytesParser
        raw = open(sys.argv[1], "rb").read()
        head = raw.split(b"\\r\\n\\r\\n", 1)[0]
        lengths = [len(line) for line in head.split(b"\\r\\n")]
        message = BytesParser(policy=email.policy.strict).parsebytes(raw)
        headers = {}
        for name in ["From", "To", "Reply-To", "Subject", "Date", "Message-ID"]:
            value = message[name]
            if value is None:
                continue
            d = {"value": str(value), "defects": [type(x).__name__ for x in value.defects]}
            if name in ("From", "To", "Reply-To"):
                d["displayName"] = value.addresses[0].display_name
                d["address"] = value.addresses[0].addr_spec
                phrase = dict(message.raw_items())[name].replace("\\r\\n", "").rsplit("<", 1)[0].strip()
                if "=?" in phrase:
                    d["displayName"] = str(make_header(decode_header(phrase)))
            headers[name] = d
        body = message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()
        print(json.dumps({"headers": headers, "longestLine": max(lengths), "lineLengths": lengths,
                          "text": body[0], "html": body[1]}))
        """

    private static func run(_ script: String, input: [UInt8]) async throws -> Data {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-mail-\(UUID().uuidString)")
        try Data(input).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await ChildProcess.run(python, ["-c", script, file.path])
        guard result.status == 0 else { throw TestFailure("python3 failed: \(result.output)") }
        return Data(result.output.utf8)
    }
}
