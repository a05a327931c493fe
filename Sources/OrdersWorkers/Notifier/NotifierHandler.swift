import AMQP
import Logging
import MailTransport
import Metrics
import OrdersDomain
import OrdersMail
import OrdersStore
import Resilience

/// The notifier's decisions for one event: claim it in the `emails` ledger, send it, record the
/// outcome with the server's reply, and only then let it be acked. An event already settled is
/// acked without sending. Temporary failures (4xx, connection, database) keep the message unacked
/// and are retried with backoff; a 5xx settles the email as failed; an event without a usable
/// address is settled as skipped; an event that cannot be decoded is dead-lettered.
///
/// The one window that cannot be closed: the server accepted the email and the process died before
/// the ledger said so. The message is then redelivered and the email sent again, with the same
/// Message-ID (`<event id@domain>`), which lets mail systems fold the duplicate.
struct NotifierHandler: DeliveryHandler {
    let ledger: any EmailLedgerStore
    let transport: any MailTransport
    let composer: EmailComposer
    let options: NotifierOptions
    let counters: Counters<NotifierCount>
    let troubles = Counters<DatabaseTrouble>()
    let faults: FaultHooks
    let logger: Logger
    private let sendLatency = Timer(label: "orderflow_notifier_send_seconds")

    init(
        ledger: any EmailLedgerStore, transport: any MailTransport, composer: EmailComposer, options: NotifierOptions,
        counters: Counters<NotifierCount>, faults: FaultHooks, logger: Logger
    ) {
        self.ledger = ledger
        self.transport = transport
        self.composer = composer
        self.options = options
        self.counters = counters
        self.faults = faults
        self.logger = logger
    }

    private var retry: RetryPolicy {
        RetryPolicy(initialDelay: options.retryInitialDelay, maximumDelay: options.retryMaximumDelay)
    }

    func handle(_ batch: [AMQPConsumer.Delivery], in loop: ConsumerLoop) async -> HandledBatch {
        var decisions: [Decision] = []
        for delivery in batch { decisions.append(loop.mustStop ? Decision(.leave) : await handle(delivery, in: loop)) }
        // An outcome counts once its ack is queued.
        let outcomes = decisions.compactMap(\.outcome)
        return HandledBatch(decisions.map(\.disposition)) { [counters] in
            for outcome in outcomes { counters.add(outcome) }
        }
    }

    func close() async {
        await transport.close()
        await ledger.close()
    }

    /// What to do with one event's message, and the outcome to count once that is done.
    private struct Decision: Sendable {
        let disposition: Disposition
        let outcome: NotifierCount?

        init(_ disposition: Disposition, counting outcome: NotifierCount? = nil) {
            self.disposition = disposition
            self.outcome = outcome
        }
    }

    private func handle(_ delivery: AMQPConsumer.Delivery, in loop: ConsumerLoop) async -> Decision {
        let event: OrderEvent
        do {
            event = try OrderEvent.decode(delivery.message.body)
        } catch {
            logger.warning(
                "not a usable event; dead-lettered",
                metadata: [
                    "event.error": "\(error)", "amqp.message_id": "\(delivery.message.properties.messageID ?? "-")",
                ])
            return Decision(.deadLetter, counting: .invalid)
        }
        let metadata: Logger.Metadata = ["event.id": "\(event.eventId)", "event.type": "\(event.kind.rawValue)"]
        let message: EmailMessage
        do {
            guard let composed = try composer.message(for: event) else {
                return await skip(event, reason: "no usable recipient address", metadata: metadata, in: loop)
            }
            message = composed
        } catch {
            return await skip(event, reason: "not sent: \(error)", metadata: metadata, in: loop)
        }
        let entry = EmailLedger.Entry(
            eventID: event.eventId, eventType: event.kind.rawValue, recipient: message.to.address,
            subject: message.subject, messageID: message.messageID)
        switch await claim(entry, metadata: metadata, in: loop) {
        case .claimed(let attempt):
            if attempt > 1 {
                logger.info(
                    "sending again after an interrupted attempt",
                    metadata: metadata.merging(["email.attempt": "\(attempt)"]) { $1 })
            }
            return await send(message, entry: entry, metadata: metadata, in: loop)
        case .settled(let status):
            logger.debug(
                "already settled; acknowledged without sending",
                metadata: metadata.merging(["email.status": "\(status)"]) { $1 })
            return Decision(.ack, counting: .duplicates)
        case .heldElsewhere:
            logger.warning(
                "event held by another notifier for long; message goes back to the queue", metadata: metadata)
            return Decision(.requeue)
        case nil:
            return Decision(.leave)
        }
    }

    /// Another notifier holds the event: it is sending this very email right now.
    private struct HeldElsewhere: Error {}

    /// Claims the event, retrying through database outages and waiting a while for another
    /// notifier that holds it (but not forever: a stuck holder must not hold up this queue).
    /// Nil when shutdown came first.
    private func claim(
        _ entry: EmailLedger.Entry, metadata: Logger.Metadata, in loop: ConsumerLoop
    ) async -> EmailLedger.Claim? {
        var heldElsewhere = 0
        let claim = await retry.run(
            {
                let claim = try await ledger.claim(entry)
                if claim == .heldElsewhere { throw HeldElsewhere() }
                return claim
            },
            failed: { error, _, _ in
                if error is HeldElsewhere {
                    heldElsewhere += 1
                    logger.debug("event held by another notifier; waiting", metadata: metadata)
                } else {
                    let trouble = DatabaseTrouble(error)
                    counters.add(.retries)
                    troubles.add(trouble)
                    logger.warning(
                        "\(trouble.words); email kept unacked, retrying",
                        metadata: metadata.merging(["pg.error": "\(error)"]) { $1 })
                }
            }, stop: { _ in loop.mustStop || heldElsewhere >= options.sendAttemptsPerDelivery }, pause: loop.pause)
        if claim == nil, !loop.mustStop { return .heldElsewhere }
        return claim
    }

    private func send(
        _ message: EmailMessage, entry: EmailLedger.Entry, metadata: Logger.Metadata, in loop: ConsumerLoop
    ) async -> Decision {
        let eventID = message.eventID
        var backoff = retry.backoff()
        var attempt = 0
        while true {
            attempt += 1
            let start = ContinuousClock.now
            let outcome = await transport.deliver(message)
            sendLatency.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
            switch outcome {
            case .accepted(let reply):
                faults.reached(.afterSMTPAccept)
                return await settle(.sent, metadata: metadata, in: loop) {
                    try await ledger.markSent(eventID, reply: reply)
                }
            case .rejected(let reply):
                logger.warning(
                    "refused by the mail server; recorded as failed",
                    metadata: metadata.merging(["smtp.reply": "\(reply)"]) { $1 })
                return await settle(.failed, metadata: metadata, in: loop) {
                    try await ledger.markFailed(eventID, reply: reply)
                }
            case .skipped(let reason):
                logger.info(
                    "not sent; recorded as skipped", metadata: metadata.merging(["email.reason": "\(reason)"]) { $1 })
                return await settle(.skipped, metadata: metadata, in: loop) {
                    try await ledger.markSkipped(entry, reason: reason)
                }
            case .deferred(let reason):
                counters.add(.retries)
                try? await ledger.noteDeferral(eventID, reason: reason)
                // Only a server that answers 4xx rotates the message: with the server down or
                // unreachable no email can go out, and rotating would only use up its deliveries.
                let givingUp = attempt >= options.sendAttemptsPerDelivery && outcome.isTemporaryReply
                logger.warning(
                    givingUp
                        ? "mail server unavailable; message goes back to the queue"
                        : "mail server unavailable; retrying",
                    metadata: metadata.merging(["smtp.reason": "\(reason)", "email.send_attempt": "\(attempt)"]) { $1 })
                if !givingUp, !loop.mustStop { await loop.pause(backoff.delay()) }
                if givingUp || loop.mustStop {
                    try? await ledger.release(eventID)
                    // On shutdown the message is left unacked: closing the channel returns it.
                    return Decision(loop.mustStop ? .leave : .requeue)
                }
            }
        }
    }

    /// Records an outcome, retrying through database outages; `.leave` when it could not be
    /// recorded before shutdown (the message stays unacked: the documented window).
    private func settle(
        _ outcome: NotifierCount, metadata: Logger.Metadata, in loop: ConsumerLoop,
        _ record: () async throws -> Void
    ) async -> Decision {
        let recorded: Void? = await retry.run(
            record,
            failed: { error, _, _ in
                let trouble = DatabaseTrouble(error)
                counters.add(.retries)
                troubles.add(trouble)
                logger.warning(
                    "\(trouble.words); outcome not recorded yet, retrying",
                    metadata: metadata.merging(["pg.error": "\(error)"]) { $1 })
            }, stop: { attempt in loop.mustStop && attempt >= 3 }, pause: loop.pause)
        guard recorded != nil else { return Decision(.leave) }
        return Decision(.ack, counting: outcome)
    }

    private func skip(
        _ event: OrderEvent, reason: String, metadata: Logger.Metadata, in loop: ConsumerLoop
    ) async -> Decision {
        let entry = EmailLedger.Entry(
            eventID: event.eventId, eventType: event.kind.rawValue, recipient: nil,
            subject: composer.content(for: event).subject, messageID: nil)
        logger.info(
            "no email for this event; recorded as skipped",
            metadata: metadata.merging(["email.reason": "\(reason)"]) { $1 })
        return await settle(.skipped, metadata: metadata, in: loop) {
            try await ledger.markSkipped(entry, reason: reason)
        }
    }
}
