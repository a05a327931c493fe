import Logging
import Resilience

/// A companion of a consuming loop that logs a progress line every `interval` while a snapshot of
/// the service's counters changes (a long run shows it is moving; an idle one stays quiet).
enum ProgressLines {
    /// `metadata(now, last, seconds)` describes the change since the last line.
    static func every<Snapshot: Equatable & Sendable>(
        _ interval: Duration, logger: Logger, snapshot: @escaping @Sendable () -> Snapshot,
        metadata: @escaping @Sendable (_ now: Snapshot, _ last: Snapshot, _ seconds: Double) -> Logger.Metadata
    ) -> @Sendable () async -> Void {
        {
            var last = snapshot()
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                let now = snapshot()
                guard now != last else { continue }
                logger.info("progress", metadata: metadata(now, last, max(interval.seconds, 1)))
                last = now
            }
        }
    }
}
