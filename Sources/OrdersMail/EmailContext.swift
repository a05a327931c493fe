import Foundation
import OrdersDomain

/// The values the templates see. Absent values are left out (Mustache treats an empty string as
/// present), and every value is plain text: the HTML templates escape it.
enum EmailContext {
    static func values(
        for event: OrderEvent, merchant: Merchant, language: MailLanguage, timeZone: TimeZone
    ) -> [String: Any] {
        func day(_ time: UTCTimestamp) -> String { MailFormatting.day(time, language, timeZone: timeZone) }
        let phrases = Wording.phrases(language)
        var context: [String: Any] = [
            "orderNumber": event.order.displayNumber,
            "orderDate": day(event.order.placedAt),
            "merchant": merchant.name,
            "imprint": merchant.imprint(language),
            "channelName": channelName(event.order.channel),
        ]
        if let name = event.customer.name { context["name"] = name }
        if let shipBy = event.order.shipBy { context["shipBy"] = day(shipBy) }
        // Marketplace buyers must not be steered to the merchant's own shop.
        if let shopURL = merchant.shopURL, !isMarketplace(event.order.channel) { context["shopURL"] = shopURL }
        if let voucher = event.voucher {
            let values: [String: Any] = [
                "code": voucher.code,
                "value": value(voucher.terms.kind, language),
                "minimum": voucher.terms.minimumOrder.map { MailFormatting.money($0, language) }
                    ?? phrases.noMinimum,
                "expiry": day(voucher.terms.expiresAt),
            ]
            // The campaign's words for the customer; its note is the operators' reason and stays out.
            if voucher.reason == .incident {
                context["incidentMessage"] =
                    voucher.customerMessages[language.rawValue] ?? Wording.neutralIncidentMessage(language)
            }
            context["voucher"] = values
        }
        if let shipment = event.parcel {
            var values: [String: Any] = [
                "carrier": TrackingLink.displayName(carrier: shipment.carrier) ?? phrases.unknownCarrier,
                "hasItems": !shipment.items.isEmpty,
                "items": shipment.items.map { item -> [String: Any] in
                    [
                        "quantity": String(item.quantity),
                        "title": item.title ?? item.sku ?? phrases.unnamedItem,
                    ]
                },
            ]
            if let carrier = TrackingLink.displayName(carrier: shipment.carrier) { context["carrier"] = carrier }
            if let number = shipment.trackingNumber { values["trackingNumber"] = number }
            if let link = TrackingLink.url(
                carrier: shipment.carrier, trackingNumber: shipment.trackingNumber,
                eventURL: shipment.trackingUrl, language: language)
            {
                values["trackingLink"] = link
            }
            if let shippedAt = shipment.shippedAt { context["shippedAt"] = day(shippedAt) }
            context["shipment"] = values
        }
        return context
    }

    private static func value(_ value: VoucherTerms.Kind, _ language: MailLanguage) -> String {
        switch value {
        case .percent(let percent):
            Wording.phrases(language).percentOff.replacingOccurrences(
                of: "%@", with: MailFormatting.percent(percent, language))
        case .amount(let money): MailFormatting.money(money, language)
        }
    }

    static func isMarketplace(_ channel: String) -> Bool { ["amazon", "ebay"].contains(channel.lowercased()) }

    private static func channelName(_ channel: String) -> String {
        switch channel.lowercased() {
        case "amazon": "Amazon"
        case "ebay": "eBay"
        default: channel.prefix(1).uppercased() + channel.dropFirst()
        }
    }
}
