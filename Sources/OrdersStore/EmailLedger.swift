public import LibPQ

/// The `emails` table as the notifier's once-per-event ledger (SPEC 3.7), keyed by event id.
///
/// A notifier claims an event before sending: it takes a session advisory lock on the event id,
/// then inserts a `sending` row, or takes over an existing `sending` row. The lock is held for the
/// send and released when the outcome is recorded; it is what tells a stale `sending` row (its
/// sender died, and with it the database session and the lock) from one whose email is being sent
/// right now by another notifier. A row already `sent`, `failed` or `skipped` means: done, do not
/// send again. Each claim is also an attempt in `email_attempts` (the notifier's, or an operator's
/// resend, which takes over a settled row too); `emails` keeps the latest outcome and the count.
public struct EmailLedger: Sendable {
    /// Who makes the attempt.
    public enum Origin: String, Sendable {
        /// The notifier, once per event: a settled event is not sent again.
        case notifier
        /// `orderflow emails resend`: a new attempt whatever the event's status.
        case resend
    }

    public enum Claim: Sendable, Equatable {
        /// This notifier holds the event now; `attempt` counts claims, 1 on the first.
        case claimed(attempt: Int)
        /// Settled earlier (`sent`, `failed` or `skipped`): acknowledge without sending.
        case settled(status: String)
        /// Another live notifier holds the lock: it is sending this email at this moment.
        case heldElsewhere
    }

    public struct Entry: Sendable {
        public var eventID: String
        public var eventType: String
        public var recipient: String?
        public var subject: String?
        public var messageID: String?

        public init(eventID: String, eventType: String, recipient: String?, subject: String?, messageID: String?) {
            self.eventID = eventID
            self.eventType = eventType
            self.recipient = recipient
            self.subject = subject
            self.messageID = messageID
        }
    }

    public init() {}

    /// The advisory-lock key space of the ledger (first key); the second is the event id's hash.
    /// A hash collision only serialises two unrelated events for a moment.
    static let lockClass = 7_370_000

    public func claim(_ entry: Entry, origin: Origin = .notifier, on connection: PostgresConnection) throws -> Claim {
        let locked = try connection.execute(
            "SELECT pg_try_advisory_lock($1::int, hashtext($2))",
            [.int(Self.lockClass), .text(entry.eventID)])
        guard locked.bool(0, "pg_try_advisory_lock") == true else { return .heldElsewhere }
        do {
            let claimed = try connection.execute(
                """
                WITH claimed AS (
                    INSERT INTO emails (event_id, event_type, recipient, subject, status, attempts, claimed_at,
                                        message_id)
                    VALUES ($1::uuid, $2, $3, $4, 'sending', 1, now(), $5)
                    ON CONFLICT (event_id) DO UPDATE
                        SET attempts = emails.attempts + 1, claimed_at = now(), recipient = EXCLUDED.recipient,
                            subject = EXCLUDED.subject, message_id = EXCLUDED.message_id, status = 'sending'
                        WHERE emails.status = 'sending' OR $6::text = 'resend'
                    RETURNING event_id, attempts, message_id
                ), attempt AS (
                    INSERT INTO email_attempts (event_id, attempt, origin, status, message_id)
                    SELECT event_id, attempts, $6::text, 'sending', message_id FROM claimed
                    ON CONFLICT (event_id, attempt) DO NOTHING
                )
                SELECT attempts FROM claimed
                """,
                [
                    .text(entry.eventID), .text(entry.eventType), .optional(entry.recipient), .optional(entry.subject),
                    .optional(entry.messageID), .text(origin.rawValue),
                ])
            if !claimed.isEmpty, let attempts = claimed.int64(0, "attempts") { return .claimed(attempt: Int(attempts)) }
            let status = try connection.execute(
                "SELECT status FROM emails WHERE event_id = $1::uuid", [.text(entry.eventID)])
            try release(entry.eventID, on: connection)
            return .settled(status: status.isEmpty ? "unknown" : status[0, "status"] ?? "unknown")
        } catch {
            try? release(entry.eventID, on: connection)
            throw error
        }
    }

    /// The server accepted the email: record its reply and release the claim.
    public func markSent(_ eventID: String, reply: String, on connection: PostgresConnection) throws {
        try settle(eventID, status: "sent", reply: reply, on: connection)
    }

    /// The server refused the email for good (5xx): record its reply and release the claim.
    public func markFailed(_ eventID: String, reply: String, on connection: PostgresConnection) throws {
        try settle(eventID, status: "failed", reply: reply, on: connection)
    }

    /// No usable address (or nothing that may be sent): recorded once, never sent. An event
    /// already settled keeps its status.
    public func markSkipped(_ entry: Entry, reason: String, on connection: PostgresConnection) throws {
        try connection.execute(
            """
            WITH settled AS (
                INSERT INTO emails (event_id, event_type, recipient, subject, status, attempts, smtp_reply)
                VALUES ($1::uuid, $2, $3, $4, 'skipped', 0, $5)
                ON CONFLICT (event_id) DO UPDATE SET status = 'skipped', smtp_reply = EXCLUDED.smtp_reply
                    WHERE emails.status = 'sending'
                RETURNING event_id, attempts
            )
            UPDATE email_attempts a SET status = 'skipped', smtp_reply = $5, finished_at = now()
            FROM settled WHERE a.event_id = settled.event_id AND a.attempt = settled.attempts
            """,
            [
                .text(entry.eventID), .text(entry.eventType), .optional(entry.recipient), .optional(entry.subject),
                .text(reason),
            ])
    }

    /// A temporary failure: keep the claim, note why (for operators), and try again later.
    public func noteDeferral(_ eventID: String, reason: String, on connection: PostgresConnection) throws {
        try connection.execute(
            """
            WITH noted AS (
                UPDATE emails SET smtp_reply = $2 WHERE event_id = $1::uuid AND status = 'sending'
                RETURNING event_id, attempts
            )
            UPDATE email_attempts a SET smtp_reply = $2
            FROM noted WHERE a.event_id = noted.event_id AND a.attempt = noted.attempts
            """,
            [.text(eventID), .text(reason)])
    }

    /// Gives the claim up without settling (shutdown, or the message goes back to the queue).
    public func release(_ eventID: String, on connection: PostgresConnection) throws {
        try connection.execute(
            "SELECT pg_advisory_unlock($1::int, hashtext($2))", [.int(Self.lockClass), .text(eventID)])
    }

    private func settle(_ eventID: String, status: String, reply: String, on connection: PostgresConnection) throws {
        try connection.execute(
            """
            WITH settled AS (
                UPDATE emails SET status = $2, smtp_reply = $3, sent_at = CASE WHEN $2 = 'sent' THEN now() END
                WHERE event_id = $1::uuid
                RETURNING event_id, attempts
            )
            UPDATE email_attempts a SET status = $2, smtp_reply = $3, finished_at = now()
            FROM settled WHERE a.event_id = settled.event_id AND a.attempt = settled.attempts
            """, [.text(eventID), .text(status), .text(reply)])
        try release(eventID, on: connection)
    }
}
