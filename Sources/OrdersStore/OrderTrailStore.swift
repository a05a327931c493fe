public import LibPQ

/// An order and everything orderflow did with it, for `orderflow orders show`. Times are RFC 3339, UTC;
/// money is in minor units of the order's currency.
public struct OrderTrail: Sendable, Equatable {
    public struct Order: Sendable, Equatable {
        public var id: Int64
        public var channel: String
        public var externalID: String
        public var number: String?
        public var status: String
        public var cancelledBy: String?
        public var currency: String
        public var itemsTotalMinor: Int64
        public var shippingMinor: Int64
        public var discountMinor: Int64
        public var taxMinor: Int64
        public var grandTotalMinor: Int64
        /// Set when the lines' totals miss the items total (see `orders.lines_discrepancy_minor`).
        public var linesDiscrepancyMinor: Int64?
        public var customerEmail: String?
        public var customerName: String?
        public var customerLocale: String?
        public var placedAt: String
        public var shipBy: String?
        /// The channel's own last change.
        public var updatedAt: String?
        public var storedAt: String
        public var changedAt: String
        public var delayHandledAt: String?
        /// The coupon or discount codes the order used, as stored (`orders.discount_codes`).
        public var discountCodes: [DiscountCode] = []
    }

    public struct DiscountCode: Sendable, Equatable {
        public var code: String
        /// What the channel says the code took off; nil when it does not say.
        public var amountMinor: Int64?
    }

    public struct Line: Sendable, Equatable {
        public var lineNo: Int64
        public var sku: String?
        public var title: String?
        public var quantity: Int64
        public var unitPriceMinor: Int64
        public var totalMinor: Int64
    }

    public struct Shipment: Sendable, Equatable {
        public var shipmentID: String
        public var carrier: String?
        public var trackingNumber: String?
        public var trackingURL: String?
        public var shippedAt: String?
        public var storedAt: String
    }

    public struct Voucher: Sendable, Equatable {
        public var code: String
        public var reason: String
        public var kind: String
        public var percent: Int64?
        public var amountMinor: Int64?
        public var currency: String
        public var minOrderMinor: Int64?
        public var expiresAt: String
        public var issuedAt: String
        /// The order that redeemed the voucher (`redeemed_vouchers`), as "channel" and external id, and when.
        public var redeemedByChannel: String? = nil
        public var redeemedByExternalID: String? = nil
        public var redeemedAt: String? = nil
    }

    public struct Event: Sendable, Equatable {
        public var eventID: String
        public var type: String
        public var createdAt: String
        public var publishedAt: String?
        public var attempts: Int64
        public var lastError: String?
    }

    public struct Email: Sendable, Equatable {
        public var eventID: String
        public var eventType: String
        public var recipient: String?
        public var subject: String?
        /// sending, sent, failed or skipped.
        public var status: String
        public var attempts: Int64
        public var claimedAt: String
        public var sentAt: String?
        /// The SMTP server's reply (sent, failed, a deferral), or why it was skipped.
        public var reply: String?
        public var messageID: String?
    }

    public var order: Order
    public var lines: [Line]
    public var shipments: [Shipment]
    public var vouchers: [Voucher]
    public var events: [Event]
    public var emails: [Email]
    public var rejects: [RejectRecord]
}

/// One row of `orderflow orders search`.
public struct OrderSummary: Sendable, Equatable {
    public var channel: String
    public var externalID: String
    public var number: String?
    public var status: String
    public var currency: String
    public var grandTotalMinor: Int64
    public var customerEmail: String?
    public var customerName: String?
    public var placedAt: String
    public var shipBy: String?
}

/// The reads behind `orderflow orders show` and `orders search`.
public struct OrderTrailStore: Sendable {
    public init() {}

    public func find(
        channel: String, externalID: String, on db: PostgresConnection
    ) throws(PostgresError)
        -> OrderTrail?
    {
        let orders = try db.execute(
            """
            SELECT id, channel, external_id, number, status, cancelled_by, currency, items_total_minor,
                   shipping_minor, discount_minor, tax_minor, grand_total_minor, lines_discrepancy_minor,
                   customer_email, customer_name, customer_locale,
                   \(Self.utc("placed_at")), \(Self.utc("ship_by")), \(Self.utc("updated_at")),
                   \(Self.utc("stored_at")), \(Self.utc("changed_at")), \(Self.utc("delay_handled_at"))
            FROM orders WHERE channel = $1 AND external_id = $2
            """, [.text(channel), .text(externalID)])
        guard !orders.isEmpty, let orderID = orders.int64(0, "id") else { return nil }
        let order = OrderTrail.Order(
            id: orderID, channel: orders[0, "channel"] ?? "", externalID: orders[0, "external_id"] ?? "",
            number: orders[0, "number"], status: orders[0, "status"] ?? "", cancelledBy: orders[0, "cancelled_by"],
            currency: orders[0, "currency"] ?? "", itemsTotalMinor: orders.int64(0, "items_total_minor") ?? 0,
            shippingMinor: orders.int64(0, "shipping_minor") ?? 0,
            discountMinor: orders.int64(0, "discount_minor") ?? 0, taxMinor: orders.int64(0, "tax_minor") ?? 0,
            grandTotalMinor: orders.int64(0, "grand_total_minor") ?? 0,
            linesDiscrepancyMinor: orders.int64(0, "lines_discrepancy_minor"),
            customerEmail: orders[0, "customer_email"], customerName: orders[0, "customer_name"],
            customerLocale: orders[0, "customer_locale"], placedAt: orders[0, "placed_at"] ?? "",
            shipBy: orders[0, "ship_by"], updatedAt: orders[0, "updated_at"], storedAt: orders[0, "stored_at"] ?? "",
            changedAt: orders[0, "changed_at"] ?? "", delayHandledAt: orders[0, "delay_handled_at"],
            discountCodes: try Self.discountCodes(orderID, on: db))

        let lines = try db.execute(
            """
            SELECT line_no, sku, title, quantity, unit_price_minor, total_minor
            FROM order_lines WHERE order_id = $1 ORDER BY line_no
            """, [.int(orderID)])
        let shipments = try db.execute(
            """
            SELECT shipment_id, carrier, tracking_number, tracking_url, \(Self.utc("shipped_at")),
                   \(Self.utc("stored_at"))
            FROM shipments WHERE order_id = $1 ORDER BY stored_at, id
            """, [.int(orderID)])
        let vouchers = try db.execute(
            """
            SELECT v.code, v.reason, v.kind, v.percent, v.amount_minor, v.currency, v.min_order_minor,
                   \(Self.utc("v.expires_at", as: "expires_at")), \(Self.utc("v.issued_at", as: "issued_at")),
                   r.channel AS redeemed_channel, r.external_id AS redeemed_external_id,
                   \(Self.utc("r.redeemed_at", as: "redeemed_at"))
            FROM vouchers v LEFT JOIN redeemed_vouchers r ON r.code = v.code
            WHERE v.order_id = $1 ORDER BY v.issued_at, v.code
            """, [.int(orderID)])
        let events = try db.execute(
            """
            SELECT event_id, type, \(Self.utc("created_at")), \(Self.utc("published_at")), attempts, last_error
            FROM outbox WHERE order_id = $1 ORDER BY id
            """, [.int(orderID)])
        let emails = try db.execute(
            """
            SELECT e.event_id, e.event_type, e.recipient, e.subject, e.status, e.attempts,
                   \(Self.utc("e.claimed_at", as: "claimed_at")), \(Self.utc("e.sent_at", as: "sent_at")),
                   e.smtp_reply, e.message_id
            FROM emails e JOIN outbox o ON o.event_id = e.event_id
            WHERE o.order_id = $1 ORDER BY e.claimed_at, e.event_id
            """, [.int(orderID)])
        return OrderTrail(
            order: order,
            lines: (0..<lines.count).map {
                OrderTrail.Line(
                    lineNo: lines.int64($0, "line_no") ?? 0, sku: lines[$0, "sku"], title: lines[$0, "title"],
                    quantity: lines.int64($0, "quantity") ?? 0,
                    unitPriceMinor: lines.int64($0, "unit_price_minor") ?? 0,
                    totalMinor: lines.int64($0, "total_minor") ?? 0)
            },
            shipments: (0..<shipments.count).map {
                OrderTrail.Shipment(
                    shipmentID: shipments[$0, "shipment_id"] ?? "", carrier: shipments[$0, "carrier"],
                    trackingNumber: shipments[$0, "tracking_number"], trackingURL: shipments[$0, "tracking_url"],
                    shippedAt: shipments[$0, "shipped_at"], storedAt: shipments[$0, "stored_at"] ?? "")
            },
            vouchers: (0..<vouchers.count).map {
                OrderTrail.Voucher(
                    code: vouchers[$0, "code"] ?? "", reason: vouchers[$0, "reason"] ?? "",
                    kind: vouchers[$0, "kind"] ?? "", percent: vouchers.int64($0, "percent"),
                    amountMinor: vouchers.int64($0, "amount_minor"), currency: vouchers[$0, "currency"] ?? "",
                    minOrderMinor: vouchers.int64($0, "min_order_minor"), expiresAt: vouchers[$0, "expires_at"] ?? "",
                    issuedAt: vouchers[$0, "issued_at"] ?? "", redeemedByChannel: vouchers[$0, "redeemed_channel"],
                    redeemedByExternalID: vouchers[$0, "redeemed_external_id"],
                    redeemedAt: vouchers[$0, "redeemed_at"])
            },
            events: (0..<events.count).map {
                OrderTrail.Event(
                    eventID: events[$0, "event_id"] ?? "", type: events[$0, "type"] ?? "",
                    createdAt: events[$0, "created_at"] ?? "", publishedAt: events[$0, "published_at"],
                    attempts: events.int64($0, "attempts") ?? 0, lastError: events[$0, "last_error"])
            },
            emails: (0..<emails.count).map {
                OrderTrail.Email(
                    eventID: emails[$0, "event_id"] ?? "", eventType: emails[$0, "event_type"] ?? "",
                    recipient: emails[$0, "recipient"], subject: emails[$0, "subject"],
                    status: emails[$0, "status"] ?? "", attempts: emails.int64($0, "attempts") ?? 0,
                    claimedAt: emails[$0, "claimed_at"] ?? "", sentAt: emails[$0, "sent_at"],
                    reply: emails[$0, "smtp_reply"], messageID: emails[$0, "message_id"])
            },
            rejects: try RejectStore().naming(externalID: order.externalID, on: db))
    }

    /// Newest first. Every given filter must match: the customer's email (any case), the shop's
    /// order number, placed in the last `sinceHours`.
    public func search(
        email: String?, number: String?, sinceHours: Int?, limit: Int, on db: PostgresConnection
    ) throws(PostgresError) -> [OrderSummary] {
        let result = try db.execute(
            """
            SELECT channel, external_id, number, status, currency, grand_total_minor, customer_email, customer_name,
                   \(Self.utc("placed_at")), \(Self.utc("ship_by"))
            FROM orders
            WHERE ($1::text IS NULL OR lower(customer_email) = lower($1::text))
              AND ($2::text IS NULL OR number = $2::text)
              AND ($3::integer IS NULL OR placed_at > now() - make_interval(hours => $3::integer))
            ORDER BY placed_at DESC, id DESC LIMIT $4
            """, [.optional(email), .optional(number), sinceHours.map { .int($0) } ?? .null, .int(limit)])
        return (0..<result.count).map { Self.summary(result, $0) }
    }

    /// Open orders (not shipped in full, not cancelled) past their ship-by, or without one past
    /// `handlingHours` after they were placed, whether or not the sweeper has dealt with them;
    /// the longest overdue first. A guessed placing time promises nothing and is left out.
    public func overdue(
        handlingHours: Int, limit: Int, on db: PostgresConnection
    ) throws(PostgresError)
        -> [OrderSummary]
    {
        let result = try db.execute(
            """
            SELECT channel, external_id, number, status, currency, grand_total_minor, customer_email, customer_name,
                   \(Self.utc("placed_at")), \(Self.utc("ship_by"))
            FROM orders
            WHERE status IN ('received','paid','in_fulfilment','partially_shipped')
              AND (ship_by < now()
                   OR (ship_by IS NULL AND NOT (channel_status ? 'placedAtGuessed')
                       AND placed_at + make_interval(hours => $1::integer) < now()))
            ORDER BY COALESCE(ship_by, placed_at + make_interval(hours => $1::integer)), id LIMIT $2
            """, [.int(handlingHours), .int(limit)])
        return (0..<result.count).map { Self.summary(result, $0) }
    }

    private static func summary(_ result: PostgresResult, _ row: Int) -> OrderSummary {
        OrderSummary(
            channel: result[row, "channel"] ?? "", externalID: result[row, "external_id"] ?? "",
            number: result[row, "number"], status: result[row, "status"] ?? "", currency: result[row, "currency"] ?? "",
            grandTotalMinor: result.int64(row, "grand_total_minor") ?? 0, customerEmail: result[row, "customer_email"],
            customerName: result[row, "customer_name"], placedAt: result[row, "placed_at"] ?? "",
            shipBy: result[row, "ship_by"])
    }

    /// `column` as RFC 3339 UTC text, named `name` (the column's own name by default).
    /// The codes of `orders.discount_codes`, in the order the channel listed them.
    static func discountCodes(
        _ orderID: Int64, on db: PostgresConnection
    ) throws(PostgresError)
        -> [OrderTrail.DiscountCode]
    {
        let codes = try db.execute(
            """
            SELECT e.item->>'code' AS code, (e.item->>'amount_minor')::bigint AS amount_minor
            FROM orders o, jsonb_array_elements(COALESCE(o.discount_codes, '[]'::jsonb)) WITH ORDINALITY AS e(item, n)
            WHERE o.id = $1 ORDER BY e.n
            """, [.int(orderID)])
        return (0..<codes.count).map {
            OrderTrail.DiscountCode(code: codes[$0, "code"] ?? "", amountMinor: codes.int64($0, "amount_minor"))
        }
    }

    static func utc(_ column: String, as name: String? = nil) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS \(name ?? column)"
    }
}
