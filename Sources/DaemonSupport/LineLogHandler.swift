public import Foundation
public import Logging

/// One log line per event on stderr, in the format the reader expects:
/// - `text`: time, level, label, message and metadata, for a terminal;
/// - `journal`: the same without the time (journald adds it), prefixed with the syslog priority
///   `<N>` that journald reads from a stream, so `journalctl -p warning` filters by level;
/// - `json`: one object per line (`time`, `level`, `priority`, `label`, `message`, metadata keys)
///   for log shippers.
public struct LineLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case text, journal, json

        /// `journal` when stderr is connected to the journal (systemd sets `JOURNAL_STREAM` for a
        /// service whose output goes there), else `text`.
        public static func automatic(environment: [String: String]) -> Format {
            environment["JOURNAL_STREAM"].map { $0.isEmpty ? .text : .journal } ?? .text
        }
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let format: Format
    private let write: @Sendable (String) -> Void

    public init(
        label: String, level: Logger.Level, format: Format,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// syslog(3) priorities: swift-log has no level for `alert` or `emerg`.
    public static func priority(of level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        write(line(level: event.level, message: "\(event.message)", metadata: all, date: Date()))
    }

    public func line(level: Logger.Level, message: String, metadata: Logger.Metadata, date: Date) -> String {
        let pairs = metadata.sorted { $0.key < $1.key }
        switch format {
        case .text:
            let fields = pairs.map { " \($0.key)=\($0.value)" }.joined()
            return "\(date.formatted(.iso8601)) \(level) \(label): \(Self.oneLine(message))\(fields)\n"
        case .journal:
            let fields = pairs.map { " \($0.key)=\($0.value)" }.joined()
            return "<\(Self.priority(of: level))>\(level) \(label): \(Self.oneLine(message))\(fields)\n"
        case .json:
            var object: [String: Any] = [:]
            for (key, value) in pairs { object[key] = "\(value)" }
            object["time"] = date.formatted(.iso8601)
            object["level"] = level.rawValue
            object["priority"] = Self.priority(of: level)
            object["label"] = label
            object["message"] = message
            let data =
                (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
                ?? Data()
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }

    /// A line break inside a message would start a line without a priority: keep one event one line.
    private static func oneLine(_ text: String) -> String {
        text.contains(where: \.isNewline)
            ? text.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n") : text
    }
}
