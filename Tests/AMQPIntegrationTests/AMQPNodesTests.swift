import AMQP
import Foundation
import Testing

@Suite("AMQP broker nodes: the URL list and which node comes next")
struct AMQPNodesTests {
    @Test func aListOfFullURLsIsOneNodeEach() throws {
        let nodes = try AMQPNodes(
            urls: "amqp://u:secret-1@rabbit1:5672/%2F, amqps://u:secret-2@rabbit2/shop?cacertfile=/ca.pem ,"
                + "amqp://u:secret-3@[fd00::3]:5673/%2F")
        #expect(nodes.count == 3)
        #expect(nodes.all.map(\.node) == ["rabbit1:5672", "rabbit2:5671", "[fd00::3]:5673"])
        #expect(nodes.all.map(\.password) == ["secret-1", "secret-2", "secret-3"])
        #expect(nodes.all[1].tls?.caCertificateFile == "/ca.pem")
        #expect(nodes.all[1].virtualHost == "shop")
        #expect(
            nodes.redactedDescription
                == "amqp://u@rabbit1:5672/%2F,amqps://u@rabbit2:5671/shop,amqp://u@[fd00::3]:5673/%2F")
        #expect(try AMQPNodes(urls: "amqp://guest:guest@127.0.0.1:5672/%2F").count == 1)
        // One URL where a list was given is an error, not a vhost made of the rest.
        let error = #expect(throws: AMQPError.self) {
            try AMQPConfiguration(url: "amqp://u:pw-1@h1/%2F,amqp://u:pw-2@h2/%2F")
        }
        #expect(error?.message.contains("comma") == true)
        #expect(!"\(String(describing: error))".contains("pw-"))
    }

    /// The error says which entry is wrong and why, and never quotes the text, which holds a password.
    @Test(arguments: [
        ("amqp://u:pw-1@h1/%2F,amqp://u:pw-2@h2:99999/%2F", "entry 2 of 2: AMQP URL has an invalid port"),
        ("amqp://u:pw-1@h1/%2F,,amqp://u:pw-2@h2/%2F", "entry 2 of 3 is empty"),
        ("amqp://u:pw-1@h1/%2F,", "entry 2 of 2 is empty"),
        ("http://u:pw-1@h1/,amqp://u:pw-2@h2/%2F", "entry 1 of 2: AMQP URL must start with amqp:// or amqps://"),
        ("amqp://u:pw-1@h1/%2F,amqp://u:pw-2@h2/%2F?bogus=1", "entry 2 of 2: unknown AMQP URL parameter 'bogus'"),
    ])
    func aWrongEntryIsNamedByItsPosition(urls: String, expected: String) {
        let error = #expect(throws: AMQPError.self) { try AMQPNodes(urls: urls) }
        #expect(error?.code == .invalidURL)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
        #expect(!"\(String(describing: error))".contains("pw-"), "no password in the error")
    }

    @Test func theRotationGoesRoundFromItsStart() throws {
        let nodes = try AMQPNodes(urls: "amqp://a:1/%2F,amqp://b:2/%2F,amqp://c:3/%2F")
        var generator = SeededGenerator(seed: 7)
        let rotation = AMQPNodeRotation(nodes, using: &generator)
        let first = rotation.next().node
        let start = try #require(nodes.all.firstIndex { $0.node == first })
        let following = (0..<5).map { _ in rotation.next().node }
        #expect(following == (1...5).map { nodes.all[(start + $0) % 3].node })
        // `current` stays; `advance` moves on.
        #expect(rotation.current.node == nodes.all[(start + 6) % 3].node)
        #expect(rotation.current.node == nodes.all[(start + 6) % 3].node)
        rotation.advance()
        #expect(rotation.next().node == nodes.all[(start + 7) % 3].node)
    }

    /// Workers given the same list start on different nodes: over 300 rotations (as many workers
    /// starting), every node of three is someone's first, each about a third of the time. The
    /// bounds are wide: a count outside 50…150 has a probability far below 10⁻¹⁰.
    @Test func workersWithTheSameListSpreadOverTheNodes() throws {
        let nodes = try AMQPNodes(urls: "amqp://a:1/%2F,amqp://b:2/%2F,amqp://c:3/%2F")
        var firsts: [String: Int] = [:]
        for _ in 0..<300 { firsts[AMQPNodeRotation(nodes).next().node, default: 0] += 1 }
        #expect(Set(firsts.keys) == ["a:1", "b:2", "c:3"], "\(firsts)")
        for (node, count) in firsts { #expect((50...150).contains(count), "\(node): \(count) of 300") }
    }

    /// `connect()` skips a node that refuses the connection and takes the next one.
    @Test func connectSkipsANodeThatRefuses() throws {
        let live = try configuration()
        var dead = live
        dead.port = 1  // nothing listens there: refused at once
        var startAtTheFirst = SeededGenerator(seed: 0, constant: true)
        let rotation = AMQPNodeRotation(AMQPNodes([dead, live]), using: &startAtTheFirst)
        let connection = try rotation.connect()
        defer { connection.close() }
        #expect(connection.configuration.port == live.port)
    }
}

/// SplitMix64: a small generator with a fixed seed, so a test's "random" choices repeat.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    private let constant: Bool

    /// `constant`: always returns 0 (the first of any range).
    init(seed: UInt64, constant: Bool = false) {
        state = seed
        self.constant = constant
    }

    mutating func next() -> UInt64 {
        if constant { return 0 }
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("AMQP consumer over several nodes (real broker)", .serialized)
struct AMQPConsumerNodesTests {
    /// A node that refuses the login (here: a wrong password for it) is skipped while another takes
    /// us; only when every node refuses in a row does the consumer give up with the refusal.
    @Test func aNodeThatRefusesTheLoginIsSkippedUntilAllRefuse() async throws {
        let queue = uniqueName("nodes")
        let admin = try AMQPConnection(try configuration())
        defer { _ = try? admin.deleteQueue(queue); admin.close() }
        try admin.declareQueue(queue, durable: false)
        let live = try configuration()
        var refusing = live
        refusing.password = "not-the-password"

        let consumer = AMQPConsumer(
            nodes: AMQPNodeRotation(AMQPNodes([refusing, live, refusing])), options: .init(queue: queue, prefetch: 5))
        let events = EventCollector(consumer)
        consumer.start()
        defer { consumer.stop() }
        try await events.waitFor { $0.isConsuming }
        #expect(!events.events.contains { if case .disconnected(let e) = $0 { !e.isRecoverable } else { false } })

        var options = AMQPConsumer.Options(queue: queue, prefetch: 5)
        options.initialBackoff = .milliseconds(50)
        let hopeless = AMQPConsumer(nodes: AMQPNodeRotation(AMQPNodes([refusing, refusing])), options: options)
        let refusals = EventCollector(hopeless)
        hopeless.start()
        defer { hopeless.stop() }
        let final = try await refusals.waitFor {
            if case .disconnected(let e) = $0 { !e.isRecoverable } else { false }
        }
        #expect(final.count == 1)
        #expect(refusals.events.filter(\.isDisconnected).count == 2, "one skipped, then the final refusal")
    }
}
