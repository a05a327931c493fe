import Foundation
import Logging

/// Logs go to stderr (journald under systemd); the level comes from ORDERFLOW_LOG_LEVEL (default info).
enum LogSetup {
    static func bootstrap() -> Logger {
        let level = ProcessInfo.processInfo.environment["ORDERFLOW_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "orderflow")
    }
}
