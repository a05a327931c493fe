/// Pages served beside /metrics under a path prefix (the console under `/console`). The endpoint
/// parses HTTP and hands each request under the prefix over whole; the pages answer off the event
/// loop, so a slow answer never holds up a scrape.
public protocol MountedPages: Sendable {
    /// `/console`: the pages answer this path and everything below it.
    var prefix: String { get }
    /// The largest request body the pages accept; a larger one is refused (413) unread.
    var maximumBodyBytes: Int { get }
    func respond(to request: PageRequest, health: MetricsServer.Health) async -> PageResponse
}

public struct PageRequest: Sendable {
    /// GET, HEAD, POST, …
    public var method: String
    /// The path without the query, still percent-encoded.
    public var path: String
    public var query: String?
    /// Header names in lower case; a repeated header's values joined by ", " (cookies by "; ").
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, query: String?, headers: [String: String], body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

public struct PageResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
