import DaemonSupport
import Foundation
import Logging
import Settings

/// Logs go to stderr (journald under systemd) at ORDERFLOW_LOG_LEVEL (default info), in
/// ORDERFLOW_LOG_FORMAT (text, journal or json; journal by default when stderr is the journal).
enum LogSetup {
    static func bootstrap() -> Logger {
        let settings = Settings.current
        // Both were checked against their choices when the settings were loaded.
        let level = settings.resolve(SettingKey.logLevel.name).flatMap { Logger.Level(rawValue: $0.value) } ?? .info
        let format =
            settings.resolve(SettingKey.logFormat.name).flatMap { LineLogHandler.Format(rawValue: $0.value) }
            ?? .automatic(environment: ProcessInfo.processInfo.environment)
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, format: format) }
        return Logger(label: "orderflow")
    }
}
