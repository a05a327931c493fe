import LibPQ
import OrdersDomain
import OrdersStore

/// Stores canonical orders or shipment notices through the ingest path's SQL, without a broker,
/// for tests that start from stored state (sweeps, the relay, the notifier).
public func storeCanonical(_ bodies: [[UInt8]], routingKey: String, databaseURL: String) throws {
    let db = try PostgresConnection(url: databaseURL)
    let items = try bodies.map { body in
        let content: IngestItem.Content =
            routingKey.hasPrefix("order.")
            ? .order(try Normalizer.standard.normalizeOrder(channel: "canonical", body: body))
            : .shipment(try Normalizer.standard.normalizeShipment(source: "canonical", body: body))
        return IngestItem(
            messageID: derivedMessageID(routingKey: routingKey, body: body), routingKey: routingKey, body: body,
            content: content)
    }
    try OrderStore().write(items, on: db)
}
