public import OrdersDomain

/// Notifier events (SPEC 3.5) made from the sample orders, for previews of the customer emails:
/// the same realistic customers, lines and parcels `publish --sample` sends, as the relay would
/// describe them.
public enum SampleEvents {
    /// The events previews exist for, by the name of their email template.
    public static let kinds = [
        "shipment-dispatched", "order-delayed", "voucher-delay", "voucher-cancellation", "voucher-incident",
    ]

    /// The event of `kind` for the `index`-th sample order with an e-mail address (a webshop order,
    /// an Amazon one for the delay notice), or nil for an unknown kind. The same arguments give the
    /// same event.
    public static func event(_ kind: String, index: Int = 0, seed: UInt64 = 7, now: UTCTimestamp) -> OrderEvent? {
        guard kinds.contains(kind) else { return nil }
        let channel = kind == "order-delayed" ? "amazon" : "shopify"
        guard let orders = OrderSampler(channel: channel, seed: seed, now: now) else { return nil }
        var found: (order: CanonicalOrder, index: Int)?
        for candidate in index..<(index + 200) {
            guard
                let order = try? Normalizer.standard.normalizeOrder(
                    channel: channel, body: orders.order(at: candidate).body),
                order.customer.email != nil, order.customer.name != nil
            else { continue }
            found = (order, candidate)
            break
        }
        guard let (order, orderIndex) = found else { return nil }
        var event = OrderEvent(
            eventId: eventID(kind, orderIndex, seed), kind: .voucherIssued, occurredAt: now,
            order: .init(
                channel: order.channel, externalId: order.externalId, number: order.number, placedAt: order.placedAt,
                shipBy: order.shipBy ?? order.placedAt.adding(seconds: 48 * 3600), currency: order.currency,
                grandTotal: order.totals.grand, country: order.shippingAddress?.country),
            customer: .init(email: order.customer.email, name: order.customer.name, locale: order.customer.locale))
        switch kind {
        case "shipment-dispatched":
            event.kind = .shipmentDispatched
            event.parcel = parcel(for: order, index: orderIndex, seed: seed, now: now)
        case "order-delayed":
            event.kind = .orderDelayed
        default:
            let reason: VoucherReason =
                switch kind {
                case "voucher-cancellation": .cancellation
                case "voucher-incident": .incident
                default: .delay
                }
            var policy = VoucherPolicy()
            if reason == .incident { policy.value = .amount("5"); policy.minimumOrder = "15" }
            guard let terms = try? policy.terms(currency: order.currency, issuedAt: now) else { return nil }
            event.voucher = .init(
                code: "K7QW3MZPXH9T", reason: reason, terms: terms,
                note: reason == .incident ? "print shop offline" : nil,
                customerMessages: reason == .incident
                    ? [
                        "de": "Unsere Druckerei war einen Vormittag lang nicht erreichbar.",
                        "en": "Our print shop was unreachable for a morning.",
                    ] : [:])
        }
        return event
    }

    /// The parcel that ships the whole order, as the sample shipment notice for it says.
    private static func parcel(
        for order: CanonicalOrder, index: Int, seed: UInt64, now: UTCTimestamp
    ) -> OrderEvent.Parcel? {
        guard let notices = ShipmentSampler(orderChannel: order.channel, seed: seed, now: now),
            let shipment = try? Normalizer.standard.normalizeShipment(
                source: ShipmentSampler.source, body: notices.notice(at: index).body)
        else { return nil }
        return .init(
            shipmentId: shipment.shipmentId, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber,
            trackingUrl: shipment.trackingUrl, shippedAt: shipment.shippedAt,
            items: order.lines.map { .init(sku: $0.sku, title: $0.title, quantity: $0.quantity) })
    }

    /// A UUID-shaped id that stays the same for the same sample.
    private static func eventID(_ kind: String, _ index: Int, _ seed: UInt64) -> String {
        let hash = "\(kind)/\(index)/\(seed)".utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) {
            ($0 ^ UInt64($1)) &* 0x100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        let digits = String(repeating: "0", count: 16 - hex.count) + hex
        return "5a3e0000-0000-4000-8000-" + String(digits.suffix(12))
    }
}
