public import AMQP
public import OrdersWorkers
import Synchronization

/// A message source without a broker, for unit tests of the consuming loop and its handlers: the
/// test puts connection events and deliveries in, and reads back what the loop settled.
public final class InMemoryMessageSource: MessageSource {
    private struct State: Sendable {
        var generation: UInt64 = 0
        var nextTag: UInt64 = 0
        var settlements: [Settlement] = []
        var started = false
        var stoppedConsuming = false
        var stopped = false
    }

    public let buffer: DeliveryBuffer
    private let state = Mutex(State())
    private let log: EventLog?
    private let stalled = Atomic<Int64>(0)

    /// `log`: where settlements are also written, to check their order against other fakes'.
    public init(capacity: Int = 1000, log: EventLog? = nil) {
        buffer = DeliveryBuffer(capacity: capacity)
        self.log = log
    }

    // MARK: what the test does

    /// A new connection: deliveries that follow carry its generation and fresh tags.
    @discardableResult
    public func connect() -> UInt64 {
        let generation = state.withLock { state in
            state.generation += 1
            state.nextTag = 0
            return state.generation
        }
        buffer.append(.consuming(generation: generation, node: "in-memory"))
        return generation
    }

    public func disconnect(_ error: AMQPError = AMQPError(.connectionLost, message: "test: connection lost")) {
        buffer.append(.disconnected(error))
    }

    /// Delivers one message on the current connection and returns it.
    @discardableResult
    public func deliver(
        _ body: String, routingKey: String = "order.canonical", messageID: String? = nil,
        redelivered: Bool = false
    ) -> AMQPConsumer.Delivery {
        let (generation, tag) = state.withLock { state in
            state.nextTag += 1
            return (state.generation, state.nextTag)
        }
        let message = AMQPReceivedMessage(
            deliveryTag: tag, redelivered: redelivered, routingKey: routingKey,
            properties: AMQPProperties(messageID: messageID), body: Array(body.utf8))
        let delivery = AMQPConsumer.Delivery(generation: generation, message: message)
        buffer.append(.delivery(delivery))
        return delivery
    }

    /// Pretends that the connection thread has not turned for `milliseconds` (a wedged consumer); 0 ends it.
    public func stall(milliseconds: Int64) { stalled.store(milliseconds, ordering: .relaxed) }

    public var settlements: [Settlement] { state.withLock { $0.settlements } }
    public var stoppedConsuming: Bool { state.withLock { $0.stoppedConsuming } }
    public var stopped: Bool { state.withLock { $0.stopped } }

    /// The tags acknowledged so far, counting what a multiple ack takes along (as the broker does;
    /// one connection's tags).
    public var ackedTags: Set<UInt64> {
        var acked: Set<UInt64> = []
        for settlement in settlements {
            guard case .ack(_, let tag, let multiple) = settlement else { continue }
            if multiple { acked.formUnion(1...tag) } else { acked.insert(tag) }
        }
        return acked
    }

    // MARK: MessageSource

    public var millisecondsSinceLastLoop: Int64? { stalled.load(ordering: .relaxed) }

    public func start() { state.withLock { $0.started = true } }

    public func settle(_ settlement: Settlement) {
        state.withLock { $0.settlements.append(settlement) }
        log?.append("settle \(settlement)")
    }

    public func stopConsuming() { state.withLock { $0.stoppedConsuming = true } }

    public func stop() {
        state.withLock { $0.stopped = true }
        buffer.finish()
    }
}

/// One ordered record of what several fakes did, to check that one thing happened before another.
public final class EventLog: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    public func append(_ line: String) { lines.withLock { $0.append(line) } }
    public var all: [String] { lines.withLock { $0 } }

    /// The position of the first line starting with `prefix`, or nil.
    public func first(_ prefix: String) -> Int? { all.firstIndex { $0.hasPrefix(prefix) } }
}
