import AMQP
import DaemonSupport

extension IngestService {
    /// Called on every turn of the ingest loop (and between retries while the database is down):
    /// pings systemd's watchdog, but only while the consumer thread, which owns the broker
    /// connection, is turning too. A wedged loop or a wedged consumer thread stops the pings, and
    /// systemd restarts the worker.
    func loopTurned(consumer: AMQPConsumer) {
        if let interval = systemd.watchdogInterval, let idle = consumer.millisecondsSinceLastLoop,
           idle > interval.nanoseconds / 1_000_000 {
            return
        }
        systemd.loopTurned()
    }

    /// Sleeps `duration` in slices short enough to keep the watchdog fed: waiting on purpose
    /// (a database outage's backoff) is not being stuck.
    func sleepAlive(_ duration: Duration) async {
        let slice = Self.turnInterval(systemd)
        var remaining = duration
        while remaining > .zero, !Task.isCancelled {
            let step = min(slice, remaining)
            try? await Task.sleep(for: step)
            remaining -= step
            systemd.loopTurned()
        }
    }

    /// The longest an idle loop waits before turning: a quarter of the ping interval, at most a second.
    static func turnInterval(_ systemd: ServiceNotifier) -> Duration {
        min(.seconds(1), (systemd.watchdogInterval ?? .seconds(4)) / 4)
    }
}
