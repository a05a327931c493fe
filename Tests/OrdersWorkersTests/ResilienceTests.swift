import Resilience
import Synchronization
import Testing

/// The one backoff, the retry policy and the confined executor the services share.
@Suite("Resilience")
struct ResilienceTests {
    @Test func backoffDoublesWithJitterUpToTheMaximumAndResets() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .milliseconds(400))
        let delays = (0..<5).map { _ in backoff.delay() }
        let expected: [Duration] = [
            .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(400), .milliseconds(400),
        ]
        for (delay, base) in zip(delays, expected) {
            #expect(delay >= base * 0.8 && delay <= base * 1.2, "\(delay) vs \(base)")
        }
        backoff.reset()
        #expect(backoff.delay() <= .milliseconds(120))
    }

    private struct Failure: Error {}

    @Test func retryRunsUntilSuccessReportingEachFailure() async {
        let attempts = Mutex(0)
        var reported: [Int] = []
        let value = await RetryPolicy(initialDelay: .milliseconds(1), maximumDelay: .milliseconds(2)).run(
            {
                let attempt = attempts.withLock {
                    $0 += 1; return $0
                }
                if attempt < 3 { throw Failure() }
                return "done"
            }, failed: { _, attempt, _ in reported.append(attempt) }, pause: { try? await Task.sleep(for: $0) })
        #expect(value == "done")
        #expect(reported == [1, 2])
    }

    @Test func retryGivesUpWhenTold() async {
        var paused = 0
        let value: Int? = await RetryPolicy().run(
            { throw Failure() }, failed: { _, _, _ in },
            stop: { attempt in attempt >= 2 }, pause: { _ in paused += 1 })
        #expect(value == nil)
        #expect(paused == 1, "one pause between the two attempts, none after giving up")
    }

    /// A handle that counts how it was opened and closed.
    private final class Handle: @unchecked Sendable {
        let number: Int
        init(_ number: Int) { self.number = number }
    }

    @Test func theExecutorOpensLazilyAndReplacesABrokenHandle() async throws {
        let opened = Mutex(0)
        let closed = Mutex<[(Int, Bool)]>([])
        let executor = ConfinedExecutor<Handle>(
            label: "test",
            open: {
                Handle(
                    opened.withLock {
                        $0 += 1; return $0
                    })
            }, close: { handle, broken in closed.withLock { $0.append((handle.number, broken)) } })
        #expect(opened.withLock { $0 } == 0)
        #expect(try await executor.run { $0.number } == 1)
        #expect(try await executor.run { $0.number } == 1, "kept between calls")
        #expect(try await executor.run(brokenIf: { $0 == 1 }) { $0.number } == 1)
        #expect(try await executor.run { $0.number } == 2, "a broken handle is replaced")
        await executor.close()
        #expect(closed.withLock { $0.map(\.0) } == [1, 2] && closed.withLock { $0.map(\.1) } == [true, false])
    }

    @Test func theExecutorRenewsAHandleIdleTooLong() async throws {
        let opened = Mutex(0)
        let executor = ConfinedExecutor<Handle>(
            label: "test", maximumIdle: .milliseconds(50),
            open: {
                Handle(
                    opened.withLock {
                        $0 += 1; return $0
                    })
            }, close: { _, _ in })
        #expect(try await executor.run { $0.number } == 1)
        try await Task.sleep(for: .milliseconds(120))
        #expect(try await executor.run { $0.number } == 2)
    }
}
