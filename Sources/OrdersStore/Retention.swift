import Foundation
public import LibPQ

/// What `orderflow prune` removes once it has served its purpose, and when. Order rows, their lines,
/// parcels and vouchers are the merchant's records and are never pruned.
public struct RetentionRule: Sendable {
    public enum Action: Sendable {
        /// The rows go.
        case delete
        /// The rows stay; these columns become `PersonalData.removedMarker` and `redacted_at` is set.
        case redact([PersonalData.Column])
    }

    /// What the rule removes, as the command prints it.
    public let name: String
    public let table: String
    /// The time the age is counted from.
    public let ageColumn: String
    /// Which rows are eligible at all (SQL over the table's columns).
    public let eligible: String
    public let action: Action
    public let days: Int

    /// Processed message ids: an id older than the broker's redelivery horizon is never seen again
    /// (see the README, "Retention"); and a message that did come back would change nothing, since orders
    /// are upserted on their channel's id and only by a newer version, parcels and events are unique.
    public static func processedMessages(days: Int) -> RetentionRule {
        RetentionRule(
            name: "processed message ids", table: "processed_messages", ageColumn: "processed_at", eligible: "true",
            action: .delete, days: days)
    }

    /// Published outbox rows: the event went out and the notifier's ledger holds its email. Unpublished
    /// rows are never pruned, however old. Deleting a row emits nothing again: parcels, vouchers and delay
    /// notices are each created once by rules of their own tables.
    public static func publishedEvents(days: Int) -> RetentionRule {
        RetentionRule(
            name: "published events", table: "outbox", ageColumn: "published_at",
            eligible: "published_at IS NOT NULL", action: .delete, days: days)
    }

    /// Rejected messages' bodies (names, addresses); the reject itself (reason, field, times) stays.
    public static func rejectBodies(days: Int) -> RetentionRule {
        RetentionRule(
            name: "reject bodies", table: "rejects", ageColumn: "received_at", eligible: "redacted_at IS NULL",
            action: .redact(PersonalData.rejects), days: days)
    }

    /// The personal part of settled emails (recipient, subject, reply); status, times and ids stay. An email
    /// still being sent is left alone.
    public static func emailBodies(days: Int) -> RetentionRule {
        RetentionRule(
            name: "email recipients and subjects", table: "emails", ageColumn: "claimed_at",
            eligible: "redacted_at IS NULL AND status <> 'sending'", action: .redact(PersonalData.emails),
            days: days)
    }

    /// The rows of `table` that this rule removes now, between two heap pages.
    var condition: String { "\(ageColumn) < $3::timestamptz AND \(eligible)" }

    /// Removes the rule's rows whose physical position (ctid) lies in pages [$1, $2).
    var batchSQL: String {
        let range = "ctid >= $1::tid AND ctid < $2::tid AND \(condition)"
        switch action {
        case .delete:
            return "DELETE FROM \(table) WHERE \(range)"
        case .redact(let columns):
            let set = PersonalData.assignments(columns, marker: PersonalData.removedMarker)
            return "UPDATE \(table) SET \(set), redacted_at = now() WHERE \(range)"
        }
    }

    var countSQL: String {
        "SELECT count(*) AS n FROM \(table) WHERE ctid >= $1::tid AND ctid < $2::tid AND \(condition)"
    }
}

/// Runs retention rules in small transactions that never hold the hot tables for long.
///
/// A rule walks its table by physical position: each batch is one statement (its own transaction) over
/// a range of heap pages (a TID range scan), sized to remove about `batchRows` rows, with a short
/// `lock_timeout`, then pauses. No index on the age columns is needed, so nothing is added to the
/// worker's insert path and no index has to be built on a large table at deploy time; a batch reads a
/// few hundred kilobytes and locks only the rows it removes, which the worker never touches again
/// (it inserts new message ids, the relay updates only unpublished events, the notifier only the
/// email it is sending). Rows added after the walk started are younger than any cutoff.
public struct Pruner: Sendable {
    public struct Progress: Sendable {
        public let rule: RetentionRule
        public let pagesDone: Int
        public let pages: Int
        public let rows: Int
        public let batches: Int
    }

    public var batchRows: Int
    public var pause: Duration
    /// How long one batch waits for a row lock before it gives way and is tried again after a pause.
    public var lockTimeoutMilliseconds: Int

    public init(batchRows: Int = 5_000, pause: Duration = .milliseconds(50), lockTimeoutMilliseconds: Int = 1_000) {
        self.batchRows = batchRows
        self.pause = pause
        self.lockTimeoutMilliseconds = lockTimeoutMilliseconds
    }

    /// Removes (or with `dryRun`, counts) the rule's rows; returns how many. `progress` is called after
    /// every batch.
    public func run(
        _ rule: RetentionRule, dryRun: Bool, on db: PostgresConnection,
        progress: (Progress) -> Void = { _ in }
    ) throws -> Int {
        try db.execute("SELECT set_config('lock_timeout', $1, false)", [.text("\(lockTimeoutMilliseconds)ms")])
        let shape = try db.execute(
            """
            SELECT (pg_relation_size(c.oid) / current_setting('block_size')::int)::bigint AS pages,
                   CASE WHEN c.relpages > 0 AND c.reltuples > 0 THEN (c.reltuples / c.relpages)::bigint END AS density,
                   (now() - make_interval(days => $2::integer))::text AS cutoff
            FROM pg_class c WHERE c.oid = to_regclass($1)
            """, [.text(rule.table), .int(Int64(rule.days))])
        guard let pages = shape.int64(0, "pages").map(Int.init), let cutoff = shape[0, "cutoff"] else {
            throw PostgresError(.server, message: "table \(rule.table) not found: run orderflow migrate")
        }
        // Rows per page from the statistics (about 100 when none yet); adjusted as the batches go.
        var pagesPerBatch = max(1, batchRows / Int(max(1, shape.int64(0, "density") ?? 100)))
        var page = 0, rows = 0, batches = 0, lockWaits = 0
        while page < pages {
            let end = min(pages, page + pagesPerBatch)
            let parameters: [PostgresValue] = [.text("(\(page),0)"), .text("(\(end),0)"), .text(cutoff)]
            let affected: Int
            do {
                affected = try batch(rule, parameters, dryRun: dryRun, on: db)
            } catch {
                // A row of this range is locked (a worker storing a redelivery of an old message):
                // give way, then try the range again.
                guard error.sqlState == "55P03", lockWaits < 20 else { throw error }
                lockWaits += 1
                Self.sleep(pause * 4)
                continue
            }
            lockWaits = 0
            rows += affected
            batches += 1
            page = end
            // Aim at batchRows per batch: fewer pages where many rows go, more where few do.
            if affected > batchRows * 3 / 2, pagesPerBatch > 1 {
                pagesPerBatch = max(1, pagesPerBatch * batchRows / affected)
            } else if affected < batchRows / 4 {
                pagesPerBatch = min(pagesPerBatch * 2, 4_096)
            }
            progress(Progress(rule: rule, pagesDone: page, pages: pages, rows: rows, batches: batches))
            if !dryRun, affected > 0, page < pages { Self.sleep(pause) }
        }
        return rows
    }

    private func batch(
        _ rule: RetentionRule, _ parameters: [PostgresValue], dryRun: Bool, on db: PostgresConnection
    )
        throws(PostgresError) -> Int
    {
        dryRun
            ? Int(try db.execute(rule.countSQL, parameters).int64(0, "n") ?? 0)
            : try db.execute(rule.batchSQL, parameters).affectedRows
    }

    /// The pruner runs on the command's own thread, never on the cooperative pool.
    private static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
    }
}
