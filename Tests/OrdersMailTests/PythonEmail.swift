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

    private static func run(_ script: String, input: [UInt8]) async throws -> Data {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("orderflow-mail-\(UUID().uuidString)")
        try Data(input).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await ChildProcess.run(python, ["-c", script, file.path])
        guard result.status == 0 else { throw TestFailure("python3 failed: \(result.output)") }
        return Data(result.output.utf8)
    }
}
