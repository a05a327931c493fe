extension SquareOrderAdapter {
    /// The status from the four axes (state, fulfillments, tenders, refunds); see the file comment of the adapter.
    static func status(
        _ order: Node, _ fulfillments: FulfillmentScan, grand: Money, _ currency: Currency
    ) throws -> ResolvedStatus {
        var candidates = stateCandidates(order["state"].cleanText, fulfillments)
        let tenders = try tenderAxis(order, currency)
        if tenders.anyPaid, tenders.paid.minorUnits >= grand.minorUnits { candidates.append(.paid) }
        let refunds = try refundAxis(order, currency)
        if grand.minorUnits > 0, refunds.refunded.minorUnits >= grand.minorUnits { candidates.append(.refunded) }
        let status = OrderStatus.resolve(candidates)
        return ResolvedStatus(
            status: status,
            // The buyer has no way to cancel a Square order: the seller's staff or app did.
            cancelledBy: status == .cancelled ? .merchant : nil,
            channelStatus: JSONObject([
                ("state", order["state"].rawOrNull),
                ("tenders", .array(tenders.axes)),
                ("fulfillments", .array(fulfillments.axes)),
                ("refunds", .array(refunds.axes)),
            ]))
    }

    /// The order state and how far the live fulfillments got.
    static func stateCandidates(_ state: String?, _ fulfillments: FulfillmentScan) -> [OrderStatus] {
        var candidates: [OrderStatus] = []
        switch state {
        case "CANCELED"?: candidates.append(.cancelled)
        case "COMPLETED"?: candidates.append(fulfillments.liveCount == 0 ? .delivered : .paid)
        default: break  // OPEN, DRAFT, unknown -> received
        }
        if fulfillments.liveCount > 0 {
            if fulfillments.completedCount == fulfillments.liveCount {
                candidates.append(fulfillments.anyShipment ? .shipped : .delivered)
            } else if fulfillments.completedCount > 0 {
                candidates.append(.partiallyShipped)
            } else if fulfillments.inProgressCount > 0 {
                candidates.append(.inFulfilment)
            }
        }
        return candidates
    }

    /// The sum of the tenders that count as paid, whether any does, and the raw axes.
    static func tenderAxis(
        _ order: Node, _ currency: Currency
    ) throws -> (paid: Money, anyPaid: Bool, axes: [JSONValue]) {
        var paidSum = Money.zero(currency)
        var anyPaidTender = false
        var axes: [JSONValue] = []
        for tender in (try? order["tenders"].elements()) ?? [] {
            axes.append(
                .object(
                    JSONObject([
                        ("type", tender["type"].rawOrNull), ("card_status", tender["card_details"]["status"].rawOrNull),
                    ])))
            guard isPaid(tender) else { continue }
            anyPaidTender = true
            if let amount = try Self.money(tender["amount_money"], currency) {
                paidSum = try tender["amount_money"].adding(paidSum, amount)
            }
        }
        return (paidSum, anyPaidTender, axes)
    }

    /// A card counts once captured; NO_SALE never; cash and other tender types do.
    static func isPaid(_ tender: Node) -> Bool {
        let type = tender["type"].cleanText
        if type == "NO_SALE" { return false }
        if type == "CARD" || tender["card_details"].exists {
            return tender["card_details"]["status"].cleanText == "CAPTURED"
        }
        return true
    }

    /// The sum of the approved or completed refunds, and the raw axes.
    static func refundAxis(_ order: Node, _ currency: Currency) throws -> (refunded: Money, axes: [JSONValue]) {
        var refundedSum = Money.zero(currency)
        var axes: [JSONValue] = []
        for refund in (try? order["refunds"].elements()) ?? [] {
            axes.append(refund["status"].rawOrNull)
            let status = refund["status"].cleanText
            guard status == "APPROVED" || status == "COMPLETED",
                let amount = try Self.money(refund["amount_money"], currency)
            else { continue }
            refundedSum = try refund["amount_money"].adding(refundedSum, amount)
        }
        return (refundedSum, axes)
    }
}
