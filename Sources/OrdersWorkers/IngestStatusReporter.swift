import DaemonSupport

/// Keeps systemd's `STATUS=` line (what `systemctl status` shows) up to date with the worker's
/// state and throughput over the last interval.
struct IngestStatusReporter: Sendable {
    let systemd: ServiceNotifier
    let progress: IngestProgress
    let queue: String
    var interval: Duration = .seconds(5)

    func run() async {
        guard systemd.isEnabled else { return }
        var last = progress.stored + progress.rejected
        while !Task.isCancelled {
            guard (try? await Task.sleep(for: interval)) != nil else { return }
            let now = progress.stored + progress.rejected
            systemd.status(Self.line(queue: queue, progress: progress, perSecond: Double(now - last) / interval.seconds))
            last = now
        }
    }

    static func line(queue: String, progress: IngestProgress, perSecond: Double) -> String {
        let state = progress.isDraining ? "draining" : progress.isConsuming ? "consuming \(queue)" : "connecting to the broker"
        return "\(state): \(progress.stored) stored, \(progress.rejected) rejected, \(Int(perSecond.rounded())) orders/s"
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
