import Foundation
import AMQP
import DaemonSupport
import OrdersStore
import OrdersTestSupport
import OrdersWorkers
import Testing

/// The consuming loop with the ingest handler, against an in-memory source and store.
@Suite("Ingest loop", .timeLimit(.minutes(TestTime.minutes(1))))
struct IngestLoopTests {
    @Test func aBatchIsAckedOnlyAfterItsCommit() async throws {
        let log = EventLog()
        let source = InMemoryMessageSource(log: log)
        let store = InMemoryIngestStore(log: log)
        store.fail(next: 2)
        source.connect()
        for n in 1...5 { source.deliver(canonicalOrder(n), messageID: "m-\(n)") }
        let service = IngestService(
            source: source, store: store, options: ingestOptions(), logger: testLogger("ingest"))
        try await withRunningService(service) {
            try await waitUntil(timeout: .seconds(60), poll: .milliseconds(1)) { service.counters[.stored] == 5 }
            #expect(source.ackedTags == Set(1...5), "counted as stored only once the ack is queued")
        }
        #expect(store.commits == 1, "one transaction for the batch")
        #expect(store.committed.count == 5)
        #expect(service.counters[.stored] == 5 && service.counters[.rejected] == 0)
        #expect(service.counters[.databaseRetries] == 2)
        #expect(source.settlements == [.ack(generation: 1, tag: 5, multiple: true)])
        let commit = try #require(log.first("commit")), ack = try #require(log.first("settle"))
        #expect(commit < ack, "\(log.all)")
    }

    @Test func ordersWhoseLinesDoNotAddUpAreStoredAndCounted() async throws {
        let source = InMemoryMessageSource(log: EventLog())
        let store = InMemoryIngestStore(log: EventLog())
        source.connect()
        source.deliver(canonicalOrder(1), messageID: "m-1")
        // Two lines of 30.90 and 61.80 under an items total of 61.80: stored as given, and counted.
        source.deliver(
            canonicalOrder(2).replacingOccurrences(of: #""items": "92.70""#, with: #""items": "61.80""#),
            messageID: "m-2")
        let service = IngestService(
            source: source, store: store, options: ingestOptions(), logger: testLogger("ingest"))
        try await withRunningService(service) {
            try await waitUntil(timeout: .seconds(60), poll: .milliseconds(1)) { service.counters[.stored] == 2 }
        }
        #expect(service.counters[.linesNotAddingUp] == 1)
        #expect(service.counters[.rejected] == 0)
    }

    @Test func aBatchTheDatabaseNeverTookStaysUnackedAndComesBackOnce() async throws {
        let source = InMemoryMessageSource()
        let store = InMemoryIngestStore()
        store.setUnavailable(true)
        source.connect()
        for n in 1...3 { source.deliver(canonicalOrder(n), messageID: "m-\(n)") }
        let first = IngestService(
            source: source, store: store, options: ingestOptions(drainTimeout: .milliseconds(300)),
            logger: testLogger("ingest"))
        try await withRunningService(first) {
            try await waitUntil(timeout: .seconds(60), poll: .milliseconds(5)) { first.counters[.databaseRetries] >= 2 }
        }
        #expect(source.settlements.isEmpty, "nothing acked without a commit")
        #expect(source.stoppedConsuming && source.stopped)

        // The broker redelivers the batch on the next connection; each message is tried alone.
        store.setUnavailable(false)
        let again = InMemoryMessageSource()
        let generation = again.connect()
        for n in 1...3 { again.deliver(canonicalOrder(n), messageID: "m-\(n)", redelivered: true) }
        let second = IngestService(source: again, store: store, options: ingestOptions(), logger: testLogger("ingest"))
        try await withRunningService(second) {
            try await waitUntil(timeout: .seconds(60), poll: .milliseconds(5)) { again.ackedTags == Set(1...3) }
        }
        #expect(again.settlements == (1...3).map { .ack(generation: generation, tag: $0, multiple: false) })
        #expect(store.commits == 3 && store.committed.count == 3)
        #expect(store.suspects.isEmpty, "each commit cleared its suspect record")
        #expect(second.counters[.redelivered] == 3 && second.counters[.stored] == 3)
    }

    @Test func aMessageThatCrashedTheWorkerTwiceIsKeptAsAReject() async throws {
        let source = InMemoryMessageSource()
        let store = InMemoryIngestStore()
        store.setSuspect("poison", attempts: 2)
        source.connect()
        source.deliver(canonicalOrder(1), messageID: "poison", redelivered: true)
        source.deliver(canonicalOrder(2), messageID: "innocent", redelivered: true)
        let service = IngestService(
            source: source, store: store, options: ingestOptions(), logger: testLogger("ingest"))
        try await withRunningService(service) {
            try await waitUntil(timeout: .seconds(60), poll: .milliseconds(5)) { source.ackedTags == Set(1...2) }
        }
        guard case .reject(let reason, _)? = store.committed["poison"]?.content else {
            Issue.record(
                "the poison message was not kept as a reject: \(String(describing: store.committed["poison"]))")
            return
        }
        #expect(reason.contains("2 attempts"), "\(reason)")
        guard case .order? = store.committed["innocent"]?.content else {
            Issue.record("the message beside it was not stored as an order")
            return
        }
        #expect(service.counters[.rejected] == 1 && service.counters[.stored] == 1)
        #expect(store.suspects.isEmpty)
    }

    @Test func shutdownDrainsWhatWasDelivered() async throws {
        let source = InMemoryMessageSource()
        let store = InMemoryIngestStore()
        for n in 1...50 { source.deliver(canonicalOrder(n), messageID: "m-\(n)") }
        let service = IngestService(
            source: source, store: store, options: ingestOptions(batchSize: 10), logger: testLogger("ingest"))
        // Shut down at once: the 50 buffered deliveries are still stored and acked.
        try await withRunningService(service) {}
        #expect(source.stoppedConsuming)
        #expect(source.ackedTags == Set(1...50))
        #expect(store.committed.count == 50)
        #expect(store.commits == 5, "in batches of 10")
        #expect(store.isClosed)
    }

    @Test func theDrainGivesUpAtItsTimeout() async throws {
        let source = InMemoryMessageSource()
        let store = InMemoryIngestStore()
        store.setUnavailable(true)
        source.connect()
        source.deliver(canonicalOrder(1))
        let service = IngestService(
            source: source, store: store, options: ingestOptions(drainTimeout: .milliseconds(200)),
            logger: testLogger("ingest"))
        // The database never comes back: without the drain timeout this would never return (the
        // suite's time limit fails it then).
        try await withRunningService(service) {}
        #expect(source.settlements.isEmpty)
        #expect(store.committed.isEmpty)
    }

    @Test func theBeforeCommitHookRunsInsideTheWrite() async throws {
        let log = EventLog()
        let source = InMemoryMessageSource(log: log)
        let store = InMemoryIngestStore(log: log)
        let faults = FaultHooks(armed: .beforeCommit, reached: { log.append("reached \($0.rawValue)") })
        source.connect()
        source.deliver(canonicalOrder(1))
        let service = IngestService(
            source: source, store: store, options: ingestOptions(), logger: testLogger("ingest"), faults: faults)
        try await withRunningService(service) {
            try await waitUntil(timeout: .seconds(60), poll: .milliseconds(5)) { source.ackedTags == [1] }
        }
        #expect(
            log.all.prefix(2) == ["reached before-commit", "commit [\"\(store.committed.keys.first ?? "")\"]"],
            "\(log.all)")
        #expect(log.all.contains("reached after-commit"))
    }

    @Test func aConnectionEventMakesTheServiceReadyAndCountsReconnects() async throws {
        let source = InMemoryMessageSource()
        let service = IngestService(
            source: source, store: InMemoryIngestStore(), options: ingestOptions(),
            logger: testLogger("ingest"))
        try await withRunningService(service) {
            source.connect()
            try await waitUntil(timeout: .seconds(60), poll: .milliseconds(5)) { service.status.isConsuming }
            source.disconnect()
            try await waitUntil(timeout: .seconds(60), poll: .milliseconds(5)) { !service.status.isConsuming }
            source.connect()
            try await waitUntil(timeout: .seconds(60), poll: .milliseconds(5)) {
                service.status.consumingGeneration == 2
            }
        }
        #expect(service.status.isStopping)
    }

    @Test func aRefusingBrokerEndsTheServiceWithTheReason() async throws {
        let source = InMemoryMessageSource()
        let store = InMemoryIngestStore()
        let service = IngestService(
            source: source, store: store, options: ingestOptions(),
            logger: testLogger("ingest"))
        source.disconnect(AMQPError(.loginFailed, message: "ACCESS_REFUSED"))
        source.stop()
        await #expect(throws: AMQPError.self) { try await service.run() }
        #expect(store.isClosed, "the database connection is closed however the loop ended")
    }
}
