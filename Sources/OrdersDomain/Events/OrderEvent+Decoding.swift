import Foundation

extension OrderEvent {
    /// Decodes an event body. Refusals are `NormalizationError`s naming the field
    /// ("voucher.expiresAt: required"), so a dead-lettered event says what was wrong with it.
    public static func decode(_ body: [UInt8]) throws(NormalizationError) -> OrderEvent {
        let value: JSONValue
        do {
            value = try JSON.parse(body)
        } catch {
            throw NormalizationError(error.isInvalidUTF8 ? .invalidUTF8 : .notJSON, field: nil, error.description)
        }
        guard case .object = value else {
            throw NormalizationError(.notObject, field: nil, "the event is not a JSON object")
        }
        do {
            return try decode(Node(value, path: ""))
        } catch let error as NormalizationError {
            throw error
        } catch {
            throw NormalizationError(.invalidField, field: nil, "\(error)")
        }
    }

    private static func decode(_ root: Node) throws -> OrderEvent {
        let idNode = root["eventId"]
        // The id becomes a Message-ID and a uuid key: only a real UUID will do.
        guard let uuid = UUID(uuidString: try idNode.requiredString()) else {
            throw idNode.error(.invalidField, "not a UUID")
        }
        let typeNode = root["type"]
        guard let kind = Kind(rawValue: try typeNode.requiredString()) else {
            throw typeNode.error(
                .invalidField,
                "unknown event type; expected one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let order = try decodeOrder(root["order"])
        var event = OrderEvent(
            eventId: uuid.uuidString.lowercased(),
            kind: kind,
            occurredAt: try required(root["occurredAt"]) { try $0.timestamp() },
            order: order,
            customer: try decodeCustomer(root["customer"])
        )
        switch kind {
        case .shipmentDispatched: event.parcel = try decodeParcel(root["shipment"])
        case .voucherIssued: event.voucher = try decodeVoucher(root["voucher"])
        case .orderDelayed: break
        }
        return event
    }

    private static func decodeOrder(_ node: Node) throws -> Order {
        guard node.exists else { throw node.error(.missingField, "required") }
        let currency = try node["currency"].requiredCurrency()
        return Order(
            channel: try node["channel"].requiredString(),
            externalId: try node["externalId"].id(),
            number: Text.clean(try node["number"].string()),
            placedAt: try required(node["placedAt"]) { try $0.timestamp() },
            shipBy: try node["shipBy"].timestamp(),
            currency: currency,
            grandTotal: try node["grandTotal"].money(currency),
            country: Text.countryAlpha2(try node["country"].string())
        )
    }

    private static func decodeCustomer(_ node: Node) throws -> Customer {
        // A missing customer is not an error: the email is skipped for want of an address.
        Customer(
            email: Text.email(try node["email"].string()),
            name: Text.clean(try node["name"].string()),
            locale: Text.clean(try node["locale"].string())
        )
    }

    private static func decodeParcel(_ node: Node) throws -> Parcel {
        guard node.exists else { throw node.error(.missingField, "required for shipment.dispatched") }
        return Parcel(
            shipmentId: try node["shipmentId"].string(),
            carrier: Text.clean(try node["carrier"].string()),
            trackingNumber: Text.clean(try node["trackingNumber"].string()),
            trackingUrl: Text.clean(try node["trackingUrl"].string()),
            shippedAt: try node["shippedAt"].timestamp(),
            items: try node["items"].elements().map { item in
                Parcel.Item(
                    sku: Text.clean(try item["sku"].string()), title: Text.clean(try item["title"].string()),
                    quantity: try item["quantity"].quantity())
            }
        )
    }

    private static func decodeVoucher(_ node: Node) throws -> Voucher {
        guard node.exists else { throw node.error(.missingField, "required for voucher.issued") }
        let currency = try node["currency"].requiredCurrency()
        let reasonNode = node["reason"]
        guard let reason = VoucherReason(rawValue: try reasonNode.requiredString()) else {
            throw reasonNode.error(.invalidField, "expected delay, cancellation or incident")
        }
        let kindNode = node["kind"]
        let value: VoucherTerms.Kind
        switch try kindNode.requiredString() {
        case "percent":
            let percentNode = node["percent"]
            guard let percent = try percentNode.int() else {
                throw percentNode.error(.missingField, "required for a percent voucher")
            }
            guard (1...100).contains(percent) else {
                throw percentNode.error(.invalidField, "must be between 1 and 100")
            }
            value = .percent(Int(percent))
        case "amount":
            let amount = try node["amount"].requiredMoney(currency)
            guard amount.minorUnits > 0 else { throw node["amount"].error(.invalidField, "must be positive") }
            value = .amount(amount)
        default:
            throw kindNode.error(.invalidField, "expected percent or amount")
        }
        let code = try node["code"].requiredString()
        // The code is printed in the email as it is: letters, digits and dashes only.
        guard
            code.unicodeScalars.allSatisfy({
                $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-"
            })
        else {
            throw node["code"].error(.invalidField, "a voucher code is letters, digits and dashes")
        }
        let terms = VoucherTerms(
            kind: value, currency: currency, minimumOrder: try node["minOrderValue"].money(currency),
            expiresAt: try required(node["expiresAt"]) { try $0.timestamp() })
        var customerMessages: [String: String] = [:]
        for (language, _) in try node["customerMessages"].object()?.pairs ?? [] {
            if let message = Text.clean(try node["customerMessages"][language].string()) {
                customerMessages[language] = message
            }
        }
        return Voucher(
            code: code, reason: reason, terms: terms, note: Text.clean(try node["note"].string()),
            customerMessages: customerMessages)
    }

    private static func required<T>(_ node: Node, _ read: (Node) throws -> T?) throws -> T {
        guard let value = try read(node) else { throw node.error(.missingField, "required") }
        return value
    }
}
