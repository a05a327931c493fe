import Foundation

/// Polls `condition` until it holds; throws after `timeout`. Checked once more after the
/// deadline: a test task starved by its neighbours on the cooperative pool wakes late.
public func waitUntil(
    timeout: Duration, poll: Duration = .milliseconds(50), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return }
        guard ContinuousClock.now < deadline else { break }
        try await Task.sleep(for: poll)
    }
    throw TestFailure("condition not met within \(timeout)")
}

/// Runs blocking work (starting a server of the test's own, waiting for a child process) on a
/// thread of its own. On the cooperative pool it would hold one of this machine's two threads for
/// seconds, and two such tests at once would stall every other test in the process.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
