/// A message refused as invalid, as stored in `rejects` (SPEC 3.4).
public struct RejectRecord: Sendable, Equatable {
    public let id: Int64
    public let messageID: String?
    public let routingKey: String
    public let reason: String
    /// The field the reason names, when it names one.
    public let field: String?
    /// The raw body as received (its first 64 KiB when `bodyTruncated`).
    public let body: [UInt8]
    public let bodyTruncated: Bool
    /// RFC 3339, UTC.
    public let receivedAt: String
    public let replayedAt: String?
}
