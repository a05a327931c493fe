import AMQP
import Foundation
public import OrdersBroker
public import OrdersSamples

/// The messages of one publish run, for one routing key on `orderflow.inbound` (SPEC 3.2), built
/// when they are sent so that a run of a million samples never holds them all in memory.
///
/// Every message is persistent JSON with a message id: for files a fresh UUID (each publish is a new
/// message), for samples one derived from the order id, so a replayed sample is recognisable.
public struct InboundMessages: Sendable {
    public let exchange: String
    public let routingKey: String
    public let count: Int
    private let make: @Sendable (Int) -> (messageID: String, body: [UInt8])

    private init(
        routingKey: String, count: Int, exchange: String,
        make: @escaping @Sendable (Int) -> (messageID: String, body: [UInt8])
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.count = count
        self.make = make
    }

    /// `order.<channel>` for an order channel, `shipment.<source>` for shipment notices.
    public static func routingKey(channel: String, shipment: Bool) -> String {
        (shipment ? "shipment." : "order.") + channel
    }

    /// File bodies, byte for byte and unvalidated: hostile input is the point of some runs.
    public static func files(
        _ bodies: [[UInt8]], routingKey: String, exchange: String = Topology.inboundExchange
    ) -> InboundMessages {
        InboundMessages(routingKey: routingKey, count: bodies.count, exchange: exchange) { index in
            (UUID().uuidString.lowercased(), bodies[index])
        }
    }

    /// The first `count` orders of a sampler, on `order.<channel>` (or `routingKey`).
    public static func orders(
        _ sampler: OrderSampler, count: Int, exchange: String = Topology.inboundExchange,
        routingKey: String? = nil
    ) -> InboundMessages {
        InboundMessages(
            routingKey: routingKey ?? Self.routingKey(channel: sampler.channel, shipment: false), count: count,
            exchange: exchange
        ) { index in sampler.order(at: index).message }
    }

    /// Shipment notices for the first `count` orders of a channel's samples, on `shipment.canonical` (or `routingKey`).
    public static func shipments(
        _ sampler: ShipmentSampler, count: Int, exchange: String = Topology.inboundExchange,
        routingKey: String? = nil
    ) -> InboundMessages {
        InboundMessages(
            routingKey: routingKey ?? Self.routingKey(channel: ShipmentSampler.source, shipment: true), count: count,
            exchange: exchange
        ) { index in sampler.notice(at: index).message }
    }

    /// The body of the `index`-th message (for printing samples instead of publishing them).
    public func body(at index: Int) -> [UInt8] { make(index).body }

    /// The `index`-th message, stamped with the publish time (seconds since the epoch).
    func message(at index: Int, timestamp: UInt64) -> OutgoingMessage {
        let (messageID, body) = make(index)
        return OutgoingMessage(
            exchange: exchange, routingKey: routingKey, body: body,
            properties: .persistentJSON(messageID: messageID, timestamp: timestamp), mandatory: true)
    }
}

extension SampleMessage {
    /// What an inbound message needs of a sample: its id and body.
    fileprivate var message: (String, [UInt8]) { (messageID, body) }
}
