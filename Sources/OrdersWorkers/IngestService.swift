public import AMQP
public import DaemonSupport
import Foundation
public import Logging
import LibPQ
import Metrics
import OrdersBroker
public import OrdersDomain
import OrdersStore
public import ServiceLifecycle

/// `orderflow worker`'s ingest loop: consume, normalise, store in batches, ack after commit.
///
/// Each turn takes what the consumer thread has buffered (up to `batchSize`; what arrives during
/// one write makes the next batch), normalises it on the cooperative pool, writes it in one
/// pipelined transaction on the database thread, and only then acks it with one `multiple` ack
/// per connection generation. Invalid messages are stored in `rejects` in the same transaction.
/// A database outage keeps the batch unacked and retries it with backoff: nothing is rejected,
/// nothing lost, and the prefetch window stops the broker from sending more meanwhile.
public final class IngestService: Service {
    private let amqp: AMQPConfiguration
    private let database: DatabaseExecutor
    private let options: IngestOptions
    private let normalizer: Normalizer
    private let store: OrderStore
    private let logger: Logger
    private let metrics = IngestMetrics()
    private let progress: IngestProgress
    /// Readiness, watchdog, status and stopping for systemd (IngestService+Systemd.swift).
    let systemd: ServiceNotifier

    public init(amqp: AMQPConfiguration, database: DatabaseExecutor, options: IngestOptions,
                normalizer: Normalizer = .standard, logger: Logger, progress: IngestProgress = IngestProgress(),
                systemd: ServiceNotifier = .disabled) {
        self.amqp = amqp
        self.database = database
        self.options = options
        store = OrderStore(eventHorizonSeconds: options.eventHorizon.components.seconds)
        self.normalizer = normalizer
        self.logger = logger
        self.progress = progress
        self.systemd = systemd
    }

    public func run() async throws {
        let consumption = QueueConsumption(amqp: amqp, queue: options.queue, prefetch: options.prefetch, reconnectDelay: options.reconnectDelay,
                                           topology: options.declareTopology ? Topology(deliveryLimit: options.deliveryLimit) : nil)
        let buffer = consumption.buffer
        logger.info("ingest worker starting", metadata: ["amqp.queue": "\(options.queue)", "amqp.broker": "\(amqp.redactedDescription)"])
        let progressLines = QueueConsumption.progressLines(every: options.progressInterval, logger: logger,
                                                           snapshot: { [progress] in [progress.stored, progress.rejected] }) { now, last, seconds in
            ["orders.stored": "\(now[0])", "orders.rejected": "\(now[1])",
             "orders.per_second": "\(Int(Double(now[0] + now[1] - last[0] - last[1]) / seconds))", "amqp.buffered": "\(buffer.count)"]
        }
        let statusLines: @Sendable () async -> Void = { [systemd, progress, options] in
            await IngestStatusReporter(systemd: systemd, progress: progress, queue: options.queue).run()
        }
        try await consumption.run(companions: [progressLines, statusLines]) {
            await self.ingestLoop(buffer: buffer, consumer: consumption.consumer)
        } onShutdown: {
            // What was delivered is still stored and acked (drain).
            self.systemd.stopping(status: "draining: storing and acking what was delivered")
            self.progress.beginDrain()
        }
        await database.close()
        logger.info("ingest worker stopped", metadata: ["orders.stored": "\(progress.stored)", "orders.rejected": "\(progress.rejected)"])
    }

    private func ingestLoop(buffer: DeliveryBuffer, consumer: AMQPConsumer) async {
        while true {
            loopTurned(consumer: consumer)
            if progress.isDraining {
                // Drained when nothing is buffered for a moment after basic.cancel, or out of time.
                if progress.drainExpired(after: options.drainTimeout) {
                    logger.warning("drain timeout: unacked messages go back to the queue")
                    return
                }
                if buffer.count == 0 {
                    try? await Task.sleep(for: .milliseconds(200))
                    if buffer.count == 0 { return }
                }
            } else {
                await buffer.waitForEvents(atMost: Self.turnInterval(systemd))
            }
            if buffer.isFinished { return }
            if buffer.count < options.batchSize && options.batchWindow > .zero { try? await Task.sleep(for: options.batchWindow) }
            let events = buffer.take(options.batchSize)
            var deliveries: [AMQPConsumer.Delivery] = []
            for event in events {
                switch event {
                case .delivery(let delivery): deliveries.append(delivery)
                case .consuming(let generation):
                    progress.markConsuming(generation: generation)
                    metrics.consumerActive.record(1)
                    logger.info("consuming", metadata: ["amqp.queue": "\(options.queue)", "amqp.generation": "\(generation)"])
                    // The broker has confirmed the consumer (basic.consume-ok): now, and only now, ready.
                    systemd.ready(status: "consuming \(options.queue)")
                    if generation > 1 { metrics.reconnects.increment() }
                case .disconnected(let error):
                    progress.markDisconnected()
                    metrics.consumerActive.record(0)
                    QueueConsumption.logDisconnect(error, logger: logger)
                case .cancelledByBroker:
                    logger.warning("broker cancelled the consumer; subscribing again", metadata: ["amqp.queue": "\(options.queue)"])
                }
            }
            guard !deliveries.isEmpty else { continue }
            await FaultInjection.wedgeIfReached(.wedge)
            await process(deliveries, consumer: consumer)
        }
    }

    /// Stores one batch (retrying through database outages) and acks it.
    ///
    /// A batch holding a redelivered message is stored one message at a time, in delivery order:
    /// a redelivery may follow a crash, and the message that caused it must be found without taking
    /// the messages around it down again (on RabbitMQ 3.x every return counts against a message's
    /// delivery limit). Each redelivered message's attempt is recorded before it is tried; after
    /// `crashTolerance` attempts that ended without a commit it is kept as a reject and acked.
    private func process(_ deliveries: [AMQPConsumer.Delivery], consumer: AMQPConsumer) async {
        metrics.delivered.increment(by: deliveries.count)
        metrics.redelivered.increment(by: deliveries.count { $0.message.redelivered })
        metrics.batchSize.record(deliveries.count)
        guard deliveries.contains(where: \.message.redelivered) else {
            await commitAndAck(deliveries, items: await normalizeConcurrently(deliveries), consumer: consumer)
            return
        }
        for delivery in deliveries {
            guard delivery.message.redelivered else {
                await commitAndAck([delivery], items: [Self.item(for: delivery.message, normalizer: normalizer)], consumer: consumer)
                continue
            }
            let messageID = Self.messageID(of: delivery.message)
            guard let attempts = await retryingDatabase({ [store] connection in try store.markSuspect(messageID, on: connection) }) else { return }
            let item: IngestItem
            if attempts > Self.crashTolerance {
                logger.error("message kept as a reject: earlier attempts to store it ended without a commit", metadata: [
                    "amqp.message_id": "\(messageID)", "attempts": "\(attempts - 1)",
                ])
                item = IngestItem(messageID: messageID, routingKey: delivery.message.routingKey, body: delivery.message.body, content: .reject(
                    reason: "\(attempts - 1) attempts to store this message ended without a commit (a worker crash or a hang); not tried again",
                    field: nil))
            } else {
                item = Self.item(for: delivery.message, normalizer: normalizer)
            }
            await commitAndAck([delivery], items: [item], clearingSuspects: [messageID], consumer: consumer)
        }
    }

    /// Attempts at a redelivered message that may end without a commit before it is set aside.
    static let crashTolerance = 2

    /// Writes the items in one transaction, retrying through database outages, then acks.
    private func commitAndAck(_ deliveries: [AMQPConsumer.Delivery], items: [IngestItem], clearingSuspects suspects: [String] = [],
                              consumer: AMQPConsumer) async {
        let written = await retryingDatabase { [self] connection in
            let elapsed = try ContinuousClock().measure { try write(items, clearingSuspects: suspects, on: connection) }
            metrics.transactionLatency.recordNanoseconds(elapsed.nanoseconds)
            return true
        }
        guard written == true else { return }  // out of drain time: unacked, the broker redelivers
        FaultInjection.reached(.afterCommit)
        // Only now, after COMMIT: one multiple-ack per connection generation in the batch.
        var newest: [UInt64: AMQPConsumer.Delivery] = [:]
        for delivery in deliveries where delivery.message.deliveryTag > (newest[delivery.generation]?.message.deliveryTag ?? 0) {
            newest[delivery.generation] = delivery
        }
        for delivery in newest.values { consumer.ack(delivery, multiple: true) }
        let rejected = items.count { if case .reject = $0.content { true } else { false } }
        metrics.stored.increment(by: items.count - rejected)
        metrics.rejected.increment(by: rejected)
        progress.record(stored: items.count - rejected, rejected: rejected)
    }

    /// Runs `body` on the database thread until it succeeds, backing off while the database is away.
    /// Returns nil when a drain runs out of time first.
    private func retryingDatabase<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async -> T? {
        var backoff = Backoff()
        while true {
            do {
                return try await database.run(body)
            } catch {
                metrics.databaseRetries.increment()
                let delay = backoff.delay()
                logger.warning("database unavailable; batch kept unacked, retrying", metadata: [
                    "pg.error": "\(error)", "retry.in_ms": "\(delay.nanoseconds / 1_000_000)",
                ])
                await sleepAlive(delay)
                if progress.isDraining && progress.drainExpired(after: options.drainTimeout) { return nil }
            }
        }
    }

    /// One transaction for the batch, on the database thread. A permanent database error (a value
    /// the schema refuses) must not block the queue: the batch is then written item by item and the
    /// refused items become rejects, each in its own transaction.
    private func write(_ items: [IngestItem], clearingSuspects suspects: [String], on connection: PostgresConnection) throws {
        do {
            if FaultInjection.isArmed(.beforeCommit) {
                // The same statements, with a crash point between them and COMMIT.
                try connection.transaction { connection in
                    try connection.pipeline(items.map(store.statement), transaction: false)
                    FaultInjection.reached(.beforeCommit)
                }
            } else {
                try store.write(items, clearingSuspects: suspects, on: connection)
            }
        } catch let error as PostgresError where !error.isTransient {
            logger.warning("batch refused by the database; isolating the offending messages", metadata: ["pg.error": "\(error)"])
            for item in items {
                do {
                    try store.writeAlone(item, on: connection)
                } catch {
                    guard !error.isTransient else { throw error }
                    let reject = IngestItem(messageID: item.messageID, routingKey: item.routingKey, body: item.body,
                                            content: .reject(reason: "refused by the database: \(error.description)", field: nil))
                    try store.writeAlone(reject, on: connection)
                }
            }
            for suspect in suspects { _ = try connection.execute("DELETE FROM ingest_suspects WHERE message_id = $1", [.text(suspect)]) }
        }
    }

    /// Normalisation is pure CPU work: split the batch over the cores.
    private func normalizeConcurrently(_ deliveries: [AMQPConsumer.Delivery]) async -> [IngestItem] {
        let normalizer = self.normalizer
        let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount, deliveries.count / 32))
        guard chunks > 1 else { return deliveries.map { Self.item(for: $0.message, normalizer: normalizer) } }
        let size = (deliveries.count + chunks - 1) / chunks
        return await withTaskGroup(of: (Int, [IngestItem]).self) { group in
            for chunk in 0..<chunks {
                let slice = Array(deliveries[(chunk * size)..<min(deliveries.count, (chunk + 1) * size)])
                group.addTask { (chunk, slice.map { Self.item(for: $0.message, normalizer: normalizer) }) }
            }
            var parts = [[IngestItem]](repeating: [], count: chunks)
            for await (index, items) in group { parts[index] = items }
            return parts.flatMap { $0 }
        }
    }

    /// Decides what to store for one message. Never throws: whatever is wrong with a message
    /// becomes a reject naming the field.
    static func messageID(of message: AMQPDelivery) -> String {
        message.properties.messageID.flatMap { $0.isEmpty ? nil : $0 } ?? derivedMessageID(routingKey: message.routingKey, body: message.body)
    }

    static func item(for message: AMQPDelivery, normalizer: Normalizer) -> IngestItem {
        let messageID = messageID(of: message)
        FaultInjection.crashIfPoison(message.body)
        let content: IngestItem.Content
        let parts = message.routingKey.split(separator: ".", maxSplits: 1).map(String.init)
        do {
            switch (parts.first, parts.count == 2 ? parts[1] : nil) {
            case ("order", let channel?): content = .order(try normalizer.normalizeOrder(channel: channel, body: message.body))
            case ("shipment", let source?): content = .shipment(try normalizer.normalizeShipment(source: source, body: message.body))
            default: content = .reject(reason: "unknown routing key '\(message.routingKey)': expected order.<channel> or shipment.<source>", field: nil)
            }
        } catch let error as NormalizationError {
            content = .reject(reason: error.description, field: error.field)
        } catch {
            content = .reject(reason: "\(error)", field: nil)
        }
        return IngestItem(messageID: messageID, routingKey: message.routingKey, body: message.body, content: content)
    }
}
