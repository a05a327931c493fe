public import AMQP
public import DaemonSupport
import Foundation
public import Logging
import LibPQ
import Metrics
public import MailTransport
import OrdersBroker
import OrdersDomain
public import OrdersMail
import OrdersStore
public import ServiceLifecycle

/// `orderflow notifier`: consumes `orderflow.notifier` and sends one email per event.
///
/// For each event, in order: claim it in the `emails` ledger (see `EmailLedger`), send it, record
/// the outcome with the server's reply, and only then ack. An event already settled is acked
/// without sending. Temporary failures (4xx, connection, database) keep the message unacked and
/// are retried with backoff; a 5xx settles the email as failed and moves on; an event without a
/// usable address is settled as skipped; an event that cannot be decoded is dead-lettered.
///
/// The one window that cannot be closed: the server accepted the email and the process died before
/// the ledger said so. The message is then redelivered and the email sent again, with the same
/// Message-ID (`<event id@domain>`), which lets mail systems fold the duplicate.
///
/// Threads: the AMQP connection is the consumer thread's, the libpq connection the database
/// executor's queue, the libcurl handle the transport's queue; this loop only awaits them.
public final class NotifierService: Service {
    private let amqp: AMQPConfiguration
    private let database: DatabaseExecutor
    private let transport: any MailTransport
    private let composer: EmailComposer
    private let options: NotifierOptions
    private let logger: Logger
    private let progress: NotifierProgress
    private let ledger = EmailLedger()
    private let metrics = NotifierMetrics()
    /// READY once the consumer is registered, WATCHDOG from the loop and from every wait, STOPPING.
    private let systemd: ServiceNotifier

    public init(amqp: AMQPConfiguration, database: DatabaseExecutor, transport: any MailTransport, composer: EmailComposer,
                options: NotifierOptions, logger: Logger, progress: NotifierProgress = NotifierProgress(),
                systemd: ServiceNotifier = .disabled) {
        self.amqp = amqp
        self.database = database
        self.transport = transport
        self.composer = composer
        self.options = options
        self.logger = logger
        self.progress = progress
        self.systemd = systemd
    }

    public func run() async throws {
        let consumption = QueueConsumption(amqp: amqp, queue: options.queue, prefetch: options.prefetch, reconnectDelay: options.reconnectDelay,
                                           topology: options.declareTopology ? Topology(deliveryLimit: options.deliveryLimit) : nil)
        let buffer = consumption.buffer
        logger.info("notifier starting", metadata: ["amqp.queue": "\(options.queue)", "amqp.broker": "\(amqp.redactedDescription)"])
        let progressLines = QueueConsumption.progressLines(every: options.progressInterval, logger: logger,
                                                           snapshot: { [progress] in progress.counts }) { now, last, seconds in
            ["emails.sent": "\(now.sent)", "emails.failed": "\(now.failed)", "emails.skipped": "\(now.skipped)",
             "emails.duplicates": "\(now.duplicates)", "events.invalid": "\(now.invalid)", "retries": "\(now.retries)",
             "emails.per_second": "\(String(format: "%.1f", Double(now.handled - last.handled) / seconds))",
             "amqp.buffered": "\(buffer.count)"]
        }
        try await consumption.run(companions: [progressLines]) {
            await self.loop(buffer: buffer, consumer: consumption.consumer)
        } onShutdown: {
            // Finish the email in hand; everything else stays unacked and goes back to the queue.
            self.systemd.stopping(status: "finishing the email in hand")
            self.progress.beginShutdown()
        }
        await transport.close()
        await database.close()
        let counts = progress.counts
        logger.info("notifier stopped", metadata: [
            "emails.sent": "\(counts.sent)", "emails.failed": "\(counts.failed)", "emails.skipped": "\(counts.skipped)",
            "emails.duplicates": "\(counts.duplicates)",
        ])
    }

    private func loop(buffer: DeliveryBuffer, consumer: AMQPConsumer) async {
        while !progress.isShuttingDown {
            systemd.loopTurned()
            // A short poll rather than an unbounded wait, so a shutdown that begins between the
            // check and the wait is still noticed.
            if buffer.count == 0 {
                if buffer.isFinished { return }
                try? await Task.sleep(for: .milliseconds(20))
                continue
            }
            for event in buffer.take(1) {
                switch event {
                case .delivery(let delivery): await handle(delivery, consumer: consumer)
                case .consuming(let generation):
                    progress.markConsuming(true)
                    logger.info("consuming", metadata: ["amqp.queue": "\(options.queue)", "amqp.generation": "\(generation)"])
                    systemd.ready(status: "consuming \(options.queue)")
                case .disconnected(let error):
                    progress.markConsuming(false)
                    QueueConsumption.logDisconnect(error, logger: logger)
                case .cancelledByBroker:
                    progress.markConsuming(false)
                    logger.warning("broker cancelled the consumer; subscribing again", metadata: ["amqp.queue": "\(options.queue)"])
                }
            }
        }
    }

    // MARK: one event

    private func handle(_ delivery: AMQPConsumer.Delivery, consumer: AMQPConsumer) async {
        let event: OrderEvent
        do {
            event = try OrderEvent.decode(delivery.message.body)
        } catch {
            logger.warning("not a usable event; dead-lettered", metadata: [
                "event.error": "\(error)", "amqp.message_id": "\(delivery.message.properties.messageID ?? "-")",
            ])
            consumer.reject(delivery, requeue: false)
            record { $0.invalid += 1 }
            metrics.invalid.increment()
            return
        }
        let metadata: Logger.Metadata = ["event.id": "\(event.eventId)", "event.type": "\(event.kind.rawValue)"]
        let message: EmailMessage?
        do {
            message = try composer.message(for: event)
        } catch {
            await skip(event, reason: "not sent: \(error)", delivery: delivery, consumer: consumer, metadata: metadata)
            return
        }
        guard let message else {
            await skip(event, reason: "no usable recipient address", delivery: delivery, consumer: consumer, metadata: metadata)
            return
        }
        let entry = EmailLedger.Entry(eventID: event.eventId, eventType: event.kind.rawValue, recipient: message.to.address,
                                      subject: message.subject, messageID: message.messageID)
        guard let attempt = await claim(entry, delivery: delivery, consumer: consumer, metadata: metadata) else { return }
        if attempt > 1 { logger.info("sending again after an interrupted attempt", metadata: metadata.merging(["email.attempt": "\(attempt)"]) { $1 }) }
        await send(message, delivery: delivery, consumer: consumer, metadata: metadata)
    }

    /// Claims the event; nil when it must not be sent now (settled before: acked; shutting down: left).
    private func claim(_ entry: EmailLedger.Entry, delivery: AMQPConsumer.Delivery, consumer: AMQPConsumer,
                       metadata: Logger.Metadata) async -> Int? {
        let ledger = self.ledger
        var backoff = Backoff(initial: options.retryInitialDelay, maximum: options.retryMaximumDelay)
        var heldElsewhere = 0
        while !progress.isShuttingDown {
            do {
                switch try await database.run({ try ledger.claim(entry, on: $0) }) {
                case .claimed(let attempt):
                    return attempt
                case .settled(let status):
                    logger.debug("already settled; acknowledged without sending", metadata: metadata.merging(["email.status": "\(status)"]) { $1 })
                    consumer.ack(delivery)
                    record { $0.duplicates += 1 }
                    metrics.duplicates.increment()
                    return nil
                case .heldElsewhere:
                    // Another notifier is sending this very event; wait for its outcome, but not
                    // forever: a stuck holder must not hold up this queue.
                    heldElsewhere += 1
                    logger.debug("event held by another notifier; waiting", metadata: metadata)
                    if heldElsewhere >= options.sendAttemptsPerDelivery {
                        logger.warning("event held by another notifier for long; message goes back to the queue", metadata: metadata)
                        consumer.nack(delivery, requeue: true)
                        return nil
                    }
                }
            } catch {
                logger.warning("database unavailable; email kept unacked, retrying", metadata: metadata.merging(["pg.error": "\(error)"]) { $1 })
                record { $0.retries += 1 }
                metrics.retries.increment()
            }
            await pause(backoff.delay())
        }
        return nil
    }

    private func send(_ message: EmailMessage, delivery: AMQPConsumer.Delivery, consumer: AMQPConsumer, metadata: Logger.Metadata) async {
        let ledger = self.ledger
        let eventID = message.eventID
        var backoff = Backoff(initial: options.retryInitialDelay, maximum: options.retryMaximumDelay)
        var attempt = 0
        while true {
            attempt += 1
            let start = ContinuousClock.now
            let outcome = await transport.deliver(message)
            metrics.sendLatency.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
            switch outcome {
            case .accepted(let reply):
                FaultInjection.reached(.afterSMTPAccept)
                guard await settle(metadata, { try ledger.markSent(eventID, reply: reply, on: $0) }) else { return }
                consumer.ack(delivery)
                record { $0.sent += 1 }
                metrics.sent.increment()
                return
            case .rejected(let reply):
                logger.warning("refused by the mail server; recorded as failed", metadata: metadata.merging(["smtp.reply": "\(reply)"]) { $1 })
                guard await settle(metadata, { try ledger.markFailed(eventID, reply: reply, on: $0) }) else { return }
                consumer.ack(delivery)
                record { $0.failed += 1 }
                metrics.failed.increment()
                return
            case .deferred(let reason):
                record { $0.retries += 1 }
                metrics.retries.increment()
                _ = try? await database.run { try ledger.noteDeferral(eventID, reason: reason, on: $0) }
                // Only a server that answers 4xx rotates the message: with the server down or
                // unreachable no email can go out, and rotating would only use up its deliveries.
                let givingUp = attempt >= options.sendAttemptsPerDelivery && outcome.isTemporaryReply
                logger.warning(givingUp ? "mail server unavailable; message goes back to the queue" : "mail server unavailable; retrying",
                               metadata: metadata.merging(["smtp.reason": "\(reason)", "email.send_attempt": "\(attempt)"]) { $1 })
                if givingUp || progress.isShuttingDown {
                    _ = try? await database.run { try ledger.release(eventID, on: $0) }
                    // On shutdown the message is left unacked: closing the channel returns it.
                    if !progress.isShuttingDown { consumer.nack(delivery, requeue: true) }
                    return
                }
                await pause(backoff.delay())
                if progress.isShuttingDown {
                    _ = try? await database.run { try ledger.release(eventID, on: $0) }
                    return
                }
            }
        }
    }

    /// Records an outcome, retrying through database outages; false when it could not be recorded
    /// before shutdown (the message stays unacked: the documented window).
    private func settle(_ metadata: Logger.Metadata, _ write: @escaping @Sendable (PostgresConnection) throws -> Void) async -> Bool {
        var backoff = Backoff(initial: options.retryInitialDelay, maximum: options.retryMaximumDelay)
        var failures = 0
        while true {
            do {
                try await database.run(write)
                return true
            } catch {
                failures += 1
                record { $0.retries += 1 }
                logger.warning("database unavailable; outcome not recorded yet, retrying", metadata: metadata.merging(["pg.error": "\(error)"]) { $1 })
                if progress.isShuttingDown && failures >= 3 { return false }
                await pause(backoff.delay())
            }
        }
    }

    private func skip(_ event: OrderEvent, reason: String, delivery: AMQPConsumer.Delivery, consumer: AMQPConsumer,
                      metadata: Logger.Metadata) async {
        let ledger = self.ledger
        let entry = EmailLedger.Entry(eventID: event.eventId, eventType: event.kind.rawValue, recipient: nil,
                                      subject: composer.content(for: event).subject, messageID: nil)
        logger.info("no email for this event; recorded as skipped", metadata: metadata.merging(["email.reason": "\(reason)"]) { $1 })
        guard await settle(metadata, { try ledger.markSkipped(entry, reason: reason, on: $0) }) else { return }
        consumer.ack(delivery)
        record { $0.skipped += 1 }
        metrics.skipped.increment()
    }

    private func record(_ body: (inout NotifierProgress.Counts) -> Void) { progress.update(body) }

    /// Sleeps, waking early when shutdown begins.
    private func pause(_ duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline, !progress.isShuttingDown {
            systemd.loopTurned()  // waiting on purpose (a server down, a retry) is not being stuck
            try? await Task.sleep(for: min(.milliseconds(100), deadline - ContinuousClock.now))
        }
    }
}
