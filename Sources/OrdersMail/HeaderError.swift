/// Why an email cannot be built: a header value that could inject or alter headers, or an
/// unusable address. Raised before anything reaches the SMTP server.
public struct HeaderError: Error, Sendable, Equatable, CustomStringConvertible {
    public let header: String
    public let reason: String

    public init(header: String, reason: String) {
        self.header = header
        self.reason = reason
    }

    public var description: String { "\(header): \(reason)" }
}

/// The one check every header value passes: no CR, LF or other control character, so no value
/// can end its header line and start another.
public enum HeaderValue {
    public static func check(_ value: String, header: String) throws(HeaderError) {
        for scalar in value.unicodeScalars
        where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            || scalar == "\u{2028}" || scalar == "\u{2029}"
        {
            throw HeaderError(
                header: header,
                reason:
                    "control character U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)) refused")
        }
    }
}
