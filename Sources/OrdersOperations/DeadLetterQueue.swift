public import AMQP
import Foundation
import Resilience

/// A dead-letter queue (`orderflow.ingest.dead`, `orderflow.notifier.dead`) over one connection,
/// read with `basic.get`: blocking, on the calling thread (a CLI's).
///
/// Nothing is ever removed before it is safe elsewhere. Reading holds messages unacked and gives them
/// back; a replay publishes with publisher confirms and acks a dead letter only after the broker
/// confirmed its copy, so a replay cut at any point (killed, connection lost) leaves every message
/// either still dead-lettered or delivered — at worst both, a duplicate under the same message id,
/// which the ingest worker and the notifier's ledger absorb.
public final class DeadLetterQueue {
    public let name: String
    private let connection: AMQPConnection

    /// Connects (to the first of the nodes that answers) and checks that the queue exists.
    public init(amqp: AMQPNodes, queue: String) throws(AMQPError) {
        name = queue
        connection = try AMQPNodeRotation(amqp).connect()
        do {
            try connection.declareQueue(queue, passive: true)
        } catch {
            connection.close()
            if error.replyCode == 404 {
                throw AMQPError(.channelClosed, replyCode: 404, message: "no queue \(queue) on the broker")
            }
            throw error
        }
    }

    deinit { connection.close() }

    /// Up to `limit` dead letters that `selection` takes (every one without), oldest first. None is removed.
    public func peek(_ selection: DeadLetterSelection?, limit: Int) throws(AMQPError) -> [DeadLetter] {
        var found: [DeadLetter] = []
        while found.count < limit, let message = try connection.get(queue: name) {
            let letter = DeadLetter(message)
            if selection?.matches(letter) ?? true { found.append(letter) }
        }
        try giveBack()
        return found
    }

    public struct ReplayOptions: Sendable {
        /// Dead letters published before their confirms are awaited.
        public var windowSize = 100
        /// Messages per second; nil replays as fast as the broker confirms.
        public var ratePerSecond: Double?
        public var confirmTimeout: Duration = .seconds(10)
        /// At most this many.
        public var limit: Int?

        public init() {}
    }

    public struct ReplayReport: Sendable {
        public var replayed = 0
        /// Dead letters not replayed (and left in the queue), with the reason.
        public var failures: [(messageID: String?, reason: String)] = []
        /// Set when the run stopped early (connection lost, channel closed by the broker).
        public var abortReason: String?
    }

    /// Publishes the selected dead letters back where they were first published and removes each
    /// once its copy is confirmed. `progress` gets the count replayed after each window.
    public func replay(
        _ selection: DeadLetterSelection?, options: ReplayOptions = ReplayOptions(), progress: (Int) -> Void = { _ in }
    ) -> ReplayReport {
        var report = ReplayReport()
        let clock = ContinuousClock()
        let start = clock.now
        // Paced runs send small windows often, so the rate holds within a twentieth of a second.
        let windowSize =
            options.ratePerSecond.map { max(1, min(options.windowSize, Int($0 / 20))) } ?? options.windowSize
        do {
            try connection.enableConfirms()
            var carried: DeadLetter?
            while report.abortReason == nil {
                let room = options.limit.map { $0 - report.replayed - report.failures.count } ?? Int.max
                guard room > 0 else { break }
                var window: [DeadLetter] = []
                var ids: Set<String> = []
                if let letter = carried {
                    window.append(letter)
                    carried = nil
                }
                // A window's message ids are distinct, so a return names its message; a message without
                // an id (or a repeated one) goes alone.
                while window.count < min(windowSize, room), !(window.count == 1 && window[0].messageID == nil),
                    let message = try connection.get(queue: name)
                {
                    let letter = DeadLetter(message)
                    guard selection?.matches(letter) ?? true else { continue }  // held, given back at the end
                    guard letter.replayMessage != nil else {
                        report.failures.append(
                            (letter.messageID, "no x-death header: where it was first published is unknown"))
                        continue
                    }
                    if !window.isEmpty, letter.messageID.map({ ids.contains($0) }) ?? true {
                        carried = letter
                        break
                    }
                    window.append(letter)
                    if let id = letter.messageID { ids.insert(id) }
                }
                if window.isEmpty { break }
                if let rate = options.ratePerSecond, rate > 0 {
                    let due = start + .seconds(Double(report.replayed) / rate)
                    let wait = clock.now.duration(to: due)
                    if wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
                }
                try replayWindow(window, timeout: options.confirmTimeout, into: &report)
                progress(report.replayed)
            }
            try giveBack()
        } catch {
            // What was not acked goes back to the queue with the connection.
            report.abortReason = "\(error)"
            connection.abandon()
        }
        return report
    }

    /// Publishes one window, waits for its confirms, and acks the dead letters whose copies were confirmed.
    private func replayWindow(
        _ window: [DeadLetter], timeout: Duration, into report: inout ReplayReport
    ) throws(AMQPError) {
        var pending: [UInt64: Int] = [:]
        var outcomes: [Int: PublishOutcome] = [:]
        var returned: [Int: PublishOutcome] = [:]
        for (index, letter) in window.enumerated() {
            guard let message = letter.replayMessage else { continue }
            let sequence = try connection.publish(
                exchange: message.exchange, routingKey: message.routingKey, body: message.body,
                properties: message.properties, mandatory: true)
            pending[sequence] = index
        }
        let deadline = ContinuousClock.now + timeout
        while !pending.isEmpty, ContinuousClock.now < deadline {
            guard let event = try connection.nextEvent(timeout: .milliseconds(200)) else { continue }
            switch event {
            case .returned(let message):
                let index =
                    window.count == 1
                    ? 0
                    : message.properties.messageID.flatMap { id in
                        window.firstIndex { $0.messageID == id }
                    }
                if let index { returned[index] = .returned(replyCode: message.replyCode, replyText: message.replyText) }
            case .confirm(let tag, let multiple, let ack):
                for sequence in multiple ? pending.keys.filter({ $0 <= tag }) : [tag] {
                    guard let index = pending.removeValue(forKey: sequence) else { continue }
                    outcomes[index] = ack ? (returned[index] ?? .confirmed) : .nacked
                }
            default:
                break
            }
        }
        for (index, letter) in window.enumerated() {
            switch outcomes[index] ?? .unconfirmed {
            case .confirmed:
                try connection.ack(letter.deliveryTag)
                report.replayed += 1
            case .returned(let code, let text):
                let origin = letter.origin.map { "'\($0.exchange)' with \($0.routingKey)" } ?? "?"
                report.failures.append(
                    (letter.messageID, "returned by the broker (\(code) \(text)): nothing bound to \(origin)"))
            case .nacked: report.failures.append((letter.messageID, "refused by the broker (nack)"))
            case .unconfirmed: report.failures.append((letter.messageID, "not confirmed by the broker in time"))
            }
        }
    }

    /// Removes the selected dead letters (every one without a selection) and returns how many.
    public func purge(_ selection: DeadLetterSelection?) throws(AMQPError) -> Int {
        guard let selection else { return Int(try connection.purgeQueue(name)) }
        var purged = 0
        while let message = try connection.get(queue: name) {
            guard selection.matches(DeadLetter(message)) else { continue }
            try connection.ack(message.deliveryTag)
            purged += 1
        }
        try giveBack()
        return purged
    }

    /// Returns every message this connection holds unacked to the queue (tag 0, multiple: all of them).
    private func giveBack() throws(AMQPError) {
        try connection.nack(0, multiple: true, requeue: true)
    }
}
