public import LibPQ
public import MailTransport
public import OrdersMail
import OrdersDomain
import OrdersStore
public import Resilience

/// Sends an event's email once more (`orderflow emails resend`): the event rebuilt from its outbox
/// rows as the relay publishes it, composed and sent by the notifier's composer and transport, so
/// the mail carries the same Message-ID (`<event id@domain>`) and lets mail systems fold it with the
/// first. The attempt is claimed in the ledger like the notifier's (the same advisory lock, so never
/// while a notifier sends the same email) and recorded with its outcome; `emails` shows it as the
/// latest, `email_attempts` keeps every one.
public struct EmailResender: Sendable {
    public enum Outcome: Sendable, Equatable {
        case sent(attempt: Int, reply: String, messageID: String)
        /// The server refused it, or it could not be sent now (recorded as failed with the reason).
        case failed(attempt: Int, reply: String)
        case skipped(attempt: Int, reason: String)
        /// No outbox row has this event id.
        case unknownEvent
        /// Nothing to send: no usable recipient address (or one the server cannot take).
        case noRecipient(String)
        /// A notifier holds the event at this moment: it is sending this very email.
        case busy
    }

    private let database: ConfinedExecutor<PostgresConnection>
    private let transport: any MailTransport
    private let composer: EmailComposer
    private let ledger = EmailLedger()

    public init(database: ConfinedExecutor<PostgresConnection>, transport: any MailTransport, composer: EmailComposer) {
        self.database = database
        self.transport = transport
        self.composer = composer
    }

    public func resend(_ eventID: String) async throws -> Outcome {
        guard let event = try await database.run({ try OutboxStore().event(eventID, on: $0) }) else {
            return .unknownEvent
        }
        let message: EmailMessage
        do {
            guard let composed = try composer.message(for: event) else {
                return .noRecipient("the order has no customer email address")
            }
            message = composed
        } catch {
            return .noRecipient("\(error)")
        }
        let entry = EmailLedger.Entry(
            eventID: event.eventId, eventType: event.kind.rawValue, recipient: message.to.address,
            subject: message.subject, messageID: message.messageID)
        let claim = try await database.run { [ledger] in try ledger.claim(entry, origin: .resend, on: $0) }
        guard case .claimed(let attempt) = claim else { return .busy }
        let outcome = await transport.deliver(message)
        return try await database.run { [ledger] connection in
            switch outcome {
            case .accepted(let reply):
                try ledger.markSent(eventID, reply: reply, on: connection)
                return .sent(attempt: attempt, reply: reply, messageID: message.messageID)
            case .rejected(let reply):
                try ledger.markFailed(eventID, reply: reply, on: connection)
                return .failed(attempt: attempt, reply: reply)
            case .deferred(let reason):
                // No retries here: the operator sees the reason and runs the command again.
                try ledger.markFailed(eventID, reply: "not sent: \(reason)", on: connection)
                return .failed(attempt: attempt, reply: "not sent: \(reason)")
            case .skipped(let reason):
                try ledger.markSkipped(entry, reason: reason, on: connection)
                try ledger.release(eventID, on: connection)
                return .skipped(attempt: attempt, reason: reason)
            }
        }
    }

    public func close() async {
        await transport.close()
        await database.close()
    }
}
