/// `host:port` of the metrics endpoint (ORDERFLOW_METRICS_ADDR): `127.0.0.1:9464`, `[::1]:9464`,
/// `0.0.0.0:9464`, or `:9464` for every address.
public struct MetricsAddress: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.init(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }

    /// The address of one instance of a templated unit: the port plus the instance number, so
    /// `orderflow-worker@3` serves on 9403 when the shared setting says 9400. A port of 0 (any free
    /// port) stays 0; a number that would leave the port range is nil.
    public func offset(by instance: Int) -> MetricsAddress? {
        guard port != 0 else { return self }
        guard instance >= 0, port + instance <= 65535 else { return nil }
        return MetricsAddress(host: host, port: port + instance)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
