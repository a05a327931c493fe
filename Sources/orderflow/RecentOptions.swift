import ArgumentParser

/// `--since HOURS`, for every command that narrows to recent rows or messages (what "recent" means —
/// received, sent, placed, dead-lettered — each command's description says).
struct SinceOption: ParsableArguments {
    @Option(help: ArgumentHelp("Only those of the last N hours.", valueName: "hours"))
    var since: Int?

    func validate() throws {
        if let since, since <= 0 { throw ValidationError("--since must be positive") }
    }
}

/// `--since HOURS` and `--limit N` of the lists.
struct RecentOptions: ParsableArguments {
    @OptionGroup var window: SinceOption

    @Option(help: ArgumentHelp("Show at most this many.", valueName: "n"))
    var limit = 50

    var since: Int? { window.since }

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
    }
}
