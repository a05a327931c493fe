import AMQP
import Foundation
import OrdersBroker
import OrdersDomain
import OrdersPublishing
import OrdersSamples
import OrdersTestSupport
import Synchronization
import Testing

private let now = UTCTimestamp(epochMilliseconds: Int64(Date().timeIntervalSince1970 * 1000))

private func sampler(
    _ channel: String = "shopify", seed: UInt64 = UInt64.random(in: SampleIdentity.seeds)
) -> OrderSampler {
    OrderSampler(channel: channel, seed: seed, now: now)!
}

/// Serialized: the publisher blocks its thread (as the CLI does), and several at once would hold
/// both of the test process's cooperative threads and stall every other test.
@Suite("publishing with confirms (real broker)", .serialized)
struct ConfirmedPublisherTests {
    @Test func samplesAreConfirmedAndEachArrivesOnce() throws {
        let queue = try TestQueue("samples")
        let orders = sampler()
        let report = ConfirmedPublisher(configuration: try configuration())
            .publish(.orders(orders, count: 1000, routingKey: queue.routingKey))
        #expect(report.succeeded)
        #expect(report.confirmed == 1000 && report.failed == 0)
        #expect(try queue.depth == 1000)
        let deliveries = try queue.drain()
        #expect(deliveries.count == 1000)
        // The message id is derived from the order id: each order once, recognisable in a replay.
        let expected = Set((0..<1000).map { orders.order(at: $0).messageID })
        #expect(Set(deliveries.compactMap(\.properties.messageID)) == expected)
        let first = try #require(deliveries.first { $0.properties.messageID == orders.order(at: 0).messageID })
        #expect(first.body == orders.order(at: 0).body)
        #expect(first.exchange == Topology.inboundExchange)
        #expect(first.properties.contentType == "application/json")
        #expect(first.properties.deliveryMode == 2)
        let timestamp = try #require(first.properties.timestamp)
        #expect(abs(Int64(timestamp) - Int64(Date().timeIntervalSince1970)) < 120)
    }

    @Test func filesAreSentByteForByteWithFreshMessageIDs() throws {
        let queue = try TestQueue("files")
        let hostile: [[UInt8]] = [
            Array(#"{"id": 1, "name": "Jürgen Groß"}"#.utf8),
            [0xFF, 0xFE, 0x00, 0x7B],  // not UTF-8, not JSON
            [],
            Array(String(repeating: "[", count: 10_000).utf8),
        ]
        let report = ConfirmedPublisher(configuration: try configuration())
            .publish(.files(hostile + [hostile[0]], routingKey: queue.routingKey))
        #expect(report.succeeded && report.confirmed == 5)
        let deliveries = try queue.drain()
        #expect(Set(deliveries.map(\.body)) == Set(hostile))
        #expect(deliveries.filter { $0.body == hostile[0] }.count == 2)
        let ids = deliveries.compactMap(\.properties.messageID)
        #expect(Set(ids).count == 5)
        #expect(ids.allSatisfy { UUID(uuidString: $0) != nil })
    }

    @Test func shipmentNoticesGoOutLikeOrders() throws {
        let queue = try TestQueue("shipments")
        let notices = try #require(ShipmentSampler(orderChannel: "woocommerce", seed: 5, now: now))
        let report = ConfirmedPublisher(configuration: try configuration())
            .publish(.shipments(notices, count: 40, routingKey: queue.routingKey))
        #expect(report.succeeded && report.confirmed == 40)
        #expect(try queue.depth == 40)
        #expect(InboundMessages.shipments(notices, count: 1).routingKey == "shipment.canonical")
        #expect(InboundMessages.orders(sampler("pos"), count: 1).routingKey == "order.pos")
    }

    /// A full queue that refuses publishes nacks them, as a quorum queue does between leaders after its
    /// node died: sent again with backoff until there is room, each once, none reported failed.
    @Test func nackedMessagesArePublishedAgainUntilTheQueueTakesThem() throws {
        let queue = try TestQueue(
            "nacked", arguments: ["x-max-length": .int(10), "x-overflow": .string("reject-publish")])
        var options = ConfirmedPublisher.Options()
        options.initialBackoff = .milliseconds(100)
        options.maximumBackoff = .milliseconds(200)
        options.attempts = 50
        let (publishOptions, routingKey) = (options, queue.routingKey)
        let notices = Mutex<[String]>([])
        let orders = sampler()
        let finished = Mutex<PublishReport?>(nil)
        let configuration = try configuration()
        let publishing = Thread {
            let report = ConfirmedPublisher(
                configuration: configuration, options: publishOptions,
                notice: { note in notices.withLock { $0.append(note) } }
            ).publish(.orders(orders, count: 30, routingKey: routingKey))
            finished.withLock { $0 = report }
        }
        publishing.start()
        // Room for ten at a time, taken a little at a time while the publisher retries.
        var taken: [AMQPReceivedMessage] = []
        let deadline = TestTime.deadline(after: .seconds(60))
        while taken.count < 30, ContinuousClock.now < deadline {
            if let message = try queue.take() { taken.append(message) } else { Thread.sleep(forTimeInterval: 0.05) }
        }
        while finished.withLock({ $0 }) == nil, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let report = try #require(finished.withLock { $0 })
        #expect(report.succeeded, "\(report)")
        #expect(report.confirmed == 30 && report.nacked == 0 && report.failed == 0)
        #expect(taken.count == 30)
        #expect(Set(taken.compactMap(\.properties.messageID)) == Set((0..<30).map { orders.order(at: $0).messageID }))
        #expect(notices.withLock { $0.contains { $0.contains("refused by the broker (nack") } })
    }

    /// Nacks that outlast the attempts are failures: counted as nacked, never as published.
    @Test func nacksThatOutlastTheAttemptsAreReportedAsNacked() throws {
        let queue = try TestQueue(
            "always-nacked", arguments: ["x-max-length": .int(10), "x-overflow": .string("reject-publish")])
        var options = ConfirmedPublisher.Options()
        options.initialBackoff = .milliseconds(20)
        options.maximumBackoff = .milliseconds(20)
        options.attempts = 3
        let report = ConfirmedPublisher(configuration: try configuration(), options: options)
            .publish(.orders(sampler(), count: 30, routingKey: queue.routingKey))
        #expect(!report.succeeded)
        #expect(report.confirmed == 10 && report.nacked == 20, "\(report)")
        #expect(try queue.depth == 10)
    }

    @Test func unroutableMessagesAreReportedAsReturnedNotPublished() throws {
        _ = try TestQueue("declares-topology")
        let nobodyListens = "test.publish.unbound." + UUID().uuidString.lowercased()
        let report = ConfirmedPublisher(configuration: try configuration())
            .publish(.orders(sampler(), count: 30, routingKey: nobodyListens))
        #expect(!report.succeeded)
        #expect(report.confirmed == 0)
        #expect(report.returned == 30 && report.failed == 30)
        #expect(report.returnReason == "312 NO_ROUTE")
    }

    @Test func aMissingExchangeStopsTheRunWithAHint() throws {
        let report = ConfirmedPublisher(configuration: try configuration())
            .publish(.orders(sampler(), count: 2000, exchange: uniqueName("no-such-exchange")))
        #expect(!report.succeeded)
        #expect(report.confirmed == 0 && report.failed == 2000)
        #expect(report.unconfirmed == 1000 && report.notSent == 1000)  // the first window went out; the rest never did
        #expect(report.abortReason?.contains("orderflow topology") == true)
        #expect(report.reconnects == 0)  // no retries against a 404
    }

    @Test func anUnreachableBrokerIsRetriedThenReportedNeverSucceeds() throws {
        var unreachable = try configuration()
        unreachable.port = 9  // discard: nothing listens
        unreachable.password = "pw-" + UUID().uuidString
        var options = ConfirmedPublisher.Options()
        options.attempts = 3
        options.initialBackoff = .milliseconds(10)
        let started = ContinuousClock.now
        let notices = Mutex<[String]>([])
        let report = ConfirmedPublisher(
            configuration: unreachable, options: options, notice: { line in notices.withLock { $0.append(line) } }
        )
        .publish(.orders(sampler(), count: 10))
        #expect(!report.succeeded)
        #expect(report.notSent == 10 && report.confirmed == 0 && report.failed == 10)
        #expect(notices.withLock { $0.count } == 2)  // before the second and the third attempt
        #expect(report.abortReason?.contains("cannot publish to amqp://") == true)
        #expect(report.abortReason?.contains(unreachable.password) == false)  // never a secret in the output
        #expect(ContinuousClock.now - started >= .milliseconds(30))  // 10 ms + 20 ms of backoff between the attempts
    }

    @Test func theRateIsHeld() throws {
        let queue = try TestQueue("paced")
        var options = ConfirmedPublisher.Options()
        options.ratePerSecond = 400
        let report = ConfirmedPublisher(configuration: try configuration(), options: options)
            .publish(.orders(sampler("canonical"), count: 400, routingKey: queue.routingKey))
        #expect(report.succeeded)
        #expect(report.elapsed >= .milliseconds(950) && report.elapsed < .seconds(3), "\(report.elapsed)")
    }
}

@Suite("publishing through connection failures (real broker behind a cuttable relay)")
struct PublishReconnectTests {
    @Test func cutConnectionsAreReopenedAndTheUnconfirmedRepublished() throws {
        let queue = try TestQueue("reconnect")
        let proxy = try CuttableProxy(targetPort: UInt16(try configuration().port))
        defer { proxy.stop() }
        var relayed = try configuration()
        relayed.port = Int(proxy.port)
        var options = ConfirmedPublisher.Options()
        options.ratePerSecond = 4000
        options.progressInterval = .zero  // after every window
        options.initialBackoff = .milliseconds(50)
        let count = 12_000
        // The relay is cut from the publisher's own progress callback, twice in mid-run, so the cuts
        // land between windows however the machine schedules the test.
        var cutsAt = [2000, 6000]
        let publisher = ConfirmedPublisher(
            configuration: relayed, options: options,
            progress: { progress in
                guard let next = cutsAt.first, progress.confirmed >= next else { return }
                cutsAt.removeFirst()
                proxy.cut()
            })
        let report = publisher.publish(.orders(sampler("canonical"), count: count, routingKey: queue.routingKey))

        #expect(cutsAt.isEmpty)
        #expect(report.succeeded, "\(report)")
        #expect(report.confirmed == count)
        #expect(report.reconnects >= 2)
        // Re-publishing what was not confirmed may store a message twice; never none.
        let deliveries = try queue.drain()
        #expect(deliveries.count >= count)
        #expect(Set(deliveries.compactMap(\.properties.messageID)).count == count)
    }
}
