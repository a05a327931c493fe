/// Where and how to connect. Parsed from an `amqp://` or `amqps://` URL:
///
///     amqp://user:password@host:5672/vhost?heartbeat=15&connection_timeout=10000
///     amqps://user:password@host:5671/vhost?cacertfile=/ca.pem&certfile=/c.pem&keyfile=/k.pem&verify=verify_peer
///
/// The vhost is the percent-decoded path (`%2F` is `/`; an empty path is `/`).
public struct AMQPConfiguration: Sendable, Equatable {
    public struct TLS: Sendable, Equatable {
        public var caCertificateFile: String?
        public var certificateFile: String?
        public var keyFile: String?
        /// Verify the broker's certificate chain and host name (default). `verify=verify_none` turns it off.
        public var verifyPeer = true
        public init() {}
    }

    public var host = "127.0.0.1"
    public var port = 5672
    public var user = "guest"
    public var password = "guest"
    public var virtualHost = "/"
    public var tls: TLS?
    /// Heartbeat interval negotiated with the broker; dead peers are noticed after about two of them.
    public var heartbeatSeconds = 15
    public var connectTimeoutSeconds = 10
    /// Shown in the broker's connection list.
    public var connectionName = "orderflow"

    public init() {}

    public init(url: String) throws(AMQPError) {
        // A list of nodes read as one URL would pass the rest as the vhost (password included) into errors.
        guard !url.contains(",") else {
            throw AMQPError(
                .invalidURL,
                message: "AMQP URL contains a comma: one URL here, not a list (a comma in a password is %2C)")
        }
        var rest: Substring
        if url.hasPrefix("amqp://") {
            rest = url.dropFirst("amqp://".count); tls = nil; port = 5672
        } else if url.hasPrefix("amqps://") {
            rest = url.dropFirst("amqps://".count); tls = TLS(); port = 5671
        } else {
            throw AMQPError(.invalidURL, message: "AMQP URL must start with amqp:// or amqps://")
        }
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") { query = rest[rest.index(after: q)...]; rest = rest[..<q] }
        var path: Substring? = nil
        if let slash = rest.firstIndex(of: "/") { path = rest[rest.index(after: slash)...]; rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]; rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = try Self.decode(credentials[..<colon])
                password = try Self.decode(credentials[credentials.index(after: colon)...])
            } else {
                user = try Self.decode(credentials)
            }
        }
        // host, [v6], host:port
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(":") { port = try Self.port(rest.dropFirst()) }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon]); port = try Self.port(rest[rest.index(after: colon)...])
        } else if !rest.isEmpty {
            host = String(rest)
        }
        if let path, !path.isEmpty { virtualHost = try Self.decode(path) }
        // "a=1&&b=2" and a trailing "&" are empty pairs between separators: skipped. A pair without a name
        // ("=", "=x") is an error.
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first, !name.isEmpty else {
                throw AMQPError(.invalidURL, message: "AMQP URL has a query parameter without a name")
            }
            let key = String(name), value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            switch key {
            case "heartbeat": heartbeatSeconds = try Self.number(value, key)
            case "connection_timeout": connectTimeoutSeconds = max(1, try Self.number(value, key) / 1000)
            case "cacertfile": tls?.caCertificateFile = value
            case "certfile": tls?.certificateFile = value
            case "keyfile": tls?.keyFile = value
            case "verify": tls?.verifyPeer = value != "verify_none"
            case "name": connectionName = value
            default: throw AMQPError(.invalidURL, message: "unknown AMQP URL parameter '\(key)'")
            }
        }
    }

    private static func port(_ text: Substring) throws(AMQPError) -> Int {
        guard let p = Int(text), (1...65535).contains(p) else {
            throw AMQPError(.invalidURL, message: "AMQP URL has an invalid port")
        }
        return p
    }

    private static func number(_ text: String, _ key: String) throws(AMQPError) -> Int {
        guard let n = Int(text), n >= 0 else {
            throw AMQPError(.invalidURL, message: "AMQP URL parameter '\(key)' must be a number")
        }
        return n
    }

    /// Percent-decoding (RFC 3986); errors never quote the input since it may be a password.
    private static func decode(_ text: Substring) throws(AMQPError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let hi = iterator.next(), let lo = iterator.next(),
                    let value = UInt8(String(decoding: [hi, lo], as: UTF8.self), radix: 16)
                else {
                    throw AMQPError(.invalidURL, message: "AMQP URL has a malformed percent escape")
                }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The URL without its password, for log lines.
    public var redactedDescription: String {
        "\(tls == nil ? "amqp" : "amqps")://\(user)@\(node)/\(virtualHost == "/" ? "%2F" : virtualHost)"
    }
}
