import ArgumentParser
import Foundation
import LibPQ
import OrdersStore
import Settings

struct Prune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Removes what has served its purpose: old message ids, published events, reject and email bodies.",
        discussion: """
            Processed message ids and published outbox rows go after ORDERFLOW_RETAIN_PROCESSED_DAYS and \
            ORDERFLOW_RETAIN_OUTBOX_DAYS (30 days each); rejected messages' bodies and the recipient, subject \
            and reply of settled emails are replaced by "[removed]" after ORDERFLOW_RETAIN_REJECT_BODIES_DAYS \
            and ORDERFLOW_RETAIN_EMAIL_BODIES_DAYS (90 days each). Orders, lines, parcels and vouchers stay. \
            It works in small transactions (about --batch-rows rows each, a pause between them), so the \
            workers keep storing while it runs; progress goes to stderr every few seconds. --dry-run counts \
            what would go and changes nothing. orderflow-prune.timer runs it daily.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(
        help: ArgumentHelp(
            "Days a processed message id is kept [env: \(RetentionDays.processed.setting)].", valueName: "days"))
    var processedDays: Int?

    @Option(
        help: ArgumentHelp("Days a published event is kept [env: \(RetentionDays.outbox.setting)].", valueName: "days"))
    var outboxDays: Int?

    @Option(
        help: ArgumentHelp(
            "Days a reject's body is kept [env: \(RetentionDays.rejectBodies.setting)].", valueName: "days"))
    var rejectBodiesDays: Int?

    @Option(
        help: ArgumentHelp(
            "Days an email's recipient, subject and reply are kept [env: \(RetentionDays.emailBodies.setting)].",
            valueName: "days"))
    var emailBodiesDays: Int?

    @Option(help: ArgumentHelp("Rows removed per transaction, about.", valueName: "n"))
    var batchRows = 5_000

    @Option(help: ArgumentHelp("Pause between two transactions.", valueName: "milliseconds"))
    var pause = 50

    @Flag(help: "Count what would be removed; change nothing.")
    var dryRun = false

    func validate() throws {
        guard batchRows > 0 else { throw ValidationError("--batch-rows must be positive") }
        guard pause >= 0 else { throw ValidationError("--pause must not be negative") }
    }

    func run() throws {
        let rules = [
            RetentionRule.processedMessages(days: try RetentionDays.processed.resolve(flag: processedDays)),
            RetentionRule.publishedEvents(days: try RetentionDays.outbox.resolve(flag: outboxDays)),
            RetentionRule.rejectBodies(days: try RetentionDays.rejectBodies.resolve(flag: rejectBodiesDays)),
            RetentionRule.emailBodies(days: try RetentionDays.emailBodies.resolve(flag: emailBodiesDays)),
        ]
        let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-prune")
        let pruner = Pruner(batchRows: batchRows, pause: .milliseconds(pause))
        let started = ContinuousClock.now
        var total = 0
        for rule in rules {
            let ruleStarted = ContinuousClock.now
            var lastReport = ContinuousClock.now
            var batches = 0
            let rows = try pruner.run(rule, dryRun: dryRun, on: db) { progress in
                batches = progress.batches
                guard ContinuousClock.now - lastReport >= .seconds(5) else { return }
                lastReport = .now
                Self.standardError(
                    "orderflow prune: \(rule.name): \(progress.pagesDone)/\(progress.pages) pages, "
                        + "\(progress.rows) row(s) \(dryRun ? "counted" : "done") in \(progress.batches) batch(es)")
            }
            total += rows
            let outcome =
                dryRun
                ? "\(rows) to \(rule.isDeletion ? "delete" : "clear")"
                : "\(rows) \(rule.isDeletion ? "deleted" : "cleared") in \(batches) batch(es)"
            print(
                rule.name.padding(toLength: 30, withPad: " ", startingAt: 0)
                    + "older than \(rule.days) days: \(outcome), \(Self.seconds(.now - ruleStarted))")
        }
        print("\(total) row(s) in \(Self.seconds(.now - started))\(dryRun ? "; dry run: nothing changed" : "")")
    }

    private static func seconds(_ duration: Duration) -> String {
        let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return "\(ms / 1000).\(String(ms % 1000 / 100)) s"
    }

    private static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// The retention settings, each a number of days.
enum RetentionDays: String {
    case processed = "PROCESSED"
    case outbox = "OUTBOX"
    case rejectBodies = "REJECT_BODIES"
    case emailBodies = "EMAIL_BODIES"

    var setting: String { "ORDERFLOW_RETAIN_\(rawValue)_DAYS" }

    var defaultDays: Int {
        switch self {
        case .processed, .outbox: 30
        case .rejectBodies, .emailBodies: 90
        }
    }

    func resolve(flag: Int?) throws -> Int {
        let days = try Setting.number(setting, flag: flag) ?? defaultDays
        guard days >= 1 else { throw SettingsError("\(setting) must be at least 1 day, not \(days)") }
        return days
    }
}

extension RetentionRule {
    var isDeletion: Bool {
        if case .delete = action { return true }
        return false
    }
}
