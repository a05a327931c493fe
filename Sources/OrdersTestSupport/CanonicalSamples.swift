/// Hand-written canonical orders for ingest tests, distinct by number.
public enum CanonicalSamples {
    public static func order(
        _ n: Int, updatedAt: String = "2026-11-02T14:05:40Z", status: String = "paid", lines: Int = 2,
        email: String = "lena.vogel@example.de", channel: String = "webshop", placedAt: String = "2026-11-02T14:05:00Z",
        shipBy: String? = nil, cancelledBy: String? = nil
    ) -> [UInt8] {
        let lineJSON = (1...lines).map { i in
            #"{"lineId": "\#(i)", "sku": "KANNE-\#(i)", "title": "Teekanne Größe \#(i)", "quantity": \#(i), "#
                + #""unitPrice": "30.90", "total": "\#(money(3090 * i))"}"#
        }.joined(separator: ",")
        let items = (1...lines).reduce(0) { $0 + 3090 * $1 }
        let grand = items + 395
        return Array(
            """
            {"channel": "\(channel)", "externalId": "T-\(n)", "number": "#\(n)", "status": "\(status)",
             "placedAt": "\(placedAt)", "updatedAt": "\(updatedAt)", "currency": "EUR",
             "shipBy": \(shipBy.map { "\"\($0)\"" } ?? "null"), "cancelledBy": \
            \(cancelledBy.map { "\"\($0)\"" } ?? "null"),
             "totals": {"items": "\(money(items))", "shipping": "3.95", "discount": "0.00", "tax": "0.00", "grand": \
            "\(money(grand))"},
             "customer": {"email": "\(email)", "name": "Lena Vogel", "locale": "de"},
             "shippingAddress": {"name": "Lena Vogel", "line1": "Bergstraße 12", "postalCode": "69117", "city": \
            "Heidelberg", "country": "DE"},
             "lines": [\(lineJSON)]}
            """.utf8)
    }

    /// A canonical shipment notice: one parcel of the order `T-n` with its first line.
    public static func shipment(
        _ n: Int, parcel: String = "P1", channel: String = "webshop", shippedAt: String? = nil,
        carrier: String = "DHL", quantity: Int = 1
    ) -> [UInt8] {
        Array(
            """
            {"channel": "\(channel)", "externalId": "T-\(n)", "shipmentId": "\(parcel)", "carrier": "\(carrier)",
             "trackingNumber": "00340434\(n)", "shippedAt": \(shippedAt.map { "\"\($0)\"" } ?? "null"),
             "lines": [{"sku": "KANNE-1", "quantity": \(quantity)}]}
            """.utf8)
    }

    public static func money(_ minor: Int) -> String { "\(minor / 100).\(minor % 100 < 10 ? "0" : "")\(minor % 100)" }
}
