public import AMQP
import Foundation
import Resilience

/// Publishes runs of messages with publisher confirms and `mandatory`, in windows: each window is
/// sent, then its confirms are awaited. What the broker did not confirm (connection lost, no confirm
/// in time) is re-published on a new connection, with exponential backoff, a few times; what it
/// nacked (a quorum queue between leaders after a node died, or a full queue refusing publishes) is
/// re-published the same way on the same connection. Messages that stay unconfirmed or nacked, or
/// were returned (unroutable), are failures in the report, never successes. A re-published message
/// keeps its message id, so a consumer can tell the duplicate that a lost confirm may leave behind.
///
/// Blocking, on the calling thread (librabbitmq is synchronous and not thread-safe): for a CLI.
public final class ConfirmedPublisher {
    public struct Options: Sendable {
        /// Messages in flight before waiting for their confirms. Below about 1000 the broker's
        /// confirm latency (a quorum queue commits in batches) limits the rate; above, it does not rise.
        public var windowSize = 1000
        /// Messages per second; nil publishes as fast as the broker confirms.
        public var ratePerSecond: Double?
        /// Connection attempts per window before its messages are given up as unconfirmed. With the
        /// backoff below, a broker outage of about half a minute is bridged.
        public var attempts = 8
        public var initialBackoff: Duration = .milliseconds(250)
        public var maximumBackoff: Duration = .seconds(5)
        public var confirmTimeout: Duration = .seconds(10)
        public var progressInterval: Duration = .seconds(1)

        public init() {}
    }

    private let nodes: AMQPNodeRotation
    private let options: Options
    private let progress: ((PublishProgress) -> Void)?
    private let notice: ((String) -> Void)?
    private var connection: AMQPPublisher?

    /// `progress` is called about every `progressInterval`; `notice` when the publisher waits to
    /// reconnect, with the reason (never the password), and when it reconnected, with the node.
    public convenience init(
        configuration: AMQPConfiguration, options: Options = Options(),
        progress: ((PublishProgress) -> Void)? = nil, notice: ((String) -> Void)? = nil
    ) {
        self.init(nodes: AMQPNodes(configuration), options: options, progress: progress, notice: notice)
    }

    /// Publishes through one of `nodes` at a time: a random one first, each reconnect to the next in turn.
    public init(
        nodes: AMQPNodes, options: Options = Options(),
        progress: ((PublishProgress) -> Void)? = nil, notice: ((String) -> Void)? = nil
    ) {
        self.nodes = AMQPNodeRotation(nodes)
        self.options = options
        self.progress = progress
        self.notice = notice
    }

    deinit { connection?.close() }

    public func publish(_ messages: InboundMessages) -> PublishReport {
        var report = PublishReport(total: messages.count)
        let clock = ContinuousClock()
        let start = clock.now
        var lastProgress = start
        var sent = 0
        // Paced runs send small windows often, so the rate holds within a twentieth of a second.
        let windowSize =
            options.ratePerSecond.map { max(1, min(options.windowSize, Int($0 / 20))) } ?? options.windowSize
        let windows = stride(from: 0, to: messages.count, by: windowSize).map {
            $0..<min(messages.count, $0 + windowSize)
        }
        let producer = WindowProducer(messages, windows: windows)
        defer { producer.stop() }

        for window in windows where report.abortReason == nil {
            var batch = producer.next()
            if let rate = options.ratePerSecond, rate > 0 {
                clock.sleepUntil(start + .seconds(Double(window.lowerBound) / rate))
            }
            let timestamp = UInt64(Date().timeIntervalSince1970)
            for position in batch.indices { batch[position].properties.timestamp = timestamp }
            publishWindow(batch, into: &report)
            sent = window.upperBound
            if let progress, clock.now - lastProgress >= options.progressInterval {
                lastProgress = clock.now
                progress(
                    PublishProgress(
                        total: messages.count, sent: sent - report.notSent, confirmed: report.confirmed,
                        failed: report.failed, elapsed: lastProgress - start))
            }
        }
        // Whatever an abort left unsent was not published either.
        report.notSent += messages.count - sent
        report.elapsed = clock.now - start
        connection?.close()  // politely: the broker logs a dropped socket as an error
        connection = nil
        return report
    }

    /// Sends one window until every message has an outcome, reconnecting for the unconfirmed ones.
    private func publishWindow(_ batch: [OutgoingMessage], into report: inout PublishReport) {
        var pending = batch
        var attempt = 0
        var backoff = Backoff(initial: options.initialBackoff, maximum: options.maximumBackoff)
        while !pending.isEmpty {
            attempt += 1
            guard let publisher = connectedPublisher(into: &report) else {
                // Sent before (a retry) or never sent at all: either way not known to be stored.
                if attempt == 1 { report.notSent += pending.count } else { report.unconfirmed += pending.count }
                return
            }
            let result = publisher.publish(pending, timeout: options.confirmTimeout)
            // Both sent again, in their order: not known to be stored (unconfirmed), or known not to
            // be (nacked: the broker took no responsibility for them).
            var retry: [OutgoingMessage] = []
            var (unconfirmed, nacked) = (0, 0)
            for (message, outcome) in zip(pending, result.outcomes) {
                switch outcome {
                case .confirmed: report.confirmed += 1
                case .returned(let code, let text):
                    report.returned += 1
                    if report.returnReason == nil { report.returnReason = "\(code) \(text)" }
                case .nacked:
                    nacked += 1
                    retry.append(message)
                case .unconfirmed:
                    unconfirmed += 1
                    retry.append(message)
                }
            }
            if let failure = result.failure {
                dropConnection(broken: true)
                if let reason = Self.fatalReason(failure, exchange: batch[0].exchange) {
                    report.abortReason = reason
                    report.unconfirmed += unconfirmed
                    report.nacked += nacked
                    return
                }
                report.reconnects += 1
            } else if unconfirmed > 0 {
                // No confirm in time on a live connection (a blocked or overloaded broker): start
                // afresh rather than wait on a channel that may never answer.
                dropConnection(broken: false)
                report.reconnects += 1
            }
            pending = retry
            guard !pending.isEmpty else { return }
            guard attempt < options.attempts else {
                report.unconfirmed += unconfirmed
                report.nacked += nacked
                return
            }
            let reason =
                result.failure.map { "\($0)" }
                ?? (unconfirmed > 0
                    ? "no confirm within \(options.confirmTimeout)"
                    : "\(nacked) message(s) refused by the broker (nack: a queue between leaders, or full)")
            let delay = backoff.delay()
            notice?("\(reason); publishing \(pending.count) message(s) again in \(delay)")
            Thread.sleep(forTimeInterval: delay.seconds)
        }
    }

    /// The open publisher, or a new one after a few attempts with backoff; nil (with the reason in
    /// the report) when the broker cannot be reached or refuses us.
    private func connectedPublisher(into report: inout PublishReport) -> AMQPPublisher? {
        if let connection { return connection }
        var lastError: AMQPError?
        var backoff = Backoff(initial: options.initialBackoff, maximum: options.maximumBackoff)
        var refusalsInARow = 0  // final only when every node refused us in a row
        for attempt in 1...options.attempts {
            do {
                let publisher = try AMQPPublisher(nodes.next())
                connection = publisher
                if report.reconnects > 0 || attempt > 1 {
                    notice?("publishing to \(publisher.underlyingConnection.configuration.node)")
                }
                return publisher
            } catch {
                lastError = error
                refusalsInARow = error.isRecoverable ? 0 : refusalsInARow + 1
                if refusalsInARow >= nodes.nodes.count || attempt == options.attempts { break }
                let delay = backoff.delay()
                notice?("\(error); connecting again in \(delay) (attempt \(attempt + 1) of \(options.attempts))")
                Thread.sleep(forTimeInterval: delay.seconds)
            }
        }
        report.abortReason =
            "cannot publish to \(nodes.nodes.redactedDescription): \(lastError.map { "\($0)" } ?? "no connection")"
        return nil
    }

    /// A broken connection is abandoned: a close handshake on a dead socket could block until the
    /// heartbeat gives up.
    private func dropConnection(broken: Bool) {
        if broken { connection?.underlyingConnection.abandon() } else { connection?.close() }
        connection = nil
    }

    /// Errors that another connection will not cure: say what to do instead of retrying.
    static func fatalReason(_ error: AMQPError, exchange: String) -> String? {
        if error.code == .channelClosed && error.replyCode == 404 {
            return "exchange '\(exchange)' does not exist: run `orderflow topology` first (\(error.message))"
        }
        if error.code == .channelClosed || !error.isRecoverable {
            return "the broker refused the publish: \(error)"
        }
        return nil
    }
}

private extension ContinuousClock {
    func sleepUntil(_ deadline: Instant) {
        let remaining = now.duration(to: deadline)
        if remaining > .zero { Thread.sleep(forTimeInterval: remaining.seconds) }
    }
}
