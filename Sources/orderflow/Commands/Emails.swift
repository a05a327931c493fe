import ArgumentParser
import Foundation
import LibPQ
import OrdersMail
import OrdersOperations
import OrdersStore
import OrdersWorkers
import Settings

struct Emails: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The notifier's email ledger.",
        subcommands: [List.self, Resend.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Emails, newest first: sent, failed with the server's reply, skipped with the reason.",
            discussion: """
                One row per event the notifier took: when it was sent (or claimed), the event id, status \
                (sending, sent, failed, skipped), type, the order (channel and id, as `orders show` takes them), \
                the recipient and the server's reply or the reason it was skipped. --failed and --skipped \
                together list both; --since keeps those sent or claimed in the last hours. --json prints the \
                same as JSON for scripts (field names in the README, \
                "Emails").
                """)

        @OptionGroup var connection: ConnectionOptions

        @Flag(help: "Only emails the SMTP server refused for good.")
        var failed = false

        @Flag(help: "Only emails that were never sent (no usable address, nothing to send).")
        var skipped = false

        @OptionGroup var recent: RecentOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-emails")
            let statuses = (failed ? ["failed"] : []) + (skipped ? ["skipped"] : [])
            let emails = try EmailRecordStore().list(
                statuses: statuses, sinceHours: recent.since, limit: recent.limit, on: db)
            print(json ? EmailsFormatter.json(emails) : EmailsFormatter.table(emails))
        }
    }
}

extension Emails {
    struct Resend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send events' emails once more: a new, recorded attempt with the same Message-ID.",
            discussion: """
                For each event id (second column of `emails list`): the event is rebuilt from its outbox rows \
                as the relay publishes it (with the order's data as stored now), composed and sent like the \
                notifier does, with the same settings (sender, company details, templates, SMTP URL or mail \
                folder) and the same Message-ID, <event id@sender's domain>. Whatever its status was (sent, \
                failed, skipped), the attempt is recorded in the ledger: `emails list` and `orders show` show it \
                as the latest, with the attempt count. Never at the same time as a notifier sending the same \
                email. A temporary failure (4xx, server unreachable) is recorded as failed with its reason; run \
                the command again. Exit status 1 unless every email was sent.
                """)

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var mail: MailOptions
        @OptionGroup var delivery: MailDeliveryOptions

        @Argument(help: ArgumentHelp("Event ids.", valueName: "event-id"))
        var eventIDs: [String]

        func validate() throws {
            guard !eventIDs.isEmpty else { throw ValidationError("give at least one event id") }
            for id in eventIDs where UUID(uuidString: id) == nil {
                throw ValidationError("'\(id)' is not an event id (a UUID, as `emails list` prints it)")
            }
        }

        func run() async throws {
            let composer = try mail.composer(placeholders: false)
            let resender = EmailResender(
                database: DatabaseExecutor(url: connection.resolvedDatabaseURL, applicationName: "orderflow-emails"),
                transport: try delivery.transport(envelopeFrom: composer.from.address), composer: composer)
            var sent = 0
            for id in eventIDs {
                let eventID = id.lowercased()
                let outcome: EmailResender.Outcome
                do { outcome = try await resender.resend(eventID) } catch {
                    await resender.close()
                    throw error
                }
                switch outcome {
                case .sent(let attempt, let reply, let messageID):
                    print("\(eventID): sent, attempt \(attempt), Message-ID \(messageID): \(reply)")
                    sent += 1
                case .failed(let attempt, let reply): print("\(eventID): failed, attempt \(attempt): \(reply)")
                case .skipped(let attempt, let reason): print("\(eventID): skipped, attempt \(attempt): \(reason)")
                case .unknownEvent: print("\(eventID): no such event")
                case .noRecipient(let reason): print("\(eventID): not sent: \(reason)")
                case .busy: print("\(eventID): not sent: a notifier is sending it right now; try again in a moment")
                }
            }
            await resender.close()
            if eventIDs.count > 1 { print("\(sent) of \(eventIDs.count) sent") }
            if sent < eventIDs.count { throw ExitCode.failure }
        }
    }
}

extension Emails.List: ConnectsAsRole {
    static let databaseRole = DatabaseRole.read
}
