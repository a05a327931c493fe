import AMQP
import ArgumentParser
import Foundation
import LibPQ
import OrdersBroker
import OrdersOperations
import OrdersStore
import Settings

struct Rejects: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show and replay rejected messages.",
        discussion: """
            Messages the worker refused as invalid (bad JSON, unknown currency, negative quantity...) are \
            kept in the rejects table with the reason, the field and the raw body. Fix the cause (the \
            sender, or orderflow), then replay them: they go back through the normal ingest path.
            """,
        subcommands: [List.self, Show.self, Replay.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The newest rejects that were not replayed yet (with --all, every one).")

        @OptionGroup var connection: ConnectionOptions

        @Flag(help: "Include rejects that were already replayed.")
        var all = false

        @Option(help: ArgumentHelp("Only rejects received in the last N hours.", valueName: "hours"))
        var since: Int?

        @Option(help: ArgumentHelp("Show at most this many.", valueName: "n"))
        var limit = 50

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
            if let since, since <= 0 { throw ValidationError("--since must be positive") }
        }

        func run() throws {
            let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-rejects")
            let rejects = try RejectStore().list(on: db, limit: limit, pendingOnly: !all, sinceHours: since)
            print(RejectsFormatter.table(rejects))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A reject's reason, field, routing key and body.")

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "The reject's id (first column of `rejects list`).")
        var id: Int64

        func run() throws {
            let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-rejects")
            guard let reject = try RejectStore().find(id, on: db) else {
                throw ValidationError("no reject with id \(id)")
            }
            print(RejectsFormatter.detail(reject))
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish rejects again, with their routing keys, and mark them replayed.",
            discussion: """
                Each stored body is published to the inbound exchange with publisher confirms, under a new \
                message id (the original one is recorded as processed), and marked replayed once the broker \
                confirmed it. A message that is still invalid becomes a new reject. Exit status 1 unless \
                every one was replayed.
                """
        )

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "Reject ids.")
        var ids: [Int64]

        @Flag(help: "Replay rejects that were replayed before, too.")
        var again = false

        @Option(help: ArgumentHelp("Publish to this exchange.", valueName: "name"))
        var exchange = Topology.inboundExchange

        func validate() throws {
            guard !ids.isEmpty else { throw ValidationError("give at least one reject id") }
        }

        func run() throws {
            let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-rejects")
            let replayer = RejectReplayer(
                amqp: try connection.amqpNodes(), exchange: exchange)
            var failures = 0
            for id in ids {
                let outcome = try replayer.replay(id, on: db, again: again)
                switch outcome {
                case .replayed(let routingKey): print("reject \(id): replayed to \(exchange) with \(routingKey)")
                case .notFound: print("reject \(id): no such reject")
                case .bodyTruncated: print("reject \(id): not replayed: only the first 64 KiB of its body were kept")
                case .alreadyReplayed(let at):
                    print("reject \(id): already replayed at \(at); --again replays it once more")
                case .failed(let reason): print("reject \(id): not replayed: \(reason)")
                }
                if case .replayed = outcome { continue }
                failures += 1
            }
            if ids.count > 1 { print("\(ids.count - failures) of \(ids.count) replayed") }
            if failures > 0 { throw ExitCode.failure }
        }
    }
}

extension Rejects.List: ConnectsAsRole {
    static let databaseRole = DatabaseRole.read
}

extension Rejects.Show: ConnectsAsRole {
    static let databaseRole = DatabaseRole.read
}
