// Shipment source "shopify": the fulfillment webhook body (fulfillments/create, fulfillments/update), i.e. the bare
// Shopify fulfillment object, or the REST wrapper {"fulfillment": {...}}, to one canonical shipment.
//
// - channel "shopify", externalId = `order_id` (its literal text; a fulfillment carries no order gid),
//   shipmentId = digits of the fulfillment's `admin_graphql_api_id`, else `id`.
// - carrier `tracking_company`; trackingNumber `tracking_number`, else `tracking_numbers[0]`; trackingUrl
//   `tracking_url`, else `tracking_urls[0]`; shippedAt `created_at`.
// - lines: each `line_items[]` -> lineId (gid digits, else id), sku, quantity (the quantity in this fulfillment).
// - A fulfillment whose `status` is cancelled, error or failure is no parcel: refused with invalidField "status".
//
// The same mapping is used for the fulfillments embedded in an order update (orders/fulfilled).
public struct ShopifyFulfillmentShipmentAdapter: ShipmentAdapter {
    public let source = "shopify"

    public init() {}

    public func normalize(_ root: Node, context: NormalizationContext) throws -> CanonicalShipment {
        let fulfillment = root.unwrapping("fulfillment")
        if let status = fulfillment["status"].cleanText, Self.deadStatuses.contains(status) {
            throw fulfillment["status"].error(
                .invalidField, "fulfillment status \"\(status.prefix(40))\" is not a shipment")
        }
        let orderID = try fulfillment["order_id"].id()
        return try Self.shipment(from: fulfillment, orderID: orderID)
    }

    static let deadStatuses: Set<String> = ["cancelled", "error", "failure"]

    /// An embedded fulfillment that describes a parcel: carries tracking and is not cancelled/error/failure.
    static func isLiveShipment(_ fulfillment: Node) -> Bool {
        if let status = fulfillment["status"].cleanText, deadStatuses.contains(status) { return false }
        return trackingNumber(fulfillment) != nil || trackingURL(fulfillment) != nil
    }

    /// One Shopify fulfillment object (bare, at any path) to the canonical shipment of order `orderID`.
    static func shipment(from fulfillment: Node, orderID: String) throws -> CanonicalShipment {
        let shipmentID = try ShopifyOrderAdapter.preferredID(fulfillment, type: "Fulfillment")
        var lines: [ShipmentLine] = []
        for line in try fulfillment["line_items"].elements() {
            lines.append(
                ShipmentLine(
                    sku: line["sku"].cleanText,
                    lineId: try ShopifyOrderAdapter.optionalID(line, type: "LineItem"),
                    quantity: try line["quantity"].quantity()))
        }
        return CanonicalShipment(
            channel: "shopify",
            externalId: orderID,
            shipmentId: shipmentID,
            carrier: fulfillment["tracking_company"].cleanText,
            trackingNumber: trackingNumber(fulfillment),
            trackingUrl: trackingURL(fulfillment),
            shippedAt: try fulfillment["created_at"].timestamp(),
            lines: lines)
    }

    static func trackingNumber(_ fulfillment: Node) -> String? {
        fulfillment["tracking_number"].cleanText
            ?? fulfillment["tracking_numbers"][0].cleanText
    }

    static func trackingURL(_ fulfillment: Node) -> String? {
        fulfillment["tracking_url"].cleanText
            ?? fulfillment["tracking_urls"][0].cleanText
    }
}
