public import AMQP
public import Logging
import LibPQ
import Metrics
import OrdersBroker
import OrdersDomain
import OrdersStore
public import ServiceLifecycle
import Synchronization

/// Publishes the outbox to `orderflow.events`: claims a batch of unpublished events (a lease keeps
/// other relays off them), publishes them with confirms and `mandatory`, marks the confirmed ones
/// published and gives the rest back for the next attempt. Runs in every worker; the relays share
/// the outbox without publishing an event twice, except after a crash between publish and mark
/// (at-least-once; the event keeps its `eventId`, and `attempts` counts the tries).
public final class OutboxRelay: Service {
    public struct Options: Sendable {
        public var exchange = Topology.eventsExchange
        public var batchSize = 500
        /// How often an idle relay looks for new events.
        public var pollInterval: Duration = .milliseconds(250)
        public var declareTopology = true
        public var deliveryLimit: Int64 = 5
        public var progressInterval: Duration = .seconds(10)

        public init() {}
    }

    private let database: DatabaseExecutor
    private let publisher: PublisherExecutor
    private let options: Options
    private let store = OutboxStore()
    private let logger: Logger
    private let counts = Mutex((published: 0, failed: 0))
    private let metrics = RelayMetrics()

    public init(amqp: AMQPConfiguration, database: DatabaseExecutor, options: Options = Options(), logger: Logger) {
        self.database = database
        self.options = options
        self.logger = logger
        let topology = Topology(deliveryLimit: options.deliveryLimit)
        let declare = options.declareTopology
        publisher = PublisherExecutor(configuration: amqp, label: "relay") { connection throws(AMQPError) in
            if declare { try topology.declare(on: connection) }
        }
    }

    /// Events published so far by this relay.
    public var published: Int { counts.withLock { $0.published } }

    public func run() async throws {
        logger.info("outbox relay starting", metadata: ["amqp.exchange": "\(options.exchange)"])
        var backoff = Backoff()
        var lastReport = (at: ContinuousClock.now, published: 0)
        var lastBacklogReport = ContinuousClock.now - .seconds(5)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let pause: Duration?
            do {
                let batch = try await relayOnce()
                if batch.failed > 0 {
                    pause = backoff.delay()
                } else {
                    backoff.reset()
                    pause = batch.claimed < options.batchSize ? options.pollInterval : nil
                }
            } catch {
                let delay = backoff.delay()
                logger.warning("outbox relay: database unavailable; retrying", metadata: ["pg.error": "\(error)", "retry.in_ms": "\(delay.nanoseconds / 1_000_000)"])
                pause = delay
            }
            if ContinuousClock.now - lastBacklogReport >= .seconds(5) {
                lastBacklogReport = ContinuousClock.now
                if let backlog = try? await database.run({ [store] connection in try store.backlog(on: connection) }) {
                    metrics.backlog.record(backlog.count)
                    metrics.oldestAge.record(backlog.oldestAgeSeconds)
                }
            }
            if ContinuousClock.now - lastReport.at >= options.progressInterval {
                let now = published
                if now != lastReport.published {
                    logger.info("outbox relay progress", metadata: ["events.published": "\(now)", "events.failed": "\(counts.withLock { $0.failed })"])
                }
                lastReport = (ContinuousClock.now, now)
            }
            if let pause { try? await cancelWhenGracefulShutdown { [pause] in try await Task.sleep(for: pause) } }
        }
        await publisher.close()
        await database.close()
        logger.info("outbox relay stopped", metadata: ["events.published": "\(published)"])
    }

    /// One claim-publish-mark round. Returns how many events it claimed and how many went back.
    public func relayOnce() async throws -> (claimed: Int, failed: Int) {
        let (claimed, unreadable) = try await database.run { [store, options] connection in
            try store.claim(limit: options.batchSize, on: connection)
        }
        if !unreadable.isEmpty {
            logger.error("outbox entries without their order, voucher or parcel; left unpublished", metadata: ["outbox.ids": "\(unreadable)"])
        }
        guard !claimed.isEmpty else { return (0, 0) }
        let messages = claimed.map { entry in
            OutgoingMessage(exchange: options.exchange, routingKey: entry.event.kind.rawValue, body: entry.event.body,
                            properties: .persistentJSON(messageID: entry.event.eventId,
                                                        timestamp: UInt64(max(0, entry.event.occurredAt.epochMilliseconds / 1000))))
        }
        var confirmed: [Int64] = []
        var failed: [Int64] = []
        var failure = ""
        do {
            let result = try await publisher.publish(messages)
            for (entry, outcome) in zip(claimed, result.outcomes) {
                if outcome.isConfirmed { confirmed.append(entry.outboxID) } else { failed.append(entry.outboxID); failure = "\(outcome)" }
            }
            if let error = result.failure { failure = "\(error)" }
        } catch {
            failed = claimed.map(\.outboxID)
            failure = "\(error)"
        }
        if !failed.isEmpty {
            logger.warning("outbox relay: events not confirmed; they stay in the outbox", metadata: [
                "events.failed": "\(failed.count)", "amqp.error": "\(failure)",
            ])
        }
        if !confirmed.isEmpty { FaultInjection.reached(.afterPublish) }
        try await database.run { [store, confirmed, failed, failure] connection in
            try store.markPublished(confirmed, on: connection)
            try store.release(failed, error: failure, on: connection)
        }
        counts.withLock { $0.published += confirmed.count; $0.failed += failed.count }
        metrics.published.increment(by: confirmed.count)
        metrics.failed.increment(by: failed.count)
        return (claimed.count, failed.count)
    }
}

/// The relay's metrics; backlog and oldest age are the outbox's, whichever relay published.
struct RelayMetrics: Sendable {
    let published = Counter(label: "orderflow_outbox_published_total")
    let failed = Counter(label: "orderflow_outbox_failed_total")
    /// Unpublished events (alert: rising while workers run).
    let backlog = Gauge(label: "orderflow_outbox_backlog")
    /// Seconds since the oldest unpublished event was written (alert: above a minute).
    let oldestAge = Gauge(label: "orderflow_outbox_oldest_age_seconds")
}
