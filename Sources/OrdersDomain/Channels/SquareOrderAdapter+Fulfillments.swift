extension SquareOrderAdapter {
    /// One pass over the order's fulfillments: how far they got, the earliest promise, the recipient the customer
    /// is read from, the parcels, and the raw axes for channelStatus.
    struct FulfillmentScan {
        var liveCount = 0, completedCount = 0, inProgressCount = 0
        var anyShipment = false
        var earliestPromise: UTCTimestamp?
        /// A shipment or delivery recipient (it has the ship-to address).
        var addressRecipient: Node?
        var pickupRecipient: Node?
        var shipments: [CanonicalShipment] = []
        var axes: [JSONValue] = []

        init(_ order: Node, orderID: String, lines: [Node]) throws {
            for fulfillment in (try? order["fulfillments"].elements()) ?? [] {
                try add(fulfillment, orderID: orderID, lines: lines)
            }
        }

        private mutating func add(_ fulfillment: Node, orderID: String, lines: [Node]) throws {
            let type = fulfillment["type"].cleanText
            let state = fulfillment["state"].cleanText
            axes.append(
                .object(
                    JSONObject([
                        ("type", fulfillment["type"].rawOrNull), ("state", fulfillment["state"].rawOrNull),
                    ])))
            if state == "CANCELED" || state == "FAILED" { return }
            liveCount += 1
            let details: Node
            let promise: Node
            switch type {
            case "SHIPMENT"?:
                anyShipment = true
                details = fulfillment["shipment_details"]
                promise = details["expected_shipped_at"]
            case "DELIVERY"?:
                details = fulfillment["delivery_details"]
                promise = details["deliver_at"]
            default:
                details = fulfillment["pickup_details"]
                promise = details["pickup_at"]
            }
            switch state {
            case "COMPLETED"?: completedCount += 1
            case "RESERVED"?, "PREPARED"?: inProgressCount += 1
            default: break
            }
            earliestPromise = [earliestPromise, try? promise.timestamp()].compactMap { $0 }.min()
            let recipient = details["recipient"]
            if recipient.exists {
                if type == "SHIPMENT" || type == "DELIVERY" {
                    if addressRecipient == nil { addressRecipient = recipient }
                } else if pickupRecipient == nil {
                    pickupRecipient = recipient
                }
            }
            if type == "SHIPMENT", state == "COMPLETED" || details["tracking_number"].cleanText != nil {
                shipments.append(try SquareOrderAdapter.shipment(fulfillment, details, orderID: orderID, lines: lines))
            }
        }

        /// The customer: a shipment/delivery recipient, else a pickup recipient. A counter sale has none.
        var parties: OrderParties {
            let recipient = addressRecipient ?? pickupRecipient
            var parties = OrderParties()
            if let addressRecipient { parties.shippingAddress = SquareOrderAdapter.address(addressRecipient) }
            if let recipient {
                let address = recipient["address"]
                parties.customer.email = Text.email(recipient["email_address"].cleanText)
                parties.customer.name =
                    recipient["display_name"].cleanText
                    ?? Text.fullName(address["first_name"].cleanText, address["last_name"].cleanText)
            }
            return parties
        }
    }

    static func address(_ recipient: Node) -> Address? {
        let a = recipient["address"]
        let line2 = [a["address_line_2"].cleanText, a["address_line_3"].cleanText].compactMap { $0 }
        let address = Address(
            name: recipient["display_name"].cleanText
                ?? Text.fullName(a["first_name"].cleanText, a["last_name"].cleanText),
            company: nil,
            line1: a["address_line_1"].cleanText,
            line2: line2.isEmpty ? nil : line2.joined(separator: ", "),
            postalCode: a["postal_code"].cleanText,
            city: a["locality"].cleanText,
            region: a["administrative_district_level_1"].cleanText,
            country: Text.countryAlpha2(a["country"].cleanText),
            phone: recipient["phone_number"].cleanText)
        return address.isEmpty ? nil : address
    }

    static func shipment(
        _ fulfillment: Node, _ details: Node, orderID: String, lines: [Node]
    ) throws -> CanonicalShipment {
        var shipmentLines: [ShipmentLine] = []
        let entries = (try? fulfillment["entries"].elements()) ?? []
        if fulfillment["line_item_application"].cleanText == "ENTRY_LIST", !entries.isEmpty {
            for entry in entries {
                guard let count = try? quantity(entry["quantity"]) else { continue }  // odd entry: skipped
                shipmentLines.append(
                    ShipmentLine(sku: nil, lineId: try entry["line_item_uid"].optionalID(), quantity: count))
            }
        } else {
            for line in lines {
                shipmentLines.append(
                    ShipmentLine(
                        sku: nil, lineId: try line["uid"].optionalID(), quantity: try quantity(line["quantity"])))
            }
        }
        return CanonicalShipment(
            channel: "pos",
            externalId: orderID,
            shipmentId: try fulfillment["uid"].optionalID() ?? orderID,
            carrier: details["carrier"].cleanText,
            trackingNumber: details["tracking_number"].cleanText,
            trackingUrl: details["tracking_url"].cleanText,
            shippedAt: try? details["shipped_at"].timestamp(),
            lines: shipmentLines)
    }
}
