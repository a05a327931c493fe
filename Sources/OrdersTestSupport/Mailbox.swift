import Foundation
import Synchronization

/// Event id per mail file already looked at: the shared folder grows with every run, and its
/// files never change once renamed into place.
private let eventIDByPath = Mutex<[String: String]>([:])

/// The SMTP sink's folder: each accepted mail is an .eml file (deploy/smtp_sink.py). Other tests
/// share it, so mails are found by their event id, which is in the Message-ID.
public struct Mailbox: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// The local stack's sink (deploy/local.sh up).
    public static let shared = Mailbox(
        directory: ProcessInfo.processInfo.environment["ORDERFLOW_TEST_SMTP_MAILDIR"]
            ?? LocalStack.checkout.appendingPathComponent(".state/smtp/mail").path)

    /// Every mail whose Message-ID is one of `eventIDs`, keyed by event id (several when duplicated).
    public func mails(for eventIDs: Set<String>) -> [String: [ReceivedMail]] {
        var found: [String: [ReceivedMail]] = [:]
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in files where file.hasSuffix(".eml") && !file.hasPrefix(".") {
            let path = directory + "/" + file
            if let known = eventIDByPath.withLock({ $0[path] }), !eventIDs.contains(known) { continue }
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let mail = ReceivedMail(raw: String(decoding: data, as: UTF8.self), path: path)
            eventIDByPath.withLock { $0[path] = mail.eventID ?? "" }
            guard let id = mail.eventID, eventIDs.contains(id) else { continue }
            found[id, default: []].append(mail)
        }
        return found
    }

    /// Waits until every event has a mail; throws with what is missing at the deadline.
    public func waitForMails(
        _ eventIDs: Set<String>, timeout: Duration = .seconds(60)
    ) async throws -> [String: [ReceivedMail]] {
        let deadline = TestTime.deadline(after: timeout)
        var found: [String: [ReceivedMail]] = [:]
        while true {  // checked once more after the deadline: a starved test task wakes late
            found = mails(for: eventIDs)
            if found.count == eventIDs.count { return found }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestFailure("\(eventIDs.count - found.count) of \(eventIDs.count) mails never arrived in \(directory)")
    }
}

/// One received mail, with just enough MIME reading for assertions: unfolded headers, encoded
/// words decoded, and the text and HTML parts with quoted-printable undone.
public struct ReceivedMail: Sendable {
    public let raw: String
    public let path: String

    public var headerBlock: String { raw.components(separatedBy: "\r\n\r\n").first ?? "" }

    /// Header lines, unfolded.
    public var headers: [(name: String, value: String)] {
        headerBlock.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: " ")
            .components(separatedBy: "\r\n").compactMap { line in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (
                    String(line[..<colon]),
                    String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                )
            }
    }

    public func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }

    public var eventID: String? {
        guard let id = header("Message-ID"), id.hasPrefix("<"), let at = id.firstIndex(of: "@") else { return nil }
        return String(id[id.index(after: id.startIndex)..<at])
    }

    public var subject: String? { header("Subject").map(Self.decodeEncodedWords) }

    public var text: String? { part("text/plain") }
    public var html: String? { part("text/html") }

    private func part(_ type: String) -> String? {
        guard let start = raw.range(of: "Content-Type: \(type)") else { return nil }
        let afterHeaders = raw[start.upperBound...]
        guard let bodyStart = afterHeaders.range(of: "\r\n\r\n") else { return nil }
        let body = afterHeaders[bodyStart.upperBound...]
        let end = body.range(of: "\r\n--" + (alternativeBoundary ?? ""))?.lowerBound ?? body.endIndex
        return Self.decodeQuotedPrintable(String(body[..<end]))
    }

    /// Quotes removed: a boundary with `=` in it must be quoted.
    private var alternativeBoundary: String? {
        guard let type = raw.range(of: "Content-Type: multipart/alternative; boundary=") else { return nil }
        let value = raw[type.upperBound...].prefix { !$0.isNewline }
        return value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    public static func decodeQuotedPrintable(_ text: String) -> String {
        let bytes = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                out.append(value)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decodeEncodedWords(_ value: String) -> String {
        var bytes = Data()
        var plain = ""
        for word in value.components(separatedBy: " ") {
            if word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="),
                let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))
            {
                bytes += data
            } else {
                if !bytes.isEmpty { plain += String(decoding: bytes, as: UTF8.self); bytes = Data() }
                plain += (plain.isEmpty ? "" : " ") + word
            }
        }
        return plain + String(decoding: bytes, as: UTF8.self)
    }
}
