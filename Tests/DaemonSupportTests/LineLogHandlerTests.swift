import DaemonSupport
import Foundation
import Logging
import Testing

/// The three line formats, as journald, a terminal and a log shipper read them.
@Suite("log lines")
struct LineLogHandlerTests {
    let date = Date(timeIntervalSince1970: 1_796_000_000)

    @Test(arguments: [(Logger.Level.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2)])
    func journalLinesCarryTheirSyslogPriority(level: Logger.Level, priority: Int) {
        let handler = LineLogHandler(label: "orderflow", level: .trace, format: .journal) { _ in }
        let line = handler.line(
            level: level, message: "database unavailable\nretrying", metadata: ["pg.error": "refused"], date: date)
        #expect(line == "<\(priority)>\(level) orderflow: database unavailable\\nretrying pg.error=refused\n")
    }

    @Test func textLinesStartWithTheTimeAndJSONLinesAreObjects() throws {
        let text = LineLogHandler(label: "orderflow", level: .info, format: .text) { _ in }
        #expect(
            text.line(level: .info, message: "consuming", metadata: ["amqp.queue": "q"], date: date)
                == "2026-11-30T00:53:20Z info orderflow: consuming amqp.queue=q\n")
        let json = LineLogHandler(label: "orderflow", level: .info, format: .json) { _ in }
        let line = json.line(level: .warning, message: "say \"hi\"", metadata: ["n": "1"], date: date)
        #expect(line.hasSuffix("\n") && line.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "say \"hi\"")
        #expect(object["priority"] as? Int == 4)
        #expect(object["level"] as? String == "warning")
        #expect(object["n"] as? String == "1")
        #expect(object["time"] as? String == "2026-11-30T00:53:20Z")
    }

    @Test func journalIsChosenWhenStderrIsTheJournal() {
        #expect(LineLogHandler.Format.automatic(environment: ["JOURNAL_STREAM": "8:12345"]) == .journal)
        #expect(LineLogHandler.Format.automatic(environment: [:]) == .text)
    }

    @Test func belowTheLevelNothingIsWritten() {
        let lines = Lines()
        let logger = Logger(label: "t") { label in
            LineLogHandler(label: label, level: .warning, format: .journal) { lines.append($0) }
        }
        logger.info("quiet")
        logger.warning("loud")
        #expect(lines.all == ["<4>warning t: loud\n"])
    }
}

private final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
