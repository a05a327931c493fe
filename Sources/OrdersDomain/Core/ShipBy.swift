extension NormalizationContext {
    /// SPEC 3.6, the one ship-by rule of every channel: the channel's own promise when it makes one, else placedAt
    /// plus the configured handling time.
    func shipBy(promised: UTCTimestamp?, placedAt: UTCTimestamp) -> UTCTimestamp {
        promised ?? placedAt.adding(seconds: handlingTimeSeconds)
    }
}
