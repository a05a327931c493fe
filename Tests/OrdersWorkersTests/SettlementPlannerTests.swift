import AMQP
import OrdersWorkers
import Testing

@testable import OrdersWorkers

/// How decisions become acks: as few as is safe, never one that takes along a delivery left unacked.
@Suite("Settlement planner")
struct SettlementPlannerTests {
    private func deliveries(_ generation: UInt64, _ tags: ClosedRange<UInt64>) -> [AMQPConsumer.Delivery] {
        tags.map {
            AMQPConsumer.Delivery(
                generation: generation, message: AMQPReceivedMessage(deliveryTag: $0, routingKey: "k", body: []))
        }
    }

    @Test func aRunOfAcksIsOneMultipleAckAtTheNewestTag() {
        var planner = SettlementPlanner()
        #expect(
            planner.plan(deliveries(1, 1...5), Array(repeating: .ack, count: 5)) == [
                .ack(generation: 1, tag: 5, multiple: true)
            ])
    }

    @Test func aSingleAckIsNotMultiple() {
        var planner = SettlementPlanner()
        #expect(planner.plan(deliveries(1, 7...7), [.ack]) == [.ack(generation: 1, tag: 7, multiple: false)])
    }

    @Test func aRequeueOrDeadLetterEndsTheRun() {
        var planner = SettlementPlanner()
        let plan = planner.plan(deliveries(1, 1...6), [.ack, .ack, .requeue, .ack, .deadLetter, .ack])
        #expect(
            plan == [
                .ack(generation: 1, tag: 2, multiple: true), .requeue(generation: 1, tag: 3),
                .ack(generation: 1, tag: 4, multiple: false),
                .deadLetter(generation: 1, tag: 5), .ack(generation: 1, tag: 6, multiple: false),
            ])
    }

    @Test func eachConnectionGetsItsOwnAck() {
        var planner = SettlementPlanner()
        let plan = planner.plan(deliveries(1, 1...2) + deliveries(2, 1...3), Array(repeating: .ack, count: 5))
        #expect(plan == [.ack(generation: 1, tag: 2, multiple: true), .ack(generation: 2, tag: 3, multiple: true)])
    }

    @Test func afterALeftDeliveryThatConnectionIsAckedOneByOne() {
        var planner = SettlementPlanner()
        #expect(
            planner.plan(deliveries(1, 1...3), [.leave, .ack, .ack])
                == [.ack(generation: 1, tag: 2, multiple: false), .ack(generation: 1, tag: 3, multiple: false)])
        // Later batches of that connection too; a new connection starts clean.
        #expect(
            planner.plan(deliveries(1, 4...5), [.ack, .ack])
                == [.ack(generation: 1, tag: 4, multiple: false), .ack(generation: 1, tag: 5, multiple: false)])
        #expect(planner.plan(deliveries(2, 1...2), [.ack, .ack]) == [.ack(generation: 2, tag: 2, multiple: true)])
    }
}
