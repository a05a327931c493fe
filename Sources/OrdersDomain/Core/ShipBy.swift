/// When an order was placed: the channel's creation time, or a stand-in for an order that has none.
struct PlacedAt {
    let instant: UTCTimestamp
    /// Where a stand-in came from ("updated_at", "received"); nil for the channel's creation time. Kept in
    /// `channelStatus.placedAtGuessed`, so that the overdue sweeper does not judge the order by a guessed time.
    let guessedFrom: String?
}

extension NormalizationContext {
    /// The first time of `created` (the channel's creation time), else the first of `fallbacks` (the order's
    /// update or close time), else when the message was received; `missing` when there is none of these. A
    /// fallback that is not a time is skipped: it was never required.
    func placedAt(
        _ created: [Node], fallbacks: [Node], missing: @autoclosure () -> NormalizationError
    ) throws -> PlacedAt {
        for node in created {
            if let instant = try node.timestamp() { return PlacedAt(instant: instant, guessedFrom: nil) }
        }
        for node in fallbacks {
            if let instant = (try? node.timestamp()) ?? nil {
                return PlacedAt(instant: instant, guessedFrom: node.path)
            }
        }
        if let receivedAt { return PlacedAt(instant: receivedAt, guessedFrom: "received") }
        throw missing()
    }

    /// SPEC 3.6, the one ship-by rule of every channel: the channel's own promise when it makes one, else placedAt
    /// plus the configured handling time.
    func shipBy(promised: UTCTimestamp?, placedAt: UTCTimestamp) -> UTCTimestamp {
        promised ?? placedAt.adding(seconds: handlingTimeSeconds)
    }
}
