public import LibPQ

/// What `orderflow status` reads from the database: the outbox's backlog, recent rejects and the
/// last day's emails, in three small aggregate queries.
public struct OperationsSummary: Sendable, Equatable {
    public struct Outbox: Sendable, Equatable {
        public let unpublished: Int64
        /// Age of the oldest unpublished event, in seconds; nil when none is waiting.
        public let oldestAgeSeconds: Int64?
        public let lastError: String?
    }

    public struct Rejects: Sendable, Equatable {
        public let lastHour: Int64
        public let notReplayed: Int64
        public let newestReason: String?
    }

    public struct Emails: Sendable, Equatable {
        /// Counts over the last 24 hours by ledger status.
        public let sent: Int64
        public let failed: Int64
        public let sending: Int64
        /// Every email taken in the last hour, whatever became of it.
        public let lastHour: Int64
        public let lastFailure: String?
    }

    /// Vouchers and their shops (SPEC 3.6).
    public struct VoucherSync: Sendable, Equatable {
        /// Waiting to be created in their shop.
        public let waiting: Int64
        /// Refused by their shop for good.
        public let failed: Int64
        /// The shop's message for the newest refusal.
        public let lastFailure: String?
    }

    public let outbox: Outbox
    public let rejects: Rejects
    public let emails: Emails
    /// Stored orders whose lines do not add up to their items total (`orders.lines_discrepancy_minor`).
    public let ordersWithLinesNotAddingUp: Int64
    public let voucherSync: VoucherSync

    public static func read(on db: PostgresConnection) throws(PostgresError) -> OperationsSummary {
        let outbox = try db.execute(
            """
            SELECT count(*) AS unpublished,
                   floor(extract(epoch FROM now() - min(created_at)))::bigint AS oldest_age,
                   (SELECT last_error FROM outbox WHERE last_error IS NOT NULL AND published_at IS NULL
                    ORDER BY id DESC LIMIT 1) AS last_error
            FROM outbox WHERE published_at IS NULL
            """)
        let rejects = try db.execute(
            """
            SELECT count(*) FILTER (WHERE received_at > now() - interval '1 hour') AS last_hour,
                   count(*) FILTER (WHERE replayed_at IS NULL) AS not_replayed,
                   (SELECT reason FROM rejects ORDER BY id DESC LIMIT 1) AS newest_reason
            FROM rejects
            """)
        let emails = try db.execute(
            """
            SELECT count(*) FILTER (WHERE status = 'sent') AS sent,
                   count(*) FILTER (WHERE status = 'failed') AS failed,
                   count(*) FILTER (WHERE status = 'sending') AS sending,
                   count(*) FILTER (WHERE claimed_at > now() - interval '1 hour') AS last_hour,
                   (SELECT smtp_reply FROM emails WHERE status = 'failed' ORDER BY claimed_at DESC LIMIT 1) AS \
            last_failure
            FROM emails WHERE claimed_at > now() - interval '24 hours'
            """)
        let flagged = try db.execute(
            "SELECT count(*) AS n FROM orders WHERE lines_discrepancy_minor IS NOT NULL")
        let vouchers = try db.execute(
            """
            SELECT count(*) FILTER (WHERE shop_state = 'issued') AS waiting,
                   count(*) FILTER (WHERE shop_state = 'failed') AS failed,
                   (SELECT sync_error FROM vouchers WHERE shop_state = 'failed' ORDER BY issued_at DESC LIMIT 1) \
            AS last_failure
            FROM vouchers WHERE shop_state IN ('issued', 'failed')
            """)
        return OperationsSummary(
            outbox: Outbox(
                unpublished: outbox.int64(0, "unpublished") ?? 0, oldestAgeSeconds: outbox.int64(0, "oldest_age"),
                lastError: outbox[0, "last_error"]),
            rejects: Rejects(
                lastHour: rejects.int64(0, "last_hour") ?? 0, notReplayed: rejects.int64(0, "not_replayed") ?? 0,
                newestReason: rejects[0, "newest_reason"]),
            emails: Emails(
                sent: emails.int64(0, "sent") ?? 0, failed: emails.int64(0, "failed") ?? 0,
                sending: emails.int64(0, "sending") ?? 0,
                lastHour: emails.int64(0, "last_hour") ?? 0, lastFailure: emails[0, "last_failure"]),
            ordersWithLinesNotAddingUp: flagged.int64(0, "n") ?? 0,
            voucherSync: VoucherSync(
                waiting: vouchers.int64(0, "waiting") ?? 0, failed: vouchers.int64(0, "failed") ?? 0,
                lastFailure: vouchers[0, "last_failure"]))
    }
}
