import Foundation
import OrdersDomain
public import OrdersMail

/// Event bodies as the relay publishes them (SPEC 3.5), each with a fresh event id.
public enum TestEvents {
    public static func voucher(
        reason: String = "delay", locale: String?, country: String? = "DE", name: String? = "Lena Vogel",
        email: String?
    ) -> (type: String, body: String, id: String) {
        let id = UUID().uuidString.lowercased()
        let body = """
            {"eventId": "\(id)", "type": "voucher.issued", "occurredAt": "2026-11-25T10:00:00Z",
             "order": {"channel": "shopify", "externalId": "450789469", "number": "#1001", "placedAt": \
            "2026-11-18T09:12:00Z",
                       "shipBy": "2026-11-20T17:00:00Z", "currency": "EUR", "grandTotal": "65.75", "country": \
            \(json(country))},
             "customer": {"email": \(json(email)), "name": \(json(name)), "locale": \(json(locale))},
             "voucher": {"code": "K7QW3MZPXH9T", "reason": "\(reason)", "kind": "amount", "percent": null, "amount": \
            "5.00", "currency": "EUR",
                         "minOrderValue": "15.00", "expiresAt": "2027-02-23T22:59:59Z", "note": null}}
            """
        return ("voucher.issued", body, id)
    }

    public static func shipment(
        carrier: String, trackingNumber: String, email: String = "lena@example.de"
    ) -> (type: String, body: String, id: String) {
        let id = UUID().uuidString.lowercased()
        let body = """
            {"eventId": "\(id)", "type": "shipment.dispatched", "occurredAt": "2026-11-25T10:00:00Z",
             "order": {"channel": "shopify", "externalId": "450789469", "number": "#1001", "placedAt": \
            "2026-11-18T09:12:00Z",
                       "shipBy": null, "currency": "EUR", "grandTotal": "65.75", "country": "DE"},
             "customer": {"email": \(json(email)), "name": "Lena Vogel", "locale": "de"},
             "shipment": {"shipmentId": "s-1", "carrier": \(json(carrier)), "trackingNumber": \(json(trackingNumber)), \
            "trackingUrl": null,
                          "shippedAt": "2026-11-24T15:00:00Z", "items": [{"sku": "KANNE-1L", "title": "Teekanne 1 l", \
            "quantity": 2}]}}
            """
        return ("shipment.dispatched", body, id)
    }

    /// A JSON string literal, or null (the project's own writer does the escaping).
    public static func json(_ text: String?) -> String { JSON.serialize(text.map(JSONValue.string) ?? .null) }

    public static let merchant = Merchant(
        name: "Teehaus Vogel", legalName: "Teehaus Vogel GmbH", address: "Hauptstraße 1, 80331 München, Deutschland",
        register: "Amtsgericht München, HRB 123456", managingDirectors: "Lena Vogel, Jonas Vogel",
        shopURL: "https://teehaus-vogel.example")

    public static func composer() throws -> EmailComposer {
        EmailComposer(
            merchant: merchant,
            from: try MailAddress(parsing: "Teehaus Vogel <service@teehaus-vogel.example>", header: "From"),
            replyTo: try MailAddress("hilfe@teehaus-vogel.example", header: "Reply-To"))
    }
}
