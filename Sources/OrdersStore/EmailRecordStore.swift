public import LibPQ

/// One row of the notifier's ledger with the order its event is about, for `orderflow emails list`.
public struct EmailRecord: Sendable, Equatable {
    public var eventID: String
    public var eventType: String
    /// sending, sent, failed or skipped.
    public var status: String
    public var recipient: String?
    public var subject: String?
    public var attempts: Int64
    /// RFC 3339, UTC: when a notifier took the event (or recorded it skipped).
    public var claimedAt: String
    public var sentAt: String?
    /// The SMTP server's reply (sent, failed, a deferral), or why it was skipped.
    public var reply: String?
    public var messageID: String?
    /// The order the event is about; nil when its outbox row is gone.
    public var channel: String?
    public var externalID: String?
}

/// The reads behind `orderflow emails list`.
public struct EmailRecordStore: Sendable {
    public init() {}

    /// Newest first (by the send, else the claim). `statuses` empty: every status.
    public func list(
        statuses: [String], sinceHours: Int?, limit: Int, on db: PostgresConnection
    ) throws(PostgresError) -> [EmailRecord] {
        let result = try db.execute(
            """
            SELECT e.event_id, e.event_type, e.status, e.recipient, e.subject, e.attempts,
                   \(OrderTrailStore.utc("e.claimed_at", as: "claimed_at")),
                   \(OrderTrailStore.utc("e.sent_at", as: "sent_at")), e.smtp_reply, e.message_id,
                   o.channel, o.external_id
            FROM emails e
            LEFT JOIN outbox ob ON ob.event_id = e.event_id
            LEFT JOIN orders o ON o.id = ob.order_id
            WHERE (cardinality($1::text[]) = 0 OR e.status = ANY ($1::text[]))
              AND ($2::integer IS NULL
                   OR COALESCE(e.sent_at, e.claimed_at) > now() - make_interval(hours => $2::integer))
            ORDER BY COALESCE(e.sent_at, e.claimed_at) DESC, e.event_id LIMIT $3
            """,
            [.text(Self.arrayLiteral(statuses)), sinceHours.map { .int($0) } ?? .null, .int(limit)])
        return (0..<result.count).map {
            EmailRecord(
                eventID: result[$0, "event_id"] ?? "", eventType: result[$0, "event_type"] ?? "",
                status: result[$0, "status"] ?? "", recipient: result[$0, "recipient"], subject: result[$0, "subject"],
                attempts: result.int64($0, "attempts") ?? 0, claimedAt: result[$0, "claimed_at"] ?? "",
                sentAt: result[$0, "sent_at"], reply: result[$0, "smtp_reply"], messageID: result[$0, "message_id"],
                channel: result[$0, "channel"], externalID: result[$0, "external_id"])
        }
    }

    /// A PostgreSQL text array literal of plain words (the statuses are fixed words, checked by the caller).
    static func arrayLiteral(_ words: [String]) -> String { "{" + words.joined(separator: ",") + "}" }
}
