import Foundation

/// How long tests may wait. On a loaded machine everything takes longer, and a wait that would
/// pass with a few more seconds is not a failure of the code under test: `ORDERFLOW_TEST_TIME_SCALE`
/// (default 1) multiplies every timeout of the suite, deadlines of waits and test time limits.
public enum TestTime {
    public static let scale: Double = {
        guard let text = ProcessInfo.processInfo.environment["ORDERFLOW_TEST_TIME_SCALE"], !text.isEmpty else {
            return 1
        }
        guard let value = Double(text), value >= 1, value <= 100 else {
            fatalError("ORDERFLOW_TEST_TIME_SCALE=\(text): expected a number from 1 to 100")
        }
        return value
    }()

    public static func scaled(_ timeout: Duration) -> Duration { timeout * scale }

    /// The instant a wait of nominally `timeout` gives up.
    public static func deadline(after timeout: Duration) -> ContinuousClock.Instant { .now + scaled(timeout) }

    /// Whole minutes for a `.timeLimit` trait, scaled.
    public static func minutes(_ minutes: Int) -> Int { Int((Double(minutes) * scale).rounded(.up)) }
}
