import Synchronization

/// The broker nodes a client may use: one `AMQPConfiguration` per node, from a comma-separated
/// list of full URLs (the nodes of one cluster, each with its own host, and credentials and TLS
/// settings of its own if need be):
///
///     amqp://u:p@rabbit1:5672/%2F,amqp://u:p@rabbit2:5672/%2F,amqp://u:p@rabbit3:5672/%2F
///
/// A client connects to one node at a time (see `AMQPNodeRotation`).
public struct AMQPNodes: Sendable, Equatable {
    /// Never empty.
    public let all: [AMQPConfiguration]

    public init(_ node: AMQPConfiguration) { all = [node] }

    public init(_ nodes: [AMQPConfiguration]) {
        precondition(!nodes.isEmpty, "AMQPNodes needs at least one node")
        all = nodes
    }

    /// Parses the list; spaces around an entry are ignored (a comma inside a password is written
    /// `%2C`). An error names the entry by its position, never by its text, which holds a password.
    public init(urls: String) throws(AMQPError) {
        let entries = urls.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed() }
            .map { String($0) }
        var nodes: [AMQPConfiguration] = []
        for (index, entry) in entries.enumerated() {
            let position = entries.count == 1 ? "" : "entry \(index + 1) of \(entries.count): "
            guard !entry.isEmpty else {
                throw AMQPError(.invalidURL, message: "AMQP URL list \(position)is empty (a stray comma?)")
            }
            do {
                nodes.append(try AMQPConfiguration(url: entry))
            } catch {
                throw AMQPError(.invalidURL, message: position + error.message)
            }
        }
        all = nodes
    }

    public var count: Int { all.count }

    /// Every URL without its password, comma-separated, for log lines.
    public var redactedDescription: String { all.map(\.redactedDescription).joined(separator: ",") }
}

/// Which node a client connects to next: first a random one, so that a fleet of workers given the
/// same list spreads over the cluster instead of piling onto the first node, then each following
/// node in turn, so that after a lost or refused connection the client moves on to another node
/// rather than waiting for the one that failed. Shared by whoever opens connections for one client.
public final class AMQPNodeRotation: Sendable {
    public let nodes: AMQPNodes
    private let position: Mutex<Int>

    /// Starts at a random node.
    public convenience init(_ nodes: AMQPNodes) {
        var generator = SystemRandomNumberGenerator()
        self.init(nodes, using: &generator)
    }

    /// Starts at a node chosen by `generator` (a seeded one in tests).
    public init<G: RandomNumberGenerator>(_ nodes: AMQPNodes, using generator: inout G) {
        self.nodes = nodes
        position = Mutex(Int.random(in: 0..<nodes.count, using: &generator))
    }

    /// The node to try now; the following call gives the next one in the list (round).
    public func next() -> AMQPConfiguration {
        position.withLock { position in
            defer { position = (position + 1) % nodes.count }
            return nodes.all[position]
        }
    }

    /// Opens a connection to the first node that takes one, trying each node at most once, from
    /// the next in turn (for commands that connect once: status, topology). Throws the last node's
    /// error, or at once an error no other node will cure (a bad URL).
    public func connect() throws(AMQPError) -> AMQPConnection {
        var lastError = AMQPError(.connectionFailed, message: "no broker node")
        for _ in 0..<nodes.count {
            do {
                return try AMQPConnection(next())
            } catch {
                if error.code == .invalidURL { throw error }
                lastError = error
            }
        }
        throw lastError
    }
}

extension AMQPConfiguration {
    /// `host:port` (IPv6 in brackets): which node, for log lines and /healthz, without the credentials.
    public var node: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
