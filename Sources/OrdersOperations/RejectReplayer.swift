import Foundation
import OrdersStore
public import AMQP
public import LibPQ
public import OrdersBroker

/// Re-publishes rejected messages: the stored raw body, with its routing key, on the inbound
/// exchange, with publisher confirms, over one connection for the whole run, in windows;
/// `replayed_at` is set only after the broker confirmed.
///
/// A replay gets a new message id: the original one is recorded as processed (that is what keeps a
/// redelivered reject from being stored twice), so under its old id the worker would skip it.
/// Replaying the same reject twice is harmless: orders and parcels are upserted on their own keys.
public final class RejectReplayer {
    public enum Outcome: Sendable, Equatable {
        case replayed(routingKey: String)
        case notFound
        /// Only the first 64 KiB were kept: publishing them would only produce another reject.
        case bodyTruncated
        /// The body was removed (`orderflow prune` after its retention period, or an erasure): only the marker is left.
        case bodyRemoved
        case alreadyReplayed(at: String)
        /// Not confirmed by the broker (unroutable, nacked, unreachable): the reason, for the operator.
        case failed(String)
    }

    /// Which rejects a bulk replay takes: those whose reason contains `reason` (any case), received
    /// in the last `sinceHours`; not replayed yet unless `again`.
    public struct Filter: Sendable {
        public var reason: String?
        public var sinceHours: Int?

        public init(reason: String? = nil, sinceHours: Int? = nil) {
            self.reason = reason
            self.sinceHours = sinceHours
        }
    }

    private let amqp: AMQPNodeRotation
    private let exchange: String
    private let windowSize: Int
    private let store = RejectStore()
    private var publisher: AMQPPublisher?
    /// Why the broker cannot be used for the rest of the run, once it failed.
    private var brokerFailure: String?

    public init(amqp: AMQPNodes, exchange: String = Topology.inboundExchange, windowSize: Int = 200) {
        self.amqp = AMQPNodeRotation(amqp)
        self.exchange = exchange
        self.windowSize = windowSize
    }

    deinit { publisher?.close() }

    /// The rejects with these ids, in the order given; `report` gets each outcome as it is known.
    public func replay(
        ids: [Int64], on db: PostgresConnection, again: Bool = false, report: (Int64, Outcome) -> Void
    ) throws(PostgresError) {
        for start in stride(from: 0, to: ids.count, by: windowSize) {
            var window: [RejectRecord] = []
            for id in ids[start..<min(ids.count, start + windowSize)] {
                guard let reject = try store.find(id, on: db) else {
                    report(id, .notFound)
                    continue
                }
                window.append(reject)
            }
            try replay(window, on: db, again: again, report: report)
        }
    }

    /// Every reject `filter` takes, oldest first, page by page.
    public func replay(
        matching filter: Filter, on db: PostgresConnection, again: Bool = false, report: (Int64, Outcome) -> Void
    ) throws(PostgresError) {
        var after: Int64 = 0
        while true {
            let page = try store.select(
                after: after, limit: windowSize, reason: filter.reason, sinceHours: filter.sinceHours,
                pendingOnly: !again, on: db)
            guard let last = page.last else { return }
            after = last.id
            try replay(page, on: db, again: again, report: report)
        }
    }

    private func replay(
        _ rejects: [RejectRecord], on db: PostgresConnection, again: Bool, report: (Int64, Outcome) -> Void
    ) throws(PostgresError) {
        var sendable: [RejectRecord] = []
        for reject in rejects {
            if reject.bodyTruncated {
                report(reject.id, .bodyTruncated)
            } else if PersonalData.isMarker(reject.body) {
                report(reject.id, .bodyRemoved)
            } else if let at = reject.replayedAt, !again {
                report(reject.id, .alreadyReplayed(at: at))
            } else {
                sendable.append(reject)
            }
        }
        guard !sendable.isEmpty else { return }
        let messages = sendable.map {
            OutgoingMessage(
                exchange: exchange, routingKey: $0.routingKey, body: $0.body,
                properties: .persistentJSON(
                    messageID: UUID().uuidString.lowercased(), timestamp: UInt64(Date().timeIntervalSince1970)))
        }
        let outcomes = publish(messages)
        try store.markReplayed(zip(sendable, outcomes).filter { $0.1 == nil }.map { $0.0.id }, on: db)
        for (reject, failure) in zip(sendable, outcomes) {
            report(reject.id, failure.map(Outcome.failed) ?? .replayed(routingKey: reject.routingKey))
        }
    }

    /// Publishes a window and waits for its confirms: nil for each confirmed message, else why not.
    private func publish(_ messages: [OutgoingMessage]) -> [String?] {
        if let brokerFailure { return messages.map { _ in brokerFailure } }
        let publisher: AMQPPublisher
        do {
            publisher = try self.publisher ?? AMQPPublisher(connection: amqp.connect())
            self.publisher = publisher
        } catch {
            brokerFailure = "cannot publish to \(amqp.nodes.redactedDescription): \(error)"
            return messages.map { _ in brokerFailure }
        }
        let result = publisher.publish(messages)
        if let failure = result.failure {
            // The connection is gone (a missing exchange closes the channel too): say so for the rest.
            publisher.underlyingConnection.abandon()
            self.publisher = nil
            brokerFailure = "\(failure)"
        }
        return zip(messages, result.outcomes).map { message, outcome in
            switch outcome {
            case .confirmed: nil
            case .returned(let code, let text):
                "returned by the broker (\(code) \(text)): no queue bound to \(message.routingKey)"
            case .nacked: "refused by the broker (nack)"
            case .unconfirmed: brokerFailure ?? "not confirmed by the broker"
            }
        }
    }
}
