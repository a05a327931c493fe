import AMQP
import Logging
import OrdersBroker
import ServiceLifecycle

/// What the ingest worker and the notifier share around their own loops: a consumer thread that
/// declares the topology on every connect and feeds a buffer, companions beside the loop (progress
/// lines, systemd status), and the order of a graceful shutdown: stop consuming, let the loop
/// finish what it holds, then stop the consumer thread, which still sends the acks queued for it.
struct QueueConsumption: Sendable {
    let consumer: AMQPConsumer
    let buffer = DeliveryBuffer()

    /// `topology`: declared on every (re)connect, so a deleted queue comes back; nil declares nothing.
    init(amqp: AMQPConfiguration, queue: String, prefetch: UInt16, reconnectDelay: Duration, topology: Topology?) {
        var options = AMQPConsumer.Options(queue: queue, prefetch: prefetch) { connection in
            if let topology { try topology.declare(on: connection) }
        }
        options.initialBackoff = reconnectDelay
        consumer = AMQPConsumer(configuration: amqp, options: options)
    }

    /// Runs `loop` until it returns. On graceful shutdown: stops new deliveries, calls `onShutdown`
    /// and wakes the loop, which then finishes what it holds and returns. Throws the broker's
    /// refusal when the consumer gave up for good (a refused login, a bad URL): retrying cannot
    /// cure that, and the process must fail with the reason, not end as if it were done.
    func run(companions: [@Sendable () async -> Void], loop: () async -> Void,
             onShutdown: @escaping @Sendable () -> Void) async throws {
        consumer.start()
        // The pump's result: the refusal that ended the consumer, if one did.
        let refusal = try await withThrowingTaskGroup(of: AMQPError?.self) { group in
            group.addTask { [consumer, buffer] in
                var refusal: AMQPError?
                for await event in consumer.events {
                    if case .disconnected(let error) = event, !error.isRecoverable { refusal = error }
                    buffer.append(event)
                }
                buffer.finish()
                return refusal
            }
            for companion in companions { group.addTask { await companion(); return nil } }
            await withGracefulShutdownHandler {
                await loop()
            } onGracefulShutdown: { [consumer, buffer] in
                consumer.stopConsuming()
                onShutdown()
                buffer.interrupt()
            }
            consumer.stop()
            group.cancelAll()  // ends the companions; the consumer thread still sends its queued acks
            var refusal: AMQPError?
            for try await result in group where result != nil { refusal = result }
            return refusal
        }
        if let refusal { throw refusal }
    }

    /// The log line for a lost connection: a refusal ends the consumer, anything else is retried.
    static func logDisconnect(_ error: AMQPError, logger: Logger) {
        if error.isRecoverable {
            logger.warning("broker connection lost; reconnecting", metadata: ["amqp.error": "\(error)"])
        } else {
            logger.error("the broker refused this worker; not retrying (check the URL and credential)", metadata: ["amqp.error": "\(error)"])
        }
    }

    /// A companion that logs a progress line every `interval` while `snapshot` changes;
    /// `metadata(now, last, seconds)` describes the change.
    static func progressLines<Snapshot: Equatable & Sendable>(
        every interval: Duration, logger: Logger, snapshot: @escaping @Sendable () -> Snapshot,
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
