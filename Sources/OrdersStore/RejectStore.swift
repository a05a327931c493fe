public import LibPQ

/// The `rejects` table for `orderflow rejects`: list and read rejects, mark replays.
public struct RejectStore: Sendable {
    public init() {}

    /// Newest first. `pendingOnly` leaves out rejects that were already replayed.
    public func list(
        on db: PostgresConnection, limit: Int, pendingOnly: Bool, sinceHours: Int?
    ) throws(PostgresError) -> [RejectRecord] {
        let result = try db.execute(
            """
            SELECT \(Self.columns) FROM rejects
            WHERE ($1::boolean IS FALSE OR replayed_at IS NULL)
              AND ($2::integer IS NULL OR received_at > now() - make_interval(hours => $2::integer))
            ORDER BY id DESC LIMIT $3
            """, [.bool(pendingOnly), sinceHours.map { .int($0) } ?? .null, .int(limit)])
        return (0..<result.count).map { Self.record(result, $0) }
    }

    /// The next `limit` rejects after id `afterID`, oldest first, whose reason contains `reason` (any
    /// case) and that came in the last `sinceHours`: the pages of a bulk replay.
    public func select(
        after afterID: Int64, limit: Int, reason: String?, sinceHours: Int?, pendingOnly: Bool,
        on db: PostgresConnection
    ) throws(PostgresError) -> [RejectRecord] {
        let result = try db.execute(
            """
            SELECT \(Self.columns) FROM rejects
            WHERE id > $1
              AND ($2::text IS NULL OR strpos(lower(reason), lower($2::text)) > 0)
              AND ($3::integer IS NULL OR received_at > now() - make_interval(hours => $3::integer))
              AND ($4::boolean IS FALSE OR replayed_at IS NULL)
            ORDER BY id LIMIT $5
            """,
            [
                .int(afterID), reason.map { .text($0) } ?? .null, sinceHours.map { .int($0) } ?? .null,
                .bool(pendingOnly),
                .int(limit),
            ])
        return (0..<result.count).map { Self.record(result, $0) }
    }

    public func find(_ id: Int64, on db: PostgresConnection) throws(PostgresError) -> RejectRecord? {
        let result = try db.execute("SELECT \(Self.columns) FROM rejects WHERE id = $1", [.int(id)])
        return result.isEmpty ? nil : Self.record(result, 0)
    }

    /// Rejected orders and shipment notices whose body names `externalID`, as a JSON string or a JSON
    /// number; oldest first. The routing key does not tell the channel (canonical orders carry theirs in
    /// the body), so an order of another channel with the same id is listed too.
    public func naming(externalID: String, on db: PostgresConnection) throws(PostgresError) -> [RejectRecord] {
        let id = Self.regexEscaped(externalID)
        // The escape encoding keeps printable ASCII as it is, so the pattern sees the JSON text of any body.
        let result = try db.execute(
            """
            SELECT \(Self.columns) FROM rejects
            WHERE (routing_key LIKE 'order.%' OR routing_key LIKE 'shipment.%')
              AND encode(body, 'escape') ~ $1
            ORDER BY id
            """, [.text(#"("\#(id)"|:\s*\#(id)\s*[,}\]])"#)])
        return (0..<result.count).map { Self.record(result, $0) }
    }

    /// `text` matched literally in a POSIX regular expression.
    static func regexEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\.^$*+?()[]{}|".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// Records that the rejects were re-published (after the broker confirmed them).
    public func markReplayed(_ ids: [Int64], on db: PostgresConnection) throws(PostgresError) {
        guard !ids.isEmpty else { return }
        try db.execute(
            "UPDATE rejects SET replayed_at = now() WHERE id = ANY($1::bigint[])",
            [.text("{" + ids.map(String.init).joined(separator: ",") + "}")])
    }

    private static let columns = """
        id, message_id, routing_key, reason, field, body, body_truncated,
        to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS received_at,
        to_char(replayed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS replayed_at
        """

    private static func record(_ result: PostgresResult, _ row: Int) -> RejectRecord {
        RejectRecord(
            id: result.int64(row, "id") ?? 0, messageID: result[row, "message_id"],
            routingKey: result[row, "routing_key"] ?? "",
            reason: result[row, "reason"] ?? "", field: result[row, "field"], body: result.bytes(row, "body") ?? [],
            bodyTruncated: result.bool(row, "body_truncated") ?? false, receivedAt: result[row, "received_at"] ?? "",
            replayedAt: result[row, "replayed_at"])
    }
}
