/// An instant in UTC with millisecond precision. Parsed and printed by hand (RFC 3339): Foundation's
/// date formatters are slow and locale-sensitive, and this sits on the ingest hot path.
public struct UTCTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let epochMilliseconds: Int64

    public init(epochMilliseconds: Int64) {
        self.epochMilliseconds = epochMilliseconds
    }

    /// "2026-11-02T14:05:00Z", "2021-12-31T19:00:00-05:00", "…+0100", any fraction length (truncated to ms).
    /// A zone is required. 't', 'z' and a space separator are accepted too (RFC 3339 §5.6 note).
    public init?(rfc3339 text: String) {
        guard let millis = RFC3339.parse(text, zoneRequired: true) else { return nil }
        epochMilliseconds = millis
    }

    /// "2017-03-22T19:09:01" taken as UTC (WooCommerce `*_gmt`); a zone, when present, is honoured.
    public init?(zonelessUTC text: String) {
        guard let millis = RFC3339.parse(text, zoneRequired: false) else { return nil }
        epochMilliseconds = millis
    }

    /// In the years 0001-9999 (UTC), as every parsed instant is; sums such as placedAt plus the handling time
    /// may leave that range.
    public var isRepresentable: Bool { RFC3339.representable.contains(epochMilliseconds) }

    /// "2026-11-02T14:05:00Z"; ".123" only when the milliseconds are not zero.
    public var rfc3339: String { RFC3339.format(epochMilliseconds) }

    public var description: String { rfc3339 }

    /// Clamped at the representable range instead of trapping (the handling time is configuration).
    public func adding(seconds: Int64) -> UTCTimestamp {
        let (millis, overflow1) = seconds.multipliedReportingOverflow(by: 1000)
        let (sum, overflow2) = epochMilliseconds.addingReportingOverflow(millis)
        guard !overflow1, !overflow2 else { return UTCTimestamp(epochMilliseconds: seconds < 0 ? .min : .max) }
        return UTCTimestamp(epochMilliseconds: sum)
    }

    public static func < (lhs: UTCTimestamp, rhs: UTCTimestamp) -> Bool {
        lhs.epochMilliseconds < rhs.epochMilliseconds
    }
}
