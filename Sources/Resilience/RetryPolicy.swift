/// How a call that failed for a passing reason (a database or broker away) is tried again: with
/// the one `Backoff`, until it succeeds or the caller says to stop. The waiting itself is the
/// caller's (`pause`), so a service can keep its watchdog fed and wake early on shutdown.
public struct RetryPolicy: Sendable {
    public var initialDelay: Duration
    public var maximumDelay: Duration

    public init(initialDelay: Duration = .milliseconds(250), maximumDelay: Duration = .seconds(30)) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    public func backoff() -> Backoff { Backoff(initial: initialDelay, maximum: maximumDelay) }

    /// Runs `operation` until it returns. After each failure: `failed(error, attempt, delay)` (to
    /// log and count it), then nil if `stop(attempt)` says so, else `pause(delay)` and another attempt.
    public func run<T>(
        _ operation: () async throws -> T,
        failed: (_ error: any Error, _ attempt: Int, _ delay: Duration) -> Void,
        stop: (_ attempt: Int) -> Bool = { _ in false },
        pause: (Duration) async -> Void
    ) async -> T? {
        var backoff = backoff()
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await operation()
            } catch {
                let delay = backoff.delay()
                failed(error, attempt, delay)
                if stop(attempt) { return nil }
                await pause(delay)
                if stop(attempt) { return nil }
            }
        }
    }
}
