import OrdersDomain
public import OrdersStore

/// `orderflow orders show` and `orders search` output: text for a terminal, every value that came
/// from a channel or a customer with its control characters escaped, and JSON for scripts.
public enum OrderTrailFormatter {
    /// One step of an order's history.
    public struct Step: Sendable, Equatable {
        public var at: String
        public var what: String
    }

    // MARK: text

    public static func text(_ trail: OrderTrail) -> String {
        let order = trail.order
        let currency = order.currency
        var lines: [String] = []
        lines.append(
            "order      \(safe(order.channel)) \(safe(order.externalID))"
                + (order.number.map { " (number \(safe($0)))" } ?? ""))
        lines.append("status     \(order.status)" + (order.cancelledBy.map { " (cancelled by the \($0))" } ?? ""))
        lines.append("customer   \(customer(order))")
        lines.append("placed     \(order.placedAt)" + (order.shipBy.map { ", ship by \($0)" } ?? ""))
        lines.append("stored     \(order.storedAt), last change \(order.changedAt)")

        lines.append("")
        lines.append("lines")
        if trail.lines.isEmpty {
            lines.append("  none")
        } else {
            let skuWidth = max(3, trail.lines.map { safe($0.sku ?? "-").count }.max() ?? 0)
            lines.append(
                "  " + StatusFormatter.leftPad("#", 3) + "  " + column("SKU", skuWidth)
                    + StatusFormatter.leftPad("QTY", 5) + StatusFormatter.leftPad("UNIT PRICE", 12)
                    + StatusFormatter.leftPad("TOTAL", 12) + "  TITLE")
            for line in trail.lines {
                lines.append(
                    "  " + StatusFormatter.leftPad(String(line.lineNo), 3) + "  "
                        + column(safe(line.sku ?? "-"), skuWidth)
                        + StatusFormatter.leftPad(String(line.quantity), 5)
                        + StatusFormatter.leftPad(amount(line.unitPriceMinor, currency), 12)
                        + StatusFormatter.leftPad(amount(line.totalMinor, currency), 12) + "  "
                        + StatusFormatter.oneLine(safe(line.title ?? "-"), limit: 60))
            }
        }
        lines.append(
            "totals     items \(amount(order.itemsTotalMinor, currency)), shipping "
                + "\(amount(order.shippingMinor, currency)), discount \(amount(order.discountMinor, currency)), "
                + "tax \(amount(order.taxMinor, currency)), grand total \(amount(order.grandTotalMinor, currency)) "
                + safe(currency))
        if let discrepancy = order.linesDiscrepancyMinor {
            lines.append("           the lines add up to \(amount(discrepancy, currency)) more than the items total")
        }
        if !order.discountCodes.isEmpty {
            let codes = order.discountCodes.map { entry in
                safe(entry.code) + (entry.amountMinor.map { " (\(amount($0, currency)))" } ?? "")
            }
            lines.append("codes      " + codes.joined(separator: ", "))
        }

        section("shipments", trail.shipments, into: &lines) { shipment in
            [
                safe(shipment.shipmentID), safe(shipment.carrier ?? "-"), safe(shipment.trackingNumber ?? "-"),
                "shipped " + (shipment.shippedAt ?? "-"), safe(shipment.trackingURL ?? ""),
            ].filter { !$0.isEmpty }.joined(separator: "  ")
        }
        section("vouchers", trail.vouchers, into: &lines) { voucher in
            [
                voucher.code, voucher.reason, value(voucher),
                voucher.minOrderMinor.map { "min. order \(amount($0, voucher.currency)) \(voucher.currency)" },
                "issued \(voucher.issuedAt)", "expires \(voucher.expiresAt)", redemption(voucher),
            ].compactMap { $0 }.joined(separator: "  ")
        }
        section("events", trail.events, into: &lines) { event in
            let published = event.publishedAt.map { "published \($0)" } ?? "not published"
            return "\(event.eventID)  \(event.type)  created \(event.createdAt)  \(published)  "
                + "\(event.attempts) attempt(s)"
                + (event.lastError.map { "  last error: " + StatusFormatter.oneLine(safe($0)) } ?? "")
        }
        section("emails", trail.emails, into: &lines) { email in
            "\(email.eventID)  \(email.eventType)  \(emailState(email))  to \(safe(email.recipient ?? "-"))  "
                + "subject \"\(StatusFormatter.oneLine(safe(email.subject ?? "")))\"  \(email.attempts) attempt(s)"
        }
        section("rejects", trail.rejects, into: &lines) { reject in
            "\(reject.id)  received \(reject.receivedAt)  \(safe(reject.routingKey))  "
                + StatusFormatter.oneLine(safe(reject.reason), limit: 80)
                + (reject.replayedAt.map { "  replayed \($0)" } ?? "")
        }
        section("timeline", timeline(trail), into: &lines) { step in "\(step.at)  \(step.what)" }
        return lines.joined(separator: "\n")
    }

    /// The rows of `orders search`, newest first.
    public static func table(_ orders: [OrderSummary]) -> String {
        guard !orders.isEmpty else { return "no orders" }
        let idWidth = max(11, orders.map { safe($0.externalID).count }.max() ?? 0)
        let numberWidth = max(6, orders.map { safe($0.number ?? "-").count }.max() ?? 0)
        var lines = [
            [
                column("PLACED", 20), column("CHANNEL", 11), column("EXTERNAL ID", idWidth),
                column("NUMBER", numberWidth), column("STATUS", 17), StatusFormatter.leftPad("TOTAL", 12) + "    ",
                "CUSTOMER",
            ].joined(separator: " ")
        ]
        for order in orders {
            let customer = [order.customerName, order.customerEmail.map { "<\($0)>" }].compactMap { $0 }
            lines.append(
                [
                    column(order.placedAt, 20), column(safe(order.channel), 11),
                    column(safe(order.externalID), idWidth),
                    column(safe(order.number ?? "-"), numberWidth), column(order.status, 17),
                    StatusFormatter.leftPad(amount(order.grandTotalMinor, order.currency), 12) + " "
                        + column(safe(order.currency), 3),
                    safe(customer.joined(separator: " ")),
                ].joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    /// What happened to the order, oldest first; steps at the same second keep the order of the sections.
    public static func timeline(_ trail: OrderTrail) -> [Step] {
        let order = trail.order
        var steps = [Step(at: order.placedAt, what: "placed on \(safe(order.channel))")]
        if let updated = order.updatedAt, updated != order.placedAt {
            steps.append(Step(at: updated, what: "last changed on the channel"))
        }
        steps.append(Step(at: order.storedAt, what: "stored"))
        if order.changedAt != order.storedAt {
            steps.append(Step(at: order.changedAt, what: "stored again, status \(order.status)"))
        }
        if let handled = order.delayHandledAt {
            steps.append(Step(at: handled, what: "overdue: handled by the sweeper"))
        }
        for shipment in trail.shipments {
            if let shipped = shipment.shippedAt {
                steps.append(Step(at: shipped, what: "shipment \(safe(shipment.shipmentID)) shipped"))
            }
            steps.append(Step(at: shipment.storedAt, what: "shipment \(safe(shipment.shipmentID)) stored"))
        }
        for voucher in trail.vouchers {
            steps.append(Step(at: voucher.issuedAt, what: "voucher \(voucher.code) issued (\(voucher.reason))"))
            if let at = voucher.redeemedAt, let channel = voucher.redeemedByChannel,
                let externalID = voucher.redeemedByExternalID
            {
                steps.append(
                    Step(at: at, what: "voucher \(voucher.code) redeemed by \(safe(channel)) \(safe(externalID))"))
            }
        }
        for event in trail.events {
            steps.append(Step(at: event.createdAt, what: "event \(event.type) \(event.eventID) created"))
            if let published = event.publishedAt {
                steps.append(Step(at: published, what: "event \(event.type) \(event.eventID) published"))
            }
        }
        for email in trail.emails {
            steps.append(
                Step(
                    at: email.sentAt ?? email.claimedAt,
                    what: "email for \(email.eventID): \(emailState(email))"))
        }
        for reject in trail.rejects {
            steps.append(
                Step(
                    at: reject.receivedAt,
                    what: "message rejected (reject \(reject.id)): " + StatusFormatter.oneLine(safe(reject.reason))))
            if let replayed = reject.replayedAt {
                steps.append(Step(at: replayed, what: "reject \(reject.id) replayed"))
            }
        }
        // A stable sort: the RFC 3339 UTC times of one format sort as text.
        return steps.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }

    // MARK: JSON

    public static func json(_ trail: OrderTrail) -> String {
        let order = trail.order
        let document: JSONValue = object([
            (
                "order",
                object([
                    ("channel", .string(order.channel)), ("externalId", .string(order.externalID)),
                    ("number", string(order.number)), ("status", .string(order.status)),
                    ("cancelledBy", string(order.cancelledBy)), ("currency", .string(order.currency)),
                    (
                        "customer",
                        object([
                            ("email", string(order.customerEmail)), ("name", string(order.customerName)),
                            ("locale", string(order.customerLocale)),
                        ])
                    ),
                    (
                        "totals",
                        object([
                            ("itemsMinor", number(order.itemsTotalMinor)),
                            ("shippingMinor", number(order.shippingMinor)),
                            ("discountMinor", number(order.discountMinor)), ("taxMinor", number(order.taxMinor)),
                            ("grandTotalMinor", number(order.grandTotalMinor)),
                            ("linesDiscrepancyMinor", number(order.linesDiscrepancyMinor)),
                        ])
                    ),
                    ("placedAt", .string(order.placedAt)), ("shipBy", string(order.shipBy)),
                    ("updatedAt", string(order.updatedAt)), ("storedAt", .string(order.storedAt)),
                    ("changedAt", .string(order.changedAt)), ("delayHandledAt", string(order.delayHandledAt)),
                    (
                        "discountCodes",
                        .array(
                            order.discountCodes.map {
                                object([("code", .string($0.code)), ("amountMinor", number($0.amountMinor))])
                            })
                    ),
                ])
            ),
            (
                "lines",
                .array(
                    trail.lines.map { line in
                        object([
                            ("lineNo", number(line.lineNo)), ("sku", string(line.sku)), ("title", string(line.title)),
                            ("quantity", number(line.quantity)), ("unitPriceMinor", number(line.unitPriceMinor)),
                            ("totalMinor", number(line.totalMinor)),
                        ])
                    })
            ),
            (
                "shipments",
                .array(
                    trail.shipments.map { shipment in
                        object([
                            ("shipmentId", .string(shipment.shipmentID)), ("carrier", string(shipment.carrier)),
                            ("trackingNumber", string(shipment.trackingNumber)),
                            ("trackingUrl", string(shipment.trackingURL)), ("shippedAt", string(shipment.shippedAt)),
                            ("storedAt", .string(shipment.storedAt)),
                        ])
                    })
            ),
            (
                "vouchers",
                .array(
                    trail.vouchers.map { voucher in
                        object([
                            ("code", .string(voucher.code)), ("reason", .string(voucher.reason)),
                            ("kind", .string(voucher.kind)), ("percent", number(voucher.percent)),
                            ("amountMinor", number(voucher.amountMinor)), ("currency", .string(voucher.currency)),
                            ("minOrderMinor", number(voucher.minOrderMinor)), ("issuedAt", .string(voucher.issuedAt)),
                            ("expiresAt", .string(voucher.expiresAt)),
                            (
                                "redeemedBy",
                                voucher.redeemedAt == nil
                                    ? .null
                                    : object([
                                        ("channel", string(voucher.redeemedByChannel)),
                                        ("externalId", string(voucher.redeemedByExternalID)),
                                        ("at", string(voucher.redeemedAt)),
                                    ])
                            ),
                        ])
                    })
            ),
            (
                "events",
                .array(
                    trail.events.map { event in
                        object([
                            ("eventId", .string(event.eventID)), ("type", .string(event.type)),
                            ("createdAt", .string(event.createdAt)), ("published", .bool(event.publishedAt != nil)),
                            ("publishedAt", string(event.publishedAt)), ("attempts", number(event.attempts)),
                            ("lastError", string(event.lastError)),
                        ])
                    })
            ),
            (
                "emails",
                .array(
                    trail.emails.map { email in
                        object([
                            ("eventId", .string(email.eventID)), ("eventType", .string(email.eventType)),
                            ("status", .string(email.status)), ("recipient", string(email.recipient)),
                            ("subject", string(email.subject)), ("attempts", number(email.attempts)),
                            ("claimedAt", .string(email.claimedAt)), ("sentAt", string(email.sentAt)),
                            ("reply", string(email.reply)), ("messageId", string(email.messageID)),
                        ])
                    })
            ),
            (
                "rejects",
                .array(
                    trail.rejects.map { reject in
                        object([
                            ("id", number(reject.id)), ("receivedAt", .string(reject.receivedAt)),
                            ("routingKey", .string(reject.routingKey)), ("messageId", string(reject.messageID)),
                            ("reason", .string(reject.reason)), ("field", string(reject.field)),
                            ("replayedAt", string(reject.replayedAt)),
                        ])
                    })
            ),
            (
                "timeline",
                .array(timeline(trail).map { object([("at", .string($0.at)), ("what", .string($0.what))]) })
            ),
        ])
        return JSON.serialize(document, pretty: true)
    }

    public static func json(_ orders: [OrderSummary]) -> String {
        JSON.serialize(
            .array(
                orders.map { order in
                    object([
                        ("channel", .string(order.channel)), ("externalId", .string(order.externalID)),
                        ("number", string(order.number)), ("status", .string(order.status)),
                        ("currency", .string(order.currency)), ("grandTotalMinor", number(order.grandTotalMinor)),
                        ("customerEmail", string(order.customerEmail)), ("customerName", string(order.customerName)),
                        ("placedAt", .string(order.placedAt)),
                    ])
                }), pretty: true)
    }

    // MARK: helpers

    /// Minor units as a decimal amount in the currency's exponent ("12.50", "1250" for JPY), never
    /// through a floating-point type; an unknown currency prints its minor units.
    public static func amount(_ minor: Int64, _ currencyCode: String) -> String {
        guard let currency = Currency(code: currencyCode) else { return "\(minor) (minor units)" }
        return Money(minorUnits: minor, currency: currency).decimalString
    }

    static func safe(_ text: String) -> String { Text.escapingControlCharacters(text) }

    /// `text` padded with spaces to `width` (left as it is when longer).
    static func column(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    static func customer(_ order: OrderTrail.Order) -> String {
        let parts = [
            order.customerName.map(safe), order.customerEmail.map { "<\(safe($0))>" },
            order.customerLocale.map { "(\(safe($0)))" },
        ].compactMap { $0 }
        return parts.isEmpty ? "-" : parts.joined(separator: " ")
    }

    /// "redeemed by otto T-4 2026-12-01T13:00:00Z", or nil.
    static func redemption(_ voucher: OrderTrail.Voucher) -> String? {
        guard let channel = voucher.redeemedByChannel, let externalID = voucher.redeemedByExternalID else {
            return nil
        }
        return "redeemed by \(safe(channel)) \(safe(externalID))" + (voucher.redeemedAt.map { " \($0)" } ?? "")
    }

    static func value(_ voucher: OrderTrail.Voucher) -> String {
        if let percent = voucher.percent { return "\(percent) %" }
        return "\(amount(voucher.amountMinor ?? 0, voucher.currency)) \(voucher.currency)"
    }

    /// "sent 2026-…: 250 OK", "failed: 550 …", "skipped: no address", "being sent (attempt 2)".
    static func emailState(_ email: OrderTrail.Email) -> String {
        let reply = email.reply.map { ": " + StatusFormatter.oneLine(safe($0)) } ?? ""
        switch email.status {
        case "sent": return "sent \(email.sentAt ?? "")\(reply)"
        case "sending": return "being sent (attempt \(email.attempts))\(reply)"
        default: return "\(email.status)\(reply)"
        }
    }

    static func section<Item>(
        _ title: String, _ items: [Item], into lines: inout [String], _ line: (Item) -> String
    ) {
        lines.append("")
        lines.append(title)
        if items.isEmpty { lines.append("  none") }
        lines.append(contentsOf: items.map { "  " + line($0) })
    }

    static func object(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(pairs)) }
    static func string(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    static func number(_ value: Int64?) -> JSONValue { value.map { .number(String($0)) } ?? .null }
}
