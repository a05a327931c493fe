import AMQP
import Foundation
import OrdersTestSupport
import Synchronization

/// The broker of `deploy/local.sh up` unless ORDERFLOW_AMQP_URL says otherwise. A missing broker
/// fails these tests: they never skip.
let amqpURL = LocalStack.amqpURL

func configuration(heartbeat: Int = 15) throws -> AMQPConfiguration {
    var configuration = try AMQPConfiguration(url: amqpURL)
    configuration.heartbeatSeconds = heartbeat
    return configuration
}

func uniqueName(_ prefix: String) -> String { "test.\(prefix).\(UUID().uuidString.prefix(8))" }

func localStack(_ arguments: String...) throws { try LocalStack.run(arguments) }

/// Collects a consumer's events in the background so tests can wait for one with a deadline.
final class EventCollector: Sendable {
    private final class Log: Sendable { let events = Mutex<[AMQPConsumer.Event]>([]) }
    private let log = Log()
    private let task: Task<Void, Never>

    init(_ consumer: AMQPConsumer) {
        let log = self.log
        let buffer = consumer.buffer
        task = Task {
            while !Task.isCancelled && !buffer.isFinished {
                await buffer.waitForEvents(atMost: .milliseconds(100))
                let events = buffer.take(.max)
                log.events.withLock { $0 += events }
            }
        }
    }

    deinit { task.cancel() }

    var events: [AMQPConsumer.Event] { log.events.withLock { $0 } }

    var deliveries: [AMQPConsumer.Delivery] {
        events.compactMap { if case .delivery(let d) = $0 { d } else { nil } }
    }

    /// Polls until `count` events match, or fails after `timeout`.
    @discardableResult
    func waitFor(
        _ count: Int = 1, timeout: Duration = .seconds(90), _ match: (AMQPConsumer.Event) -> Bool
    ) async throws -> [AMQPConsumer.Event] {
        let deadline = TestTime.deadline(after: timeout)
        while true {  // checked once more after the deadline: a starved test task wakes late
            let matching = events.filter(match)
            if matching.count >= count { return matching }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw AMQPError(
            .timeout, message: "expected \(count) matching consumer event(s) within \(timeout); saw \(events)")
    }
}

extension AMQPConsumer.Event {
    var isDelivery: Bool { if case .delivery = self { true } else { false } }
    var isConsuming: Bool { if case .consuming = self { true } else { false } }
    var isDisconnected: Bool { if case .disconnected = self { true } else { false } }
}
