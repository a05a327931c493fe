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
            abstract: "The newest rejects that were not replayed yet (with --all, every one).",
            discussion: """
                --since keeps those received in the last hours. --json prints the same as JSON for scripts \
                (field names in the README, "Rejected messages"); the bodies stay with `rejects show`.
                """)

        @OptionGroup var connection: ConnectionOptions

        @Flag(help: "Include rejects that were already replayed.")
        var all = false

        @OptionGroup var recent: RecentOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-rejects")
            let rejects = try RejectStore().list(
                on: db, limit: recent.limit, pendingOnly: !all, sinceHours: recent.since)
            print(json ? RejectsFormatter.json(rejects) : RejectsFormatter.table(rejects))
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
                Takes the rejects named by id, or every one not replayed yet that the filters take: --reason \
                (a part of the reason, any case), --since (received in the last hours), or --all. Each stored \
                body is published to the inbound exchange with publisher confirms, over one connection for the \
                whole run, under a new message id (the original one is recorded as processed), and marked \
                replayed once the broker confirmed it. A message that is still invalid becomes a new reject. \
                Exit status 1 unless every one was replayed.
                """
        )

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "Reject ids.")
        var ids: [Int64] = []

        @Option(help: ArgumentHelp("Rejects whose reason contains this text (any case).", valueName: "text"))
        var reason: String?

        @OptionGroup var window: SinceOption

        @Flag(help: "Every reject not replayed yet (with --again, every one).")
        var all = false

        @Flag(help: "Replay rejects that were replayed before, too.")
        var again = false

        @Option(help: ArgumentHelp("Publish to this exchange.", valueName: "name"))
        var exchange = Topology.inboundExchange

        private var filtered: Bool { reason != nil || window.since != nil || all }

        func validate() throws {
            guard !ids.isEmpty || filtered else {
                throw ValidationError("give reject ids, or --reason, --since or --all")
            }
            guard ids.isEmpty || !filtered else {
                throw ValidationError("give reject ids or filters (--reason, --since, --all), not both")
            }
        }

        func run() throws {
            let db = try PostgresConnection(url: connection.resolvedDatabaseURL, applicationName: "orderflow-rejects")
            let replayer = RejectReplayer(
                amqp: try connection.amqpNodes(), exchange: exchange)
            var (total, failures) = (0, 0)
            let report = { (id: Int64, outcome: RejectReplayer.Outcome) in
                total += 1
                switch outcome {
                case .replayed(let routingKey): print("reject \(id): replayed to \(exchange) with \(routingKey)")
                case .notFound: print("reject \(id): no such reject")
                case .bodyTruncated:
                    print("reject \(id): not replayed: only the first 64 KiB of its body were kept")
                case .bodyRemoved: print("reject \(id): not replayed: its body was removed (retention or erasure)")
                case .alreadyReplayed(let at):
                    print("reject \(id): already replayed at \(at); --again replays it once more")
                case .failed(let reason): print("reject \(id): not replayed: \(reason)")
                }
                if case .replayed = outcome { return }
                failures += 1
            }
            if filtered {
                try replayer.replay(
                    matching: .init(reason: reason, sinceHours: window.since), on: db, again: again, report: report)
            } else {
                try replayer.replay(ids: ids, on: db, again: again, report: report)
            }
            if total != 1 { print("\(total - failures) of \(total) replayed") }
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
