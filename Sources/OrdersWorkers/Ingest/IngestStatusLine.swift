import DaemonSupport
import Resilience

/// Keeps systemd's `STATUS=` line (what `systemctl status` shows) up to date with the worker's
/// state and throughput over the last interval.
struct IngestStatusLine: Sendable {
    let systemd: SystemdNotifier
    let counters: Counters<IngestCount>
    let status: ConsumerStatus
    let queue: String
    var interval: Duration = .seconds(5)

    @Sendable func run() async {
        guard systemd.isEnabled else { return }
        var last = counters[.stored] + counters[.rejected]
        while !Task.isCancelled {
            guard (try? await Task.sleep(for: interval)) != nil else { return }
            let now = counters[.stored] + counters[.rejected]
            systemd.status(line(perSecond: Double(now - last) / interval.seconds))
            last = now
        }
    }

    func line(perSecond: Double) -> String {
        let state =
            status.isStopping ? "draining" : status.isConsuming ? "consuming \(queue)" : "connecting to the broker"
        return
            "\(state): \(counters[.stored]) stored, \(counters[.rejected]) rejected, \(Int(perSecond.rounded())) "
            + "orders/s"
    }
}
