/// One shop orderflow creates vouchers in (`ORDERFLOW_SHOP_<CHANNEL>_URL` and `…_TOKEN`): the
/// channel whose orders it serves, its base URL and its credential. The URL is https; plain http
/// only to a loopback address (a shop on the same host, the test tools), as tokens cross it.
public struct ShopConnection: Sendable {
    /// The channels orderflow has a connector for.
    public static let channels = ["shopify", "woocommerce", "shopware"]

    public let channel: String
    /// Without a trailing slash, e.g. "https://teekontor.myshopify.com".
    public let baseURL: String
    let token: String

    public init(channel: String, url: String, token: String) throws(ShopConnectionError) {
        let setting = "ORDERFLOW_SHOP_\(channel.uppercased())_URL"
        guard Self.channels.contains(channel) else {
            throw ShopConnectionError("no shop connector for channel '\(channel)' (known: \(Self.channels))")
        }
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        let lower = base.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = base.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = base.dropFirst(7)
            guard Self.isLoopback(host: Self.host(rest)) else {
                throw ShopConnectionError(
                    "\(setting): plain http:// is only allowed to a loopback address (127.0.0.1, ::1, localhost); "
                        + "use https:// for \(Self.host(rest))")
            }
        } else {
            throw ShopConnectionError("\(setting) must start with https:// (got '\(url)')")
        }
        let host = Self.host(rest)
        guard !host.isEmpty, !rest.contains("@"), !rest.contains("?"), !rest.contains("#"),
            !rest.contains(where: { $0.isWhitespace })
        else {
            throw ShopConnectionError("\(setting) must be a plain base URL like https://shop.example (got '\(url)')")
        }
        guard !token.isEmpty else {
            throw ShopConnectionError(
                "ORDERFLOW_SHOP_\(channel.uppercased())_TOKEN is needed with \(setting) "
                    + "(or …_TOKEN_FILE, or the credential shop-\(channel)-token)")
        }
        if channel != "shopify", !token.contains(":") {
            throw ShopConnectionError(
                "ORDERFLOW_SHOP_\(channel.uppercased())_TOKEN must be KEY:SECRET for \(channel)")
        }
        self.channel = channel
        baseURL = base
        self.token = token
    }

    /// The connector for this shop, with an HTTP client of its own.
    public func connector(timeout: Duration, caFile: String? = nil) -> any ShopConnector {
        let client = HTTPClient(label: "shop.\(channel)", timeout: timeout, caFile: caFile)
        switch channel {
        case "shopify": return ShopifyConnector(baseURL: baseURL, token: token, client: client)
        case "woocommerce": return WooCommerceConnector(baseURL: baseURL, token: token, client: client)
        default: return ShopwareConnector(baseURL: baseURL, token: token, client: client)
        }
    }

    /// "127.0.0.1" from "127.0.0.1:8080/shop", "::1" from "[::1]:8080".
    static func host(_ authorityAndPath: Substring) -> String {
        let authority = authorityAndPath.prefix { $0 != "/" }
        if authority.hasPrefix("[") { return String(authority.dropFirst().prefix { $0 != "]" }) }
        return String(authority.prefix { $0 != ":" })
    }

    static func isLoopback(host: String) -> Bool {
        let lower = host.lowercased()
        if lower == "localhost" || lower == "::1" { return true }
        let octets = lower.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}

public struct ShopConnectionError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
