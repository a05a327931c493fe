import AMQP
import MailTransport
import OrdersStore
import OrdersTestSupport
import OrdersWorkers
import Testing

/// The notifier's handler on the consuming loop, against an in-memory source, ledger and transport.
@Suite("Notifier decisions", .timeLimit(.minutes(TestTime.minutes(1))))
struct NotifierDecisionTests {
    private struct Run {
        let source = InMemoryMessageSource()
        let ledger = InMemoryEmailLedger()
        let transport: ScriptedMailTransport
        let service: NotifierService

        init(_ script: [DeliveryOutcome] = [], latency: Duration = .zero, sendAttempts: Int = 10) throws {
            transport = ScriptedMailTransport(script, latency: latency)
            var options = NotifierOptions()
            options.retryInitialDelay = .milliseconds(5)
            options.retryMaximumDelay = .milliseconds(20)
            options.sendAttemptsPerDelivery = sendAttempts
            options.progressInterval = .seconds(3600)
            service = NotifierService(
                source: source, ledger: ledger, transport: transport, composer: try TestEvents.composer(),
                options: options, logger: testLogger("notifier"))
            source.connect()
        }

        /// Delivers `bodies`, runs until each has a settlement, then shuts down.
        func settle(_ bodies: [String]) async throws -> [Settlement] {
            for body in bodies { source.deliver(body, routingKey: "notify") }
            try await withRunningService(service) {
                try await waitUntil(timeout: .seconds(60), poll: .milliseconds(5)) {
                    source.settlements.count == bodies.count
                }
            }
            return source.settlements
        }
    }

    private let shipment = TestEvents.shipment(carrier: "DHL", trackingNumber: "00340434161094042557")

    @Test func anEmailIsSentOnceAndAckedAfterItsRecord() async throws {
        let run = try Run()
        #expect(try await run.settle([shipment.body]) == [.ack(generation: 1, tag: 1, multiple: false)])
        #expect(run.transport.delivered.count == 1)
        #expect(run.ledger.record(shipment.id)?.status == "sent")
        #expect(run.service.counters[.sent] == 1)
    }

    @Test func aDeferralIsRetriedInPlace() async throws {
        let run = try Run([.deferred(reason: "451 4.3.0 try again later")])
        #expect(try await run.settle([shipment.body]) == [.ack(generation: 1, tag: 1, multiple: false)])
        #expect(run.transport.delivered.count == 2)
        #expect(run.ledger.record(shipment.id)?.status == "sent")
        #expect(run.ledger.deferrals == 1)
        #expect(run.service.counters[.retries] == 1 && run.service.counters[.sent] == 1)
    }

    @Test func repeated4xxRepliesSendTheMessageBackToTheQueue() async throws {
        let run = try Run(Array(repeating: .deferred(reason: "452 4.2.2 mailbox full"), count: 3), sendAttempts: 3)
        #expect(try await run.settle([shipment.body]) == [.requeue(generation: 1, tag: 1)])
        #expect(run.ledger.record(shipment.id)?.status == "released", "the claim is given back for the next delivery")
        #expect(run.service.counters[.sent] == 0 && run.service.counters[.retries] == 3)
    }

    @Test func aRefusalIsRecordedAsFailedAndAcked() async throws {
        let run = try Run([.rejected(reply: "550 5.1.1 no such user")])
        #expect(try await run.settle([shipment.body]) == [.ack(generation: 1, tag: 1, multiple: false)])
        #expect(run.ledger.record(shipment.id) == .init(status: "failed", attempts: 1, reply: "550 5.1.1 no such user"))
        #expect(run.service.counters[.failed] == 1)
    }

    @Test func anAddressTheServerCannotTakeIsRecordedAsSkippedWithTheReasonAndAcked() async throws {
        let run = try Run([.skipped(reason: "the mail server does not offer SMTPUTF8")])
        #expect(try await run.settle([shipment.body]) == [.ack(generation: 1, tag: 1, multiple: false)])
        #expect(
            run.ledger.record(shipment.id)
                == .init(status: "skipped", attempts: 1, reply: "the mail server does not offer SMTPUTF8"))
        #expect(run.service.counters[.skipped] == 1)
    }

    @Test func anEventSettledBeforeIsAckedWithoutSending() async throws {
        let run = try Run()
        run.ledger.settle(shipment.id, status: "sent")
        #expect(try await run.settle([shipment.body]) == [.ack(generation: 1, tag: 1, multiple: false)])
        #expect(run.transport.delivered.isEmpty)
        #expect(run.service.counters[.duplicates] == 1)
    }

    @Test func anEventWithoutAnAddressIsSkipped() async throws {
        let run = try Run()
        let voucher = TestEvents.voucher(locale: "de", email: nil)
        #expect(try await run.settle([voucher.body]) == [.ack(generation: 1, tag: 1, multiple: false)])
        #expect(run.transport.delivered.isEmpty)
        #expect(run.ledger.record(voucher.id)?.status == "skipped")
        #expect(run.service.counters[.skipped] == 1)
    }

    @Test func anUnusableEventIsDeadLettered() async throws {
        let run = try Run()
        #expect(try await run.settle(["{\"type\": \"shipment.dispatched\"}"]) == [.deadLetter(generation: 1, tag: 1)])
        #expect(run.service.counters[.invalid] == 1)
    }

    @Test func anEventHeldByAnotherNotifierGoesBackAfterAWhile() async throws {
        let run = try Run(sendAttempts: 3)
        run.ledger.holdElsewhere(shipment.id)
        #expect(try await run.settle([shipment.body]) == [.requeue(generation: 1, tag: 1)])
        #expect(run.transport.delivered.isEmpty)
    }

    @Test func aDatabaseOutageDelaysTheRecordButLosesNothing() async throws {
        let run = try Run()
        run.ledger.fail(next: 2)
        #expect(try await run.settle([shipment.body]) == [.ack(generation: 1, tag: 1, multiple: false)])
        #expect(run.ledger.record(shipment.id)?.status == "sent")
        #expect(run.service.counters[.retries] == 2 && run.transport.delivered.count == 1)
    }

    @Test func shutdownFinishesTheEmailInHandAndLeavesTheRest() async throws {
        let run = try Run(latency: .milliseconds(300))
        let events = (0..<3).map { _ in TestEvents.shipment(carrier: "DHL", trackingNumber: "00340434161094042557") }
        for event in events { run.source.deliver(event.body, routingKey: "notify") }
        try await withRunningService(run.service) {
            try await waitUntil(timeout: .seconds(60), poll: .milliseconds(5)) { run.transport.started == 1 }
        }
        #expect(run.source.settlements == [.ack(generation: 1, tag: 1, multiple: false)])
        #expect(run.transport.delivered.count == 1)
        #expect(run.source.stopped)
    }
}
