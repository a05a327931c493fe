import ArgumentParser

/// Subcommands of SPEC 3.1 whose implementation has not landed yet: they say so and fail,
/// rather than pretend to work.
protocol PendingCommand: ParsableCommand {}

extension PendingCommand {
    func run() throws {
        throw ValidationError("'\(Self._commandName)' is not available in this version of orderflow yet")
    }
}

struct Rejects: PendingCommand {
    static let configuration = CommandConfiguration(abstract: "List, show and replay rejected messages.")
}

struct Status: PendingCommand {
    static let configuration = CommandConfiguration(abstract: "Queue depths, consumers, outbox backlog, rejects and last errors.")
}
