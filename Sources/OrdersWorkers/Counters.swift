import Metrics
import Synchronization

/// A count a service keeps, and the metric it is exported as.
public protocol CounterKey: Hashable, CaseIterable, Sendable {
    /// The Prometheus name and its fixed dimensions; a bounded `result` dimension tells outcomes apart.
    var metric: (label: String, dimensions: [(String, String)]) { get }
}

/// The one place a service counts what it did: each `add` updates both the number the progress
/// lines and systemd status read and the exported metric, so the two cannot drift apart.
public final class Counters<Key: CounterKey>: Sendable {
    private let values = Mutex<[Key: Int]>([:])
    private let metrics: [Key: Counter]

    /// Creates the metrics: call after the metrics system is bootstrapped.
    public init() {
        var metrics: [Key: Counter] = [:]
        for key in Key.allCases { metrics[key] = Counter(label: key.metric.label, dimensions: key.metric.dimensions) }
        self.metrics = metrics
    }

    public func add(_ key: Key, _ amount: Int = 1) {
        guard amount > 0 else { return }
        values.withLock { $0[key, default: 0] += amount }
        metrics[key]?.increment(by: amount)
    }

    public subscript(_ key: Key) -> Int { values.withLock { $0[key] ?? 0 } }

    /// All counts at one instant (for progress lines that compare two snapshots).
    public func snapshot() -> [Key: Int] { values.withLock { $0 } }
}
