import Foundation
import Resilience
import Synchronization

/// Consumes one queue over a connection owned by a dedicated thread.
///
/// librabbitmq connections are not thread-safe and only service heartbeats inside their own calls,
/// so one thread owns the connection for its whole life: it polls with a short timeout (heartbeats
/// and shutdown stay responsive however long a handler takes), appends what arrives to `buffer`
/// (the only queue between it and the loop that handles deliveries), sends the acks that other
/// threads queue in its mailbox, and reconnects with backoff and jitter when the connection is lost.
/// Given several broker nodes, it starts on a random one and moves on to the next in turn after a
/// lost or refused connection (`AMQPNodeRotation`).
///
/// Deliveries carry the connection generation they arrived on: an ack for an older generation is
/// dropped, because its delivery tag means nothing on the new connection (the broker redelivers
/// the message instead).
public final class AMQPConsumer: Sendable {
    public struct Options: Sendable {
        public var queue: String
        public var prefetch: UInt16
        /// How long one poll waits for the broker; bounds ack latency and shutdown time.
        public var pollInterval: Duration = .milliseconds(50)
        public var initialBackoff: Duration = .milliseconds(500)
        public var maximumBackoff: Duration = .seconds(30)
        /// Runs on every new connection before consuming (declare topology, say).
        public var setup: @Sendable (AMQPConnection) throws -> Void

        public init(
            queue: String, prefetch: UInt16, setup: @escaping @Sendable (AMQPConnection) throws -> Void = { _ in }
        ) {
            self.queue = queue
            self.prefetch = prefetch
            self.setup = setup
        }
    }

    /// A received message and the connection it came on (its delivery tag means nothing on another).
    public struct Delivery: Sendable {
        public let generation: UInt64
        public let message: AMQPReceivedMessage

        public init(generation: UInt64, message: AMQPReceivedMessage) {
            self.generation = generation
            self.message = message
        }
    }

    public enum Event: Sendable {
        /// Consuming on a fresh connection (generation counts connections) to `node` (`host:port`).
        case consuming(generation: UInt64, node: String)
        case delivery(Delivery)
        /// The connection failed; unacked deliveries of that generation will be redelivered.
        case disconnected(AMQPError)
        /// The broker cancelled the consumer; the thread subscribes again on a new connection by itself.
        case cancelledByBroker
    }

    private enum Command: Sendable {
        case ack(generation: UInt64, tag: UInt64, multiple: Bool)
        case nack(generation: UInt64, tag: UInt64, multiple: Bool, requeue: Bool)
        case reject(generation: UInt64, tag: UInt64, requeue: Bool)
        case stopConsuming
    }

    private struct Shared: Sendable {
        var mailbox: [Command] = []
        var stopRequested = false
    }

    private let nodes: AMQPNodeRotation
    private let options: Options
    private let shared = Mutex(Shared())
    /// Where the thread puts every event; sized by the prefetch, which bounds unacked deliveries.
    public let buffer: DeliveryBuffer
    /// Monotonic milliseconds of the consume loop's last turn: a watchdog can tell it is alive.
    private let lastLoopMillis = Atomic<Int64>(0)

    public convenience init(configuration: AMQPConfiguration, options: Options) {
        self.init(nodes: AMQPNodeRotation(AMQPNodes(configuration)), options: options)
    }

    /// Consumes from one of `nodes` at a time (the rotation's next one on every connection attempt).
    public init(nodes: AMQPNodeRotation, options: Options) {
        self.nodes = nodes
        self.options = options
        buffer = DeliveryBuffer(capacity: Int(options.prefetch))
    }

    /// Starts the connection thread.
    public func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = "amqp-consumer-\(options.queue)"
        thread.start()
    }

    public func ack(_ delivery: Delivery, multiple: Bool = false) {
        ack(generation: delivery.generation, tag: delivery.message.deliveryTag, multiple: multiple)
    }

    public func nack(_ delivery: Delivery, multiple: Bool = false, requeue: Bool) {
        nack(generation: delivery.generation, tag: delivery.message.deliveryTag, multiple: multiple, requeue: requeue)
    }

    public func reject(_ delivery: Delivery, requeue: Bool) {
        reject(generation: delivery.generation, tag: delivery.message.deliveryTag, requeue: requeue)
    }

    /// Settling needs only the connection generation and the delivery tag.
    public func ack(generation: UInt64, tag: UInt64, multiple: Bool) {
        enqueue(.ack(generation: generation, tag: tag, multiple: multiple))
    }

    public func nack(generation: UInt64, tag: UInt64, multiple: Bool, requeue: Bool) {
        enqueue(.nack(generation: generation, tag: tag, multiple: multiple, requeue: requeue))
    }

    public func reject(generation: UInt64, tag: UInt64, requeue: Bool) {
        enqueue(.reject(generation: generation, tag: tag, requeue: requeue))
    }

    /// Sends basic.cancel: no new deliveries; acks for those in flight still go out (draining).
    public func stopConsuming() { enqueue(.stopConsuming) }

    /// Sends queued acks, closes the connection and finishes `buffer`. Unacked deliveries go back to the queue.
    public func stop() { shared.withLock { $0.stopRequested = true } }

    /// Milliseconds since the consume loop last turned (for watchdogs), or nil before it started.
    public var millisecondsSinceLastLoop: Int64? {
        let last = lastLoopMillis.load(ordering: .relaxed)
        return last == 0 ? nil : Self.nowMillis() - last
    }

    private func enqueue(_ command: Command) { shared.withLock { $0.mailbox.append(command) } }

    // MARK: the connection thread

    private func run() {
        var generation: UInt64 = 0
        var backoff = Backoff(initial: options.initialBackoff, maximum: options.maximumBackoff)
        var stopConsumingRequested = false
        defer { buffer.finish() }
        while !shared.withLock({ $0.stopRequested }) {
            lastLoopMillis.store(Self.nowMillis(), ordering: .relaxed)
            let connection: AMQPConnection
            var consumerTag: String
            let node = nodes.next()
            do {
                connection = try AMQPConnection(node)
                try options.setup(connection)
                try connection.setPrefetch(options.prefetch)
                consumerTag = stopConsumingRequested ? "" : try connection.consume(queue: options.queue)
            } catch {
                let error = Self.amqpError(error)
                buffer.append(.disconnected(error))
                if !error.isRecoverable { return }
                sleepInterruptibly(backoff.delay())
                continue
            }
            generation += 1
            backoff.reset()
            // Commands queued for an older connection are meaningless now.
            shared.withLock {
                $0.mailbox.removeAll {
                    if case .stopConsuming = $0 { return false }; return true
                }
            }
            buffer.append(.consuming(generation: generation, node: node.node))
            do {
                while true {
                    lastLoopMillis.store(Self.nowMillis(), ordering: .relaxed)
                    let (commands, stop) = shared.withLock { state in
                        defer { state.mailbox.removeAll(keepingCapacity: true) }
                        return (state.mailbox, state.stopRequested)
                    }
                    for command in commands {
                        switch command {
                        case .ack(let g, let tag, let multiple) where g == generation:
                            try connection.ack(tag, multiple: multiple)
                        case .nack(let g, let tag, let multiple, let requeue) where g == generation:
                            try connection.nack(tag, multiple: multiple, requeue: requeue)
                        case .reject(let g, let tag, let requeue) where g == generation:
                            try connection.reject(tag, requeue: requeue)
                        case .stopConsuming:
                            stopConsumingRequested = true
                            if !consumerTag.isEmpty {
                                try connection.cancel(consumerTag: consumerTag); consumerTag = ""
                            }
                        default: continue  // stale: from an earlier connection
                        }
                    }
                    if stop { connection.close(); return }
                    guard buffer.hasRoom else {
                        // Full: leave further deliveries in the socket until the loop catches up.
                        Thread.sleep(forTimeInterval: options.pollInterval.seconds)
                        continue
                    }
                    switch try connection.nextEvent(timeout: options.pollInterval) {
                    case .delivery(let message)?:
                        buffer.append(.delivery(Delivery(generation: generation, message: message)))
                    case .consumerCancelled?:
                        buffer.append(.cancelledByBroker)
                        consumerTag = ""
                        if !stopConsumingRequested {
                            // The queue was deleted or lost its leader: subscribe again on a new connection (with
                            // backoff while the queue is missing), so nothing of the old channel carries over.
                            throw AMQPError(
                                .channelClosed, message: "the broker cancelled the consumer of '\(options.queue)'")
                        }
                    default:
                        continue
                    }
                }
            } catch {
                connection.abandon()
                buffer.append(.disconnected(Self.amqpError(error)))
                sleepInterruptibly(backoff.delay())
            }
        }
    }

    private func sleepInterruptibly(_ duration: Duration) {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline, !shared.withLock({ $0.stopRequested }) {
            lastLoopMillis.store(Self.nowMillis(), ordering: .relaxed)  // backing off is alive, not stuck
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// `setup` may throw anything; the stream reports AMQP errors.
    static func amqpError(_ error: any Error) -> AMQPError {
        error as? AMQPError ?? AMQPError(.channelClosed, message: "consumer setup failed: \(error)")
    }

    static func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
