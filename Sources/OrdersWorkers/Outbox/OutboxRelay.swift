public import AMQP
public import Logging
import LibPQ
import Metrics
import OrdersBroker
import OrdersDomain
import OrdersStore
import Synchronization
public import ServiceLifecycle
public import Resilience

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

    private let outbox: any OutboxQueue
    private let publisher: any EventPublisher
    private let options: Options
    private let logger: Logger
    private let faults: FaultHooks
    /// What this relay published and gave back (also exported as metrics).
    public let counters = Counters<RelayCount>()
    private let troubles = Counters<DatabaseTrouble>()
    /// Unpublished events (alert: rising while workers run).
    private let backlog = Gauge(label: "orderflow_outbox_backlog")
    /// Seconds since the oldest unpublished event was written (alert: above a minute).
    private let oldestAge = Gauge(label: "orderflow_outbox_oldest_age_seconds")

    public init(
        outbox: any OutboxQueue, publisher: any EventPublisher, options: Options = Options(), logger: Logger,
        faults: FaultHooks = .none
    ) {
        self.outbox = outbox
        self.publisher = publisher
        self.options = options
        self.logger = logger
        self.faults = faults
    }

    /// The production wiring: PostgreSQL's outbox and a confirmed publisher that declares the topology.
    public convenience init(
        amqp: AMQPNodes, database: DatabaseExecutor, options: Options = Options(), logger: Logger,
        faults: FaultHooks = .none
    ) {
        let topology = Topology(deliveryLimit: options.deliveryLimit)
        let declare = options.declareTopology
        let lastNode = LastNode()
        let publisher = AMQPEventPublisher(
            nodes: amqp, label: "relay",
            prepare: { connection throws(AMQPError) in
                if declare { try topology.declare(on: connection) }
            },
            connected: { node in
                // The connection is renewed after 10 s idle: a line only when the node changes.
                if lastNode.swap(node) != node {
                    logger.info("relay publishing to the broker", metadata: ["amqp.node": "\(node)"])
                }
            })
        self.init(
            outbox: PostgresOutboxQueue(database: database), publisher: publisher, options: options, logger: logger,
            faults: faults)
    }

    /// Events published so far by this relay.
    public var published: Int { counters[.published] }

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
                let trouble = DatabaseTrouble(error)
                troubles.add(trouble)
                logger.warning(
                    "outbox relay: \(trouble.words); retrying",
                    metadata: ["pg.error": "\(error)", "retry.in_ms": "\(delay.milliseconds)"])
                pause = delay
            }
            if ContinuousClock.now - lastBacklogReport >= .seconds(5) {
                lastBacklogReport = ContinuousClock.now
                if let now = try? await outbox.backlog() {
                    backlog.record(now.count)
                    oldestAge.record(now.oldestAgeSeconds)
                }
            }
            if ContinuousClock.now - lastReport.at >= options.progressInterval {
                let now = published
                if now != lastReport.published {
                    logger.info(
                        "outbox relay progress",
                        metadata: ["events.published": "\(now)", "events.failed": "\(counters[.failed])"])
                }
                lastReport = (ContinuousClock.now, now)
            }
            if let pause { try? await cancelWhenGracefulShutdown { [pause] in try await Task.sleep(for: pause) } }
        }
        await publisher.close()
        await outbox.close()
        logger.info("outbox relay stopped", metadata: ["events.published": "\(published)"])
    }

    /// One claim-publish-mark round. Returns how many events it claimed and how many went back.
    public func relayOnce() async throws -> (claimed: Int, failed: Int) {
        let (claimed, unreadable) = try await outbox.claim(limit: options.batchSize)
        if !unreadable.isEmpty {
            logger.error(
                "outbox entries without their order, voucher or parcel; left unpublished",
                metadata: ["outbox.ids": "\(unreadable)"])
        }
        guard !claimed.isEmpty else { return (0, 0) }
        let messages = claimed.map { entry in
            OutgoingMessage(
                exchange: options.exchange, routingKey: entry.event.kind.rawValue, body: entry.event.body,
                properties: .persistentJSON(
                    messageID: entry.event.eventId,
                    timestamp: UInt64(max(0, entry.event.occurredAt.epochMilliseconds / 1000))))
        }
        var confirmed: [Int64] = []
        var failed: [Int64] = []
        var failure = ""
        do {
            let result = try await publisher.publish(messages)
            for (entry, outcome) in zip(claimed, result.outcomes) {
                if outcome.isConfirmed {
                    confirmed.append(entry.outboxID)
                } else {
                    failed.append(entry.outboxID); failure = "\(outcome)"
                }
            }
            if let error = result.failure { failure = "\(error)" }
        } catch {
            failed = claimed.map(\.outboxID)
            failure = "\(error)"
        }
        if !failed.isEmpty {
            logger.warning(
                "outbox relay: events not confirmed; they stay in the outbox",
                metadata: [
                    "events.failed": "\(failed.count)", "amqp.error": "\(failure)",
                ])
        }
        if !confirmed.isEmpty { faults.reached(.afterPublish) }
        try await outbox.settle(published: confirmed, failed: failed, error: failure)
        counters.add(.published, confirmed.count)
        counters.add(.failed, failed.count)
        return (claimed.count, failed.count)
    }
}

/// What the relay counts; each count is also a metric.
public enum RelayCount: CounterKey {
    case published, failed

    public var metric: (label: String, dimensions: [(String, String)]) {
        switch self {
        case .published: ("orderflow_outbox_published_total", [])
        case .failed: ("orderflow_outbox_failed_total", [])
        }
    }
}

/// The broker node the relay published to last, so that a reconnect to the same node is not logged.
private final class LastNode: Sendable {
    private let node = Mutex<String?>(nil)

    /// Stores `node` and returns the one before.
    func swap(_ new: String) -> String? {
        node.withLock { old in
            defer { old = new }; return old
        }
    }
}
