import OrdersDomain
@testable import OrdersSamples
import Testing

@Suite("sample shipment notices")
struct ShipmentSamplerTests {
    @Test(arguments: OrderSamplerTests.channels)
    func noticesShipTheirOrdersWholeAndNormalise(channel: String) throws {
        let orders = try #require(OrderSampler(channel: channel, seed: 31, now: now))
        let notices = try #require(ShipmentSampler(orderChannel: channel, seed: 31, now: now))
        var shipmentIDs: Set<String> = []
        for index in 0..<50 {
            let order = try Normalizer.standard.normalizeOrder(channel: channel, body: orders.order(at: index).body)
            let message = notices.notice(at: index)
            let shipment = try Normalizer.standard.normalizeShipment(source: ShipmentSampler.source, body: message.body)
            #expect(shipment.channel == order.channel)
            #expect(shipment.externalId == order.externalId)
            #expect(shipment.shipmentId == message.externalId)
            #expect(shipment.trackingNumber != nil && shipment.carrier != nil)
            #expect(shipment.lines.map(\.quantity) == order.lines.map(\.quantity))
            #expect(shipment.lines.map { $0.sku ?? $0.lineId } == order.lines.map { $0.sku ?? $0.lineId })
            let shippedAt = try #require(shipment.shippedAt)
            #expect(shippedAt >= order.placedAt && shippedAt <= now)
            shipmentIDs.insert(shipment.shipmentId)
        }
        #expect(shipmentIDs.count == 50)
    }
}
