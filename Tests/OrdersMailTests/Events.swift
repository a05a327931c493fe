import OrdersDomain
import OrdersMail

/// Event bodies as the relay publishes them (SPEC 3.5), with the parts a test varies.
enum Events {
    static let defaultID = "0b6c2f4e-8f3a-4c1e-9a57-3d2b1c0e9f11"

    static func voucher(
        id: String = defaultID, reason: String = "delay", locale: String? = nil, country: String? = "DE",
        name: String? = "Lena Vogel", email: String? = "lena@example.de", kind: String = "amount",
        note: String? = nil, channel: String = "shopify", number: String = "#1001",
        expiresAt: String = "2027-02-23T22:59:59Z", customerMessages: [String: String] = [:]
    ) -> String {
        let messages = JSON.serialize(
            .object(JSONObject(customerMessages.sorted { $0.key < $1.key }.map { ($0, JSONValue.string($1)) })))
        let value = kind == "amount" ? #""percent": null, "amount": "5.00""# : #""percent": 10, "amount": null"#
        return """
            {"eventId": "\(id)", "type": "voucher.issued", "occurredAt": "2026-11-25T10:00:00Z",
             "order": {"channel": "\(channel)", "externalId": "450789469", "number": \(json(number)), "placedAt": \
            "2026-11-18T09:12:00Z",
                       "shipBy": "2026-11-20T17:00:00Z", "currency": "EUR", "grandTotal": "65.75", "country": \
            \(json(country))},
             "customer": {"email": \(json(email)), "name": \(json(name)), "locale": \(json(locale))},
             "voucher": {"code": "K7QW3MZPXH9T", "reason": "\(reason)", "kind": "\(kind)", \(value), "currency": "EUR",
                         "minOrderValue": "15.00", "expiresAt": "\(expiresAt)", "note": \(json(note)),
                         "customerMessages": \(messages)}}
            """
    }

    static func shipment(
        id: String = defaultID, carrier: String? = "DHL", trackingNumber: String? = "00340434161234567890",
        locale: String? = "de", email: String? = "lena@example.de", name: String? = "Lena Vogel",
        number: String = "#1001"
    ) -> String {
        """
        {"eventId": "\(id)", "type": "shipment.dispatched", "occurredAt": "2026-11-25T10:00:00Z",
         "order": {"channel": "shopify", "externalId": "450789469", "number": \(json(number)), "placedAt": \
        "2026-11-18T09:12:00Z",
                   "shipBy": null, "currency": "EUR", "grandTotal": "65.75", "country": "DE"},
         "customer": {"email": \(json(email)), "name": \(json(name)), "locale": \(json(locale))},
         "shipment": {"shipmentId": "s-1", "carrier": \(json(carrier)), "trackingNumber": \(json(trackingNumber)), \
        "trackingUrl": null,
                      "shippedAt": "2026-11-24T15:00:00Z", "items": [{"sku": "KANNE-1L", "title": "Teekanne 1 l", \
        "quantity": 2},
                                                                    {"sku": "TASSE", "title": null, "quantity": 1}]}}
        """
    }

    static func delayed(id: String = defaultID, locale: String? = "en-GB", channel: String = "amazon") -> String {
        """
        {"eventId": "\(id)", "type": "order.delayed", "occurredAt": "2026-11-25T10:00:00Z",
         "order": {"channel": "\(channel)", "externalId": "302-1234567-1234567", "number": null, "placedAt": \
        "2026-11-18T09:12:00Z",
                   "shipBy": "2026-11-20T17:00:00Z", "currency": "EUR", "grandTotal": "65.75", "country": "GB"},
         "customer": {"email": "buyer@marketplace.amazon.de", "name": "Sam Taylor", "locale": \(json(locale))}}
        """
    }

    /// A JSON string literal, or null (the project's own writer does the escaping).
    static func json(_ text: String?) -> String { JSON.serialize(text.map(JSONValue.string) ?? .null) }

    static func decode(_ text: String) throws(NormalizationError) -> OrderEvent {
        try OrderEvent.decode(Array(text.utf8))
    }

    static let merchant = Merchant(
        name: "Teehaus Vogel", legalName: "Teehaus Vogel GmbH", address: "Hauptstraße 1, 80331 München, Deutschland",
        register: "Amtsgericht München, HRB 123456", managingDirectors: "Lena Vogel, Jonas Vogel",
        shopURL: "https://teehaus-vogel.example", vatID: "DE123456789")

    static func composer() throws -> EmailComposer {
        EmailComposer(
            merchant: merchant,
            from: try MailAddress(parsing: "Teehaus Vogel <service@teehaus-vogel.example>", header: "From"),
            replyTo: try MailAddress("hilfe@teehaus-vogel.example", header: "Reply-To"))
    }
}
