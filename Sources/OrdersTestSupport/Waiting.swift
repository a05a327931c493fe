/// Polls `condition` until it holds; throws after `timeout`. Checked once more after the
/// deadline: a test task starved by its neighbours on the cooperative pool wakes late.
public func waitUntil(timeout: Duration, poll: Duration = .milliseconds(50), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return }
        guard ContinuousClock.now < deadline else { break }
        try await Task.sleep(for: poll)
    }
    throw TestFailure("condition not met within \(timeout)")
}
