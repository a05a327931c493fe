import AMQP
import Testing

@Suite("Publisher confirm bookkeeping")
struct ConfirmTrackerTests {
    @Test func multipleAcksAndReturnsAndNacks() {
        var tracker = ConfirmTracker()
        for i in 0..<4 { tracker.sent(sequence: UInt64(i + 1), index: i, messageID: "m\(i)") }
        tracker.handle(
            .returned(
                AMQPReturnedMessage(
                    replyCode: 312, replyText: "NO_ROUTE", exchange: "x", routingKey: "k",
                    properties: AMQPProperties(messageID: "m1"), body: [])))
        tracker.handle(.confirm(deliveryTag: 2, multiple: true, ack: true))
        #expect(!tracker.isComplete)
        tracker.handle(.confirm(deliveryTag: 3, multiple: false, ack: false))
        #expect(
            tracker.outcomes(count: 4) == [
                .confirmed, .returned(replyCode: 312, replyText: "NO_ROUTE"), .nacked, .unconfirmed,
            ])
        tracker.handle(.confirm(deliveryTag: 4, multiple: false, ack: true))
        #expect(tracker.isComplete)
        #expect(tracker.outcomes(count: 4)[3] == .confirmed)
    }
}
