import Resilience
import AMQP
public import DaemonSupport
public import Logging
import Metrics
import ServiceLifecycle

/// The one consuming loop of orderflow, shared by the ingest worker and the notifier.
///
/// The source's thread puts deliveries into its buffer; this loop waits on the buffer, takes up to
/// `batchSize`, gives the batch to the service's handler, and acks, requeues or dead-letters each
/// delivery as the handler decided (runs of acks become one `multiple` ack). It answers the
/// connection events (readiness, /healthz state, reconnect counts), pings the watchdog on every
/// turn while the source's thread turns too, and on graceful shutdown stops consuming, then
/// drains what was delivered (ingest) or finishes the batch in hand (notifier) before it stops
/// the source, which still sends the acks queued for it.
public final class ConsumerLoop: Sendable {
    public struct Options: Sendable {
        /// What graceful shutdown does with deliveries already in the buffer.
        public enum Shutdown: Sendable {
            /// Handle them too, for at most `timeout` after shutdown began; the rest go back.
            case drain(timeout: Duration)
            /// Finish the batch in hand; everything else goes back to the queue.
            case finishInHand
        }

        public var queue: String
        /// Most deliveries per handler call.
        public var batchSize: Int
        /// How long a partial batch waits for more before it is handled (none by default: what
        /// arrives while one batch is handled already makes the next).
        public var batchWindow: Duration = .zero
        public var shutdown: Shutdown
        /// A batch holding a redelivered message is handled one delivery at a time, each settled
        /// before the next: a redelivery may follow a crash, and the message that caused it must not
        /// take the messages around it down again.
        public var isolateRedeliveries = false
        /// The metric that is 1 while the consumer is registered (alert: 0 with a backlog).
        public var activeGauge: String

        public init(queue: String, batchSize: Int, shutdown: Shutdown, activeGauge: String) {
            self.queue = queue
            self.batchSize = max(1, batchSize)
            self.shutdown = shutdown
            self.activeGauge = activeGauge
        }
    }

    public let source: any MessageSource
    public let options: Options
    public let status: ConsumerStatus
    let systemd: SystemdNotifier
    let logger: Logger
    private let reconnects = Counter(label: "orderflow_amqp_reconnects_total")
    private let active: Gauge

    public init(
        source: any MessageSource, options: Options, status: ConsumerStatus = ConsumerStatus(),
        systemd: SystemdNotifier = .disabled, logger: Logger
    ) {
        self.source = source
        self.options = options
        self.status = status
        self.systemd = systemd
        self.logger = logger
        active = Gauge(label: options.activeGauge)
    }

    /// Runs until the source is finished or shutdown is complete. `companions` run beside the
    /// loop (progress lines) and are cancelled after it. Throws the broker's refusal when the
    /// source gave up for good (a refused login): the process must fail with the reason.
    public func run(
        _ handler: some DeliveryHandler, companions: [@Sendable () async -> Void] = [],
        stoppingStatus: String
    ) async throws {
        source.start()
        let refusal = await withTaskGroup(of: Void.self) { group in
            for companion in companions { group.addTask { await companion() } }
            let refusal = await withGracefulShutdownHandler {
                await turnUntilDone(handler)
            } onGracefulShutdown: { [source, status, systemd] in
                source.stopConsuming()
                status.beginStopping()
                systemd.stopping(status: stoppingStatus)
                source.buffer.interrupt()
            }
            group.cancelAll()
            return refusal
        }
        source.stop()
        let late = await waitForSourceToFinish()
        await handler.close()
        if let error = refusal ?? late { throw error }
    }

    // MARK: what handlers use

    /// Shutdown has begun and the handler must give up what it has not finished: at once when
    /// finishing the batch in hand, after the drain timeout when draining.
    public var mustStop: Bool {
        guard status.isStopping else { return false }
        switch options.shutdown {
        case .finishInHand: return true
        case .drain(let timeout): return status.stoppingLonger(than: timeout)
        }
    }

    /// Waits `duration` (a retry's backoff) in slices short enough to keep the watchdog fed:
    /// waiting on purpose is not being stuck. Returns early once `mustStop`.
    public func pause(_ duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline, !mustStop, !Task.isCancelled {
            turned()
            try? await Task.sleep(for: min(turnInterval, deadline - ContinuousClock.now))
        }
    }

    /// The longest an idle loop waits before turning: a quarter of the ping interval, at most a second.
    public var turnInterval: Duration { min(.seconds(1), (systemd.watchdogInterval ?? .seconds(4)) / 4) }

    /// A turn of the loop: pings systemd's watchdog, but only while the source's thread, which owns
    /// the broker connection, is turning too. Either one wedged stops the pings, and systemd
    /// restarts the process.
    func turned() {
        if let interval = systemd.watchdogInterval, let idle = source.millisecondsSinceLastLoop,
            idle > interval.milliseconds
        {
            return
        }
        systemd.loopTurned()
    }

    // MARK: the loop

    private func turnUntilDone(_ handler: some DeliveryHandler) async -> AMQPError? {
        let buffer = source.buffer
        var planner = SettlementPlanner()
        var refusal: AMQPError?
        while true {
            turned()
            if status.isStopping {
                guard case .drain(let timeout) = options.shutdown else { return refusal }
                if status.stoppingLonger(than: timeout) {
                    logger.warning("drain timeout: unacked messages go back to the queue")
                    return refusal
                }
                // Drained when nothing is buffered for a moment after basic.cancel.
                if buffer.count == 0 {
                    try? await Task.sleep(for: .milliseconds(200))
                    if buffer.count == 0 { return refusal }
                }
            } else {
                await buffer.waitForEvents(atMost: turnInterval)
            }
            if buffer.isFinished { return refusal }
            if buffer.count < options.batchSize && options.batchWindow > .zero {
                try? await Task.sleep(for: options.batchWindow)
            }
            var deliveries: [AMQPConsumer.Delivery] = []
            for event in buffer.take(options.batchSize) {
                if case .delivery(let delivery) = event {
                    deliveries.append(delivery)
                } else {
                    refusal = observe(event) ?? refusal
                }
            }
            guard !deliveries.isEmpty else { continue }
            if options.isolateRedeliveries, deliveries.contains(where: \.message.redelivered) {
                for delivery in deliveries {
                    let handled = mustStop ? HandledBatch([.leave]) : await handler.handle([delivery], in: self)
                    settle([delivery], handled, with: &planner)
                }
            } else {
                settle(deliveries, await handler.handle(deliveries, in: self), with: &planner)
            }
            if status.isStopping, case .finishInHand = options.shutdown { return refusal }
        }
    }

    private func settle(
        _ deliveries: [AMQPConsumer.Delivery], _ handled: HandledBatch, with planner: inout SettlementPlanner
    ) {
        for settlement in planner.plan(deliveries, handled.dispositions) { source.settle(settlement) }
        handled.whenSettled()
    }

    /// Answers a connection event; returns the error when the broker refused us for good.
    private func observe(_ event: AMQPConsumer.Event) -> AMQPError? {
        switch event {
        case .consuming(let generation, let node):
            status.markConsuming(generation: generation, node: node)
            active.record(1)
            logger.info(
                "consuming",
                metadata: [
                    "amqp.queue": "\(options.queue)", "amqp.generation": "\(generation)", "amqp.node": "\(node)",
                ])
            // The broker has confirmed the consumer (basic.consume-ok): now, and only now, ready.
            systemd.ready(status: "consuming \(options.queue)")
            if generation > 1 { reconnects.increment() }
        case .disconnected(let error):
            status.markDisconnected()
            active.record(0)
            if let refusal = Self.refusal(in: event) {
                logger.error(
                    "the broker refused this process; not retrying (check the URL and credential)",
                    metadata: ["amqp.error": "\(refusal)"])
                return refusal
            }
            logger.warning("broker connection lost; reconnecting", metadata: ["amqp.error": "\(error)"])
        case .cancelledByBroker:
            status.markDisconnected()
            logger.warning(
                "broker cancelled the consumer; subscribing again", metadata: ["amqp.queue": "\(options.queue)"])
        case .delivery:
            break
        }
        return nil
    }

    /// The error of a disconnect that ends the source for good (a refused login, a bad URL).
    private static func refusal(in event: AMQPConsumer.Event) -> AMQPError? {
        guard case .disconnected(let error) = event, !error.isRecoverable else { return nil }
        return error
    }

    /// After `stop()`: waits until the source's thread has sent what was queued and closed.
    /// What is still buffered is left unacked and goes back to the queue.
    private func waitForSourceToFinish() async -> AMQPError? {
        var refusal: AMQPError?
        while !source.buffer.isFinished {
            for event in source.buffer.take(.max) {
                refusal = Self.refusal(in: event) ?? refusal
            }
            await source.buffer.waitForEvents()
        }
        return refusal
    }
}
