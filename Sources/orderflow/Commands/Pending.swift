import ArgumentParser

/// Subcommands of SPEC 3.1 whose implementation has not landed yet: they say so and fail,
/// rather than pretend to work.
protocol PendingCommand: ParsableCommand {}

extension PendingCommand {
    func run() throws {
        throw ValidationError("'\(Self._commandName)' is not available in this version of orderflow yet")
    }
}

struct Notifier: PendingCommand {
    static let configuration = CommandConfiguration(abstract: "Send shipment and apology emails for events, once per event.")
}

struct Render: PendingCommand {
    static let configuration = CommandConfiguration(abstract: "Print the email the notifier would send for an event.")
}

struct Rejects: PendingCommand {
    static let configuration = CommandConfiguration(abstract: "List, show and replay rejected messages.")
}

struct Status: PendingCommand {
    static let configuration = CommandConfiguration(abstract: "Queue depths, consumers, outbox backlog, rejects and last errors.")
}
