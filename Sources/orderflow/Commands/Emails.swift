import ArgumentParser
import LibPQ
import OrdersOperations
import OrdersStore
import Settings

struct Emails: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The notifier's email ledger.",
        subcommands: [List.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Emails, newest first: sent, failed with the server's reply, skipped with the reason.",
            discussion: """
                One row per event the notifier took: when it was sent (or claimed), the event id, status \
                (sending, sent, failed, skipped), type, the order (channel and id, as `orders show` takes them), \
                the recipient and the server's reply or the reason it was skipped. --failed and --skipped \
                together list both. --json prints the same as JSON for scripts (field names in the README, \
                "Emails").
                """)

        @OptionGroup var connection: ConnectionOptions

        @Flag(help: "Only emails the SMTP server refused for good.")
        var failed = false

        @Flag(help: "Only emails that were never sent (no usable address, nothing to send).")
        var skipped = false

        @Option(help: ArgumentHelp("Only emails sent or claimed in the last N hours.", valueName: "hours"))
        var since: Int?

        @Option(help: ArgumentHelp("Show at most this many.", valueName: "n"))
        var limit = 50

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
            if let since, since <= 0 { throw ValidationError("--since must be positive") }
        }

        func run() throws {
            let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-emails")
            let statuses = (failed ? ["failed"] : []) + (skipped ? ["skipped"] : [])
            let emails = try EmailRecordStore().list(statuses: statuses, sinceHours: since, limit: limit, on: db)
            print(json ? EmailsFormatter.json(emails) : EmailsFormatter.table(emails))
        }
    }
}

extension Emails.List: ConnectsAsRole {
    static let databaseRole = DatabaseRole.read
}
