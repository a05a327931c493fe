import AMQP
import Foundation
import Logging
import Metrics
import OrdersDomain
import OrdersStore
import Resilience

/// The ingest worker's decisions: normalise a batch, store it in one transaction, and only then
/// let it be acked.
///
/// A database outage keeps the batch unacked and retries it with backoff: nothing is rejected,
/// nothing lost, and the prefetch window stops the broker from sending more meanwhile. Invalid
/// messages are stored as rejects in the same transaction.
///
/// A redelivered message comes alone (the loop isolates redeliveries): a redelivery may follow a
/// crash, and the message that caused it must be found without taking the messages around it down
/// again (on RabbitMQ 3.x every return counts against a message's delivery limit). Its attempt is
/// recorded before it is tried; after `crashTolerance` attempts that ended without a commit it is
/// kept as a reject and acked.
struct IngestHandler: DeliveryHandler {
    let store: any IngestStore
    let normalizer: Normalizer
    let counters: Counters<IngestCount>
    let troubles = Counters<DatabaseTrouble>()
    let retry: RetryPolicy
    let faults: FaultHooks
    let logger: Logger
    private let batchSize = Recorder(label: "orderflow_ingest_batch_size")
    private let transactionLatency = Timer(label: "orderflow_ingest_transaction_seconds")

    init(
        store: any IngestStore, normalizer: Normalizer, counters: Counters<IngestCount>, retry: RetryPolicy,
        faults: FaultHooks, logger: Logger
    ) {
        self.store = store
        self.normalizer = normalizer
        self.counters = counters
        self.retry = retry
        self.faults = faults
        self.logger = logger
    }

    /// Attempts at a redelivered message that may end without a commit before it is set aside.
    static let crashTolerance = 2

    func handle(_ batch: [AMQPConsumer.Delivery], in loop: ConsumerLoop) async -> HandledBatch {
        counters.add(.delivered, batch.count)
        counters.add(.redelivered, batch.count { $0.message.redelivered })
        batchSize.record(batch.count)
        await faults.wedge()
        if batch.count == 1, let delivery = batch.first, delivery.message.redelivered {
            return await handleRedelivery(delivery, in: loop)
        }
        return await commit(await normalizeConcurrently(batch), in: loop)
    }

    private func handleRedelivery(_ delivery: AMQPConsumer.Delivery, in loop: ConsumerLoop) async -> HandledBatch {
        let messageID = Self.messageID(of: delivery.message)
        guard let attempts = await retryingDatabase({ try await store.markSuspect(messageID) }, in: loop) else {
            return HandledBatch([.leave])
        }
        let item: IngestItem
        if attempts > Self.crashTolerance {
            logger.error(
                "message kept as a reject: earlier attempts to store it ended without a commit",
                metadata: [
                    "amqp.message_id": "\(messageID)", "attempts": "\(attempts - 1)",
                ])
            let reason =
                "\(attempts - 1) attempts to store this message ended without a commit (a worker crash or a hang); "
                + "not tried again"
            item = IngestItem(
                messageID: messageID, routingKey: delivery.message.routingKey, body: delivery.message.body,
                content: .reject(reason: reason, field: nil))
        } else {
            item = Self.item(for: delivery.message, normalizer: normalizer, faults: faults)
        }
        return await commit([item], clearingSuspects: [messageID], in: loop)
    }

    /// Writes the items in one transaction, retrying through database outages, and lets them be
    /// acked; counted as stored once the acks are queued. Left unacked when the drain ran out of
    /// time first (the broker redelivers them).
    private func commit(
        _ items: [IngestItem], clearingSuspects suspects: [String] = [], in loop: ConsumerLoop
    ) async
        -> HandledBatch
    {
        let beforeCommit = faults.hook(.beforeCommit)
        let outcome = await retryingDatabase(
            { [store, transactionLatency] in
                let start = ContinuousClock.now
                let refusal = try await store.store(items, clearingSuspects: suspects, beforeCommit: beforeCommit)
                transactionLatency.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
                return refusal
            }, in: loop)
        guard let refusal = outcome else { return HandledBatch(Array(repeating: .leave, count: items.count)) }
        if let refusal {
            logger.warning(
                "batch refused by the database; the offending messages were kept as rejects",
                metadata: ["pg.error": "\(refusal)"])
        }
        faults.reached(.afterCommit)
        let rejected = items.count { if case .reject = $0.content { true } else { false } }
        let notAddingUp = items.count {
            if case .order(let order) = $0.content { order.linesDiscrepancy != nil } else { false }
        }
        return HandledBatch(Array(repeating: .ack, count: items.count)) { [counters] in
            counters.add(.stored, items.count - rejected)
            counters.add(.rejected, rejected)
            counters.add(.linesNotAddingUp, notAddingUp)
        }
    }

    func close() async { await store.close() }

    /// Runs `operation` until it succeeds, backing off while the database is away or the batch
    /// lost a deadlock; nil when the loop must stop first.
    private func retryingDatabase<T>(_ operation: () async throws -> T, in loop: ConsumerLoop) async -> T? {
        await retry.run(
            operation,
            failed: { error, _, delay in
                let trouble = DatabaseTrouble(error)
                counters.add(.databaseRetries)
                troubles.add(trouble)
                logger.warning(
                    "\(trouble.words); batch kept unacked, retrying",
                    metadata: [
                        "pg.error": "\(error)", "retry.in_ms": "\(delay.milliseconds)",
                    ])
            }, stop: { _ in loop.mustStop }, pause: loop.pause)
    }

    /// Normalisation is pure CPU work: split the batch over the cores.
    private func normalizeConcurrently(_ deliveries: [AMQPConsumer.Delivery]) async -> [IngestItem] {
        let normalizer = self.normalizer, faults = self.faults
        let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount, deliveries.count / 32))
        guard chunks > 1 else {
            return deliveries.map { Self.item(for: $0.message, normalizer: normalizer, faults: faults) }
        }
        let size = (deliveries.count + chunks - 1) / chunks
        return await withTaskGroup(of: (Int, [IngestItem]).self) { group in
            for chunk in 0..<chunks {
                let slice = Array(deliveries[(chunk * size)..<min(deliveries.count, (chunk + 1) * size)])
                group.addTask {
                    (chunk, slice.map { Self.item(for: $0.message, normalizer: normalizer, faults: faults) })
                }
            }
            var parts = [[IngestItem]](repeating: [], count: chunks)
            for await (index, items) in group { parts[index] = items }
            return parts.flatMap { $0 }
        }
    }

    /// The message's own id, else one derived from its routing key and body (also for an id with a NUL byte,
    /// which the database cannot take).
    static func messageID(of message: AMQPReceivedMessage) -> String {
        message.properties.messageID.flatMap { $0.isEmpty || $0.utf8.contains(0) ? nil : $0 }
            ?? derivedMessageID(routingKey: message.routingKey, body: message.body)
    }

    /// Decides what to store for one message. Never throws: whatever is wrong with a message
    /// becomes a reject naming the field.
    static func item(for message: AMQPReceivedMessage, normalizer: Normalizer, faults: FaultHooks = .none) -> IngestItem
    {
        let messageID = messageID(of: message)
        faults.inspect(message.body)
        let content: IngestItem.Content
        let parts = message.routingKey.split(separator: ".", maxSplits: 1).map(String.init)
        do {
            switch (parts.first, parts.count == 2 ? parts[1] : nil) {
            case ("order", let channel?):
                content = .order(
                    try normalizer.normalizeOrder(channel: channel, body: message.body, receivedAt: .now()))
            case ("shipment", let source?):
                content = .shipment(try normalizer.normalizeShipment(source: source, body: message.body))
            default:
                content = .reject(
                    reason:
                        "unknown routing key '\(Text.escapingControlCharacters(message.routingKey))': "
                        + "expected order.<channel> or shipment.<source>",
                    field: nil)
            }
        } catch let error as NormalizationError {
            content = .reject(reason: error.description, field: error.field)
        } catch {
            content = .reject(reason: "\(error)", field: nil)
        }
        return IngestItem(messageID: messageID, routingKey: message.routingKey, body: message.body, content: content)
    }
}
