import Foundation

/// Polls `condition` until it holds; throws after `timeout` (scaled by `TestTime`). Checked once
/// more after the deadline: a test task starved by its neighbours on the cooperative pool wakes late.
public func waitUntil(
    timeout: Duration, poll: Duration = .milliseconds(50), _ condition: () async throws -> Bool
) async throws {
    let deadline = TestTime.deadline(after: timeout)
    while true {
        if try await condition() { return }
        guard ContinuousClock.now < deadline else { break }
        try await Task.sleep(for: poll)
    }
    throw TestFailure("condition not met within \(TestTime.scaled(timeout))")
}

/// Polls a count until it equals `expected`; throws after `timeout` (scaled by `TestTime`) saying
/// how far it got and how fast it was moving, so that a slow machine and a stuck worker read
/// differently: "… stayed at 192 of 200 after 60 s: 0 → 192, 12 in the last 5 s (2.4/s)".
@discardableResult
public func waitForCount(
    _ what: String, toBe expected: Int64, timeout: Duration, poll: Duration = .milliseconds(50),
    _ read: () async throws -> Int64
) async throws -> Int64 {
    let start = ContinuousClock.now
    let deadline = TestTime.deadline(after: timeout)
    var first: Int64?
    var recent: [(at: ContinuousClock.Instant, count: Int64)] = []
    while true {  // checked once more after the deadline: a starved test task wakes late
        let count = try await read()
        if count == expected { return count }
        let now = ContinuousClock.now
        first = first ?? count
        recent.append((now, count))
        recent.removeAll { now - $0.at > .seconds(5) }
        guard now < deadline else {
            let window = recent.first.map { (now - $0.at, count - $0.count) } ?? (.zero, 0)
            let seconds = Double(window.0.components.seconds) + Double(window.0.components.attoseconds) / 1e18
            let rate = seconds > 0 ? String(format: "%.1f/s", Double(window.1) / seconds) : "no rate"
            throw TestFailure(
                "\(what) stayed at \(count) of \(expected) after \(now - start) (time scale \(TestTime.scale)): "
                    + "\(first ?? count) → \(count), \(window.1) in the last \(window.0) (\(rate))")
        }
        try await Task.sleep(for: poll)
    }
}

/// Runs blocking work (starting a server of the test's own, waiting for a child process) on a
/// thread of its own. On the cooperative pool it would hold one of this machine's two threads for
/// seconds, and two such tests at once would stall every other test in the process.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
