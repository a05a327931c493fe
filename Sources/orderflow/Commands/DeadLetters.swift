import AMQP
import ArgumentParser
import Foundation
import OrdersBroker
import OrdersOperations

struct DeadLetters: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "List, show, replay and purge the messages of a dead-letter queue.",
        discussion: """
            A message the ingest worker or the notifier gave up on (delivered too often, refused) goes to \
            \(Topology.ingest.deadLetterQueue) or \(Topology.notifier.deadLetterQueue), with the broker's x-death \
            history: where it was first published, why it died, how often. Fix the cause, then replay: the \
            message goes back to its exchange and routing key, with its message id, so a message already \
            stored or mailed is not stored or mailed twice. Everything runs over one broker connection, \
            reading with basic.get; what a command does not remove goes back to the queue.
            """,
        subcommands: [List.self, Show.self, Replay.self, Purge.self]
    )

    /// The queue argument, checked against the two the topology declares.
    struct QueueArgument: ParsableArguments {
        @Argument(
            help: ArgumentHelp(
                "\(Topology.ingest.deadLetterQueue) or \(Topology.notifier.deadLetterQueue) (any queue ending in "
                    + ".dead).",
                valueName: "queue"))
        var queue: String

        func validate() throws {
            guard queue.hasSuffix(".dead") else {
                throw ValidationError(
                    "'\(queue)' is not a dead-letter queue: give \(Topology.ingest.deadLetterQueue) or "
                        + "\(Topology.notifier.deadLetterQueue)")
            }
        }
    }

    /// Which dead letters a bulk command takes: the message ids given, or those the filters take, or --all.
    struct Selection: ParsableArguments {
        @Argument(
            help: ArgumentHelp("Message ids (the MESSAGE ID column of `dead-letters list`).", valueName: "message-id"))
        var messageIDs: [String] = []

        @Option(
            help: ArgumentHelp(
                "Only those that died first for this reason: delivery_limit, rejected, expired, maxlen.",
                valueName: "reason"))
        var reason: String?

        @OptionGroup var window: SinceOption

        @Flag(help: "Every dead letter of the queue.")
        var all = false

        func validate() throws {
            let filtered = !messageIDs.isEmpty || reason != nil || window.since != nil
            guard filtered || all else {
                throw ValidationError("give message ids, --reason, --since, or --all for every dead letter")
            }
            guard !(filtered && all) else {
                throw ValidationError("--all takes every dead letter: give it without message ids or filters")
            }
        }

        /// Nil for --all.
        var selection: DeadLetterSelection? {
            all
                ? nil
                : DeadLetterSelection(
                    messageIDs: Set(messageIDs), reason: reason, sinceHours: window.since, now: Self.now)
        }

        static var now: Int64 { Int64(Date().timeIntervalSince1970) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The dead letters of a queue, oldest first: died, message id, routing key, reason, count, size.",
            discussion: """
                DIED is the time of its last death; ROUTING KEY where it was first published (the channel, \
                order.shopify, or the event type, shipment.dispatched); REASON why it died first; COUNT how \
                often it died; BYTES its body's size. --since keeps those that died in the last hours. Nothing \
                is removed. --json prints the same as JSON for scripts (field names in the README, "Dead letters").
                """)

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var queue: QueueArgument
        @OptionGroup var recent: RecentOptions

        @Option(help: ArgumentHelp("Only those that died first for this reason.", valueName: "reason"))
        var reason: String?

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let dead = try DeadLetterQueue(amqp: connection.amqpNodes(), queue: queue.queue)
            let selection = DeadLetterSelection(reason: reason, sinceHours: recent.since, now: Selection.now)
            let letters = try dead.peek(selection, limit: recent.limit)
            print(json ? DeadLettersFormatter.json(letters) : DeadLettersFormatter.table(letters))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A dead letter's x-death history, headers and body.",
            discussion: "Every dead letter with this message id (duplicates too). Exit status 1 when there is none.")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var queue: QueueArgument

        @Argument(
            help: ArgumentHelp(
                "The message id (the MESSAGE ID column of `dead-letters list`).", valueName: "message-id"))
        var messageID: String

        func run() throws {
            let dead = try DeadLetterQueue(amqp: connection.amqpNodes(), queue: queue.queue)
            let letters = try dead.peek(
                DeadLetterSelection(messageIDs: [messageID], now: Selection.now), limit: Int.max)
            guard !letters.isEmpty else { throw DeadLetterNotFound(queue: queue.queue, messageID: messageID) }
            print(letters.map(DeadLettersFormatter.detail).joined(separator: "\n\n"))
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish dead letters back to where they were first published, then remove them.",
            discussion: """
                Each one goes to the exchange and routing key of its first death, with its message id and \
                properties (without the broker's x-death headers), with publisher confirms and mandatory; it is \
                removed from the dead-letter queue only once the broker confirmed the copy. A replay cut at any \
                point loses nothing: what was not confirmed stays dead-lettered, and what was confirmed but not \
                yet removed is at most delivered twice under the same message id, which the worker and the \
                notifier absorb. One that cannot be routed stays. Exit status 1 unless every one selected was \
                replayed.
                """)

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var queue: QueueArgument
        @OptionGroup var select: Selection

        @Option(help: ArgumentHelp("Replay at most this many.", valueName: "n"))
        var limit: Int?

        @Option(
            help: ArgumentHelp(
                "Messages per second, so a large replay does not swamp the workers (default: as fast as the "
                    + "broker confirms).", valueName: "n"))
        var rate: Double?

        func validate() throws {
            if let limit, limit <= 0 { throw ValidationError("--limit must be positive") }
            if let rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
        }

        func run() throws {
            let dead = try DeadLetterQueue(amqp: connection.amqpNodes(), queue: queue.queue)
            var options = DeadLetterQueue.ReplayOptions()
            options.limit = limit
            options.ratePerSecond = rate
            var lastProgress = ContinuousClock.now
            let report = dead.replay(select.selection, options: options) { replayed in
                guard ContinuousClock.now - lastProgress >= .seconds(1) else { return }
                lastProgress = .now
                print("replayed \(replayed) so far")
                fflush(nil)  // seen as it happens, also when the output goes to a file
            }
            for failure in report.failures {
                print("\(failure.messageID ?? "(no message id)"): not replayed: \(failure.reason)")
            }
            if let reason = report.abortReason { print("stopped: \(reason)") }
            let total = report.replayed + report.failures.count
            print("\(report.replayed) of \(total) replayed from \(queue.queue)")
            if !report.failures.isEmpty || report.abortReason != nil || (total == 0 && !select.all) {
                throw ExitCode.failure
            }
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove dead letters for good.",
            discussion: """
                Without --yes, only says how many it would remove (exit status 1). With --all, every message \
                ready in the queue; else those the message ids or filters take.
                """)

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var queue: QueueArgument
        @OptionGroup var select: Selection

        @Flag(help: "Really remove them.")
        var yes = false

        func run() throws {
            let dead = try DeadLetterQueue(amqp: connection.amqpNodes(), queue: queue.queue)
            guard yes else {
                let count = try dead.peek(select.selection, limit: Int.max).count
                print("would purge \(count) dead letter(s) from \(queue.queue); run again with --yes to remove them")
                throw ExitCode.failure
            }
            let purged = try dead.purge(select.selection)
            print("purged \(purged) dead letter(s) from \(queue.queue)")
        }
    }
}

/// `dead-letters show` for a message id the queue does not hold: exit status 1, naming both.
struct DeadLetterNotFound: Error, CustomStringConvertible {
    let queue: String
    let messageID: String
    var description: String { "no dead letter with message id \(messageID) in \(queue)" }
}
