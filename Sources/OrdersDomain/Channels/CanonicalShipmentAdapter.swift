/// `shipment.canonical`: one parcel from a warehouse or 3PL (SPEC 3.2):
/// {"channel", "externalId", "shipmentId", "carrier", "trackingNumber", "shippedAt", "lines": [{"sku", "quantity"}]}
/// where channel and externalId name the order. Also accepts `trackingUrl` and a line's `lineId`.
struct CanonicalShipmentAdapter: ShipmentAdapter {
    let source = "canonical"

    func normalize(_ root: Node, context: NormalizationContext) throws -> CanonicalShipment {
        try Self.shipment(root, orderChannel: nil, orderExternalId: nil)
    }

    /// One shipment object; inside a canonical order, channel and externalId default to the order's.
    static func shipment(_ node: Node, orderChannel: String?, orderExternalId: String?) throws -> CanonicalShipment {
        _ = try node.object()
        let channel =
            try orderChannel.map {
                node["channel"].exists ? try CanonicalOrderAdapter.salesChannel(node["channel"]) : $0
            }
            ?? CanonicalOrderAdapter.salesChannel(node["channel"])
        let externalId =
            try orderExternalId.map { node["externalId"].exists ? try node["externalId"].id() : $0 }
            ?? node["externalId"].id()
        return CanonicalShipment(
            channel: channel,
            externalId: externalId,
            shipmentId: try node["shipmentId"].id(),
            carrier: Text.clean(try node["carrier"].string()),
            trackingNumber: Text.clean(try node["trackingNumber"].string()),
            trackingUrl: Text.clean(try node["trackingUrl"].string()),
            shippedAt: try node["shippedAt"].timestamp(),
            lines: try node["lines"].elements().map { line in
                ShipmentLine(
                    sku: Text.clean(try line["sku"].string()),
                    lineId: try line["lineId"].optionalID(),
                    quantity: try line["quantity"].quantity()
                )
            }
        )
    }
}
