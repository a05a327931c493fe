/// An event on `orderflow.events` (SPEC 3.5): the outbox relay builds it from the rows the outbox
/// entry points at and publishes `body`; the notifier reads it back with `decode(_:)`
/// (OrderEvent+Decoding.swift). One type for both sides, so the body is defined in this one place.
public struct OrderEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case shipmentDispatched = "shipment.dispatched"
        case voucherIssued = "voucher.issued"
        case orderDelayed = "order.delayed"
    }

    public struct Order: Sendable, Equatable {
        public var channel: String
        public var externalId: String
        public var number: String?
        public var placedAt: UTCTimestamp
        public var shipBy: UTCTimestamp?
        public var currency: Currency
        /// Always written; a body without it still decodes (the email does not need it).
        public var grandTotal: Money?
        /// Shipping country (ISO alpha-2), with the locale the notifier's choice of language.
        public var country: String?

        public init(
            channel: String, externalId: String, number: String?, placedAt: UTCTimestamp, shipBy: UTCTimestamp?,
            currency: Currency, grandTotal: Money?, country: String?
        ) {
            self.channel = channel
            self.externalId = externalId
            self.number = number
            self.placedAt = placedAt
            self.shipBy = shipBy
            self.currency = currency
            self.grandTotal = grandTotal
            self.country = country
        }

        /// What the customer knows the order by: the shop's number, else the channel's id.
        public var displayNumber: String { number ?? externalId }
    }

    public struct Customer: Sendable, Equatable {
        public var email: String?
        public var name: String?
        public var locale: String?

        public init(email: String?, name: String?, locale: String?) {
            self.email = email
            self.name = name
            self.locale = locale
        }
    }

    public struct Parcel: Sendable, Equatable {
        public struct Item: Sendable, Equatable {
            public var sku: String?
            public var title: String?
            public var quantity: Int64

            public init(sku: String?, title: String?, quantity: Int64) {
                self.sku = sku
                self.title = title
                self.quantity = quantity
            }
        }

        /// Always written; a body without it still decodes.
        public var shipmentId: String?
        public var carrier: String?
        public var trackingNumber: String?
        public var trackingUrl: String?
        public var shippedAt: UTCTimestamp?
        public var items: [Item]

        public init(
            shipmentId: String?, carrier: String?, trackingNumber: String?, trackingUrl: String?,
            shippedAt: UTCTimestamp?, items: [Item]
        ) {
            self.shipmentId = shipmentId
            self.carrier = carrier
            self.trackingNumber = trackingNumber
            self.trackingUrl = trackingUrl
            self.shippedAt = shippedAt
            self.items = items
        }
    }

    public struct Voucher: Sendable, Equatable {
        public var code: String
        public var reason: VoucherReason
        public var terms: VoucherTerms
        /// The incident campaign's internal reason, for operators only: never shown to the customer.
        public var note: String?
        /// What an incident campaign tells its customers, by language code ("de", "en", …); empty
        /// for the automatic triggers and for campaigns that leave it to the built-in wording.
        public var customerMessages: [String: String]

        public init(
            code: String, reason: VoucherReason, terms: VoucherTerms, note: String?,
            customerMessages: [String: String] = [:]
        ) {
            self.code = code
            self.reason = reason
            self.terms = terms
            self.note = note
            self.customerMessages = customerMessages
        }
    }

    public var eventId: String
    public var kind: Kind
    public var occurredAt: UTCTimestamp
    public var order: Order
    public var customer: Customer
    public var parcel: Parcel?
    public var voucher: Voucher?

    public init(
        eventId: String, kind: Kind, occurredAt: UTCTimestamp, order: Order, customer: Customer,
        parcel: Parcel? = nil, voucher: Voucher? = nil
    ) {
        self.eventId = eventId
        self.kind = kind
        self.occurredAt = occurredAt
        self.order = order
        self.customer = customer
        self.parcel = parcel
        self.voucher = voucher
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("eventId", .string(eventId)),
            ("type", .string(kind.rawValue)),
            ("occurredAt", .string(occurredAt.rfc3339)),
            (
                "order",
                .object(
                    JSONObject([
                        ("channel", .string(order.channel)),
                        ("externalId", .string(order.externalId)),
                        ("number", .optional(order.number)),
                        ("placedAt", .string(order.placedAt.rfc3339)),
                        ("shipBy", .optional(order.shipBy?.rfc3339)),
                        ("currency", .string(order.currency.code)),
                        ("grandTotal", .optional(order.grandTotal?.decimalString)),
                        ("country", .optional(order.country)),
                    ]))
            ),
            (
                "customer",
                .object(
                    JSONObject([
                        ("email", .optional(customer.email)),
                        ("name", .optional(customer.name)),
                        ("locale", .optional(customer.locale)),
                    ]))
            ),
        ]
        if let parcel {
            members.append(
                (
                    "shipment",
                    .object(
                        JSONObject([
                            ("shipmentId", .optional(parcel.shipmentId)),
                            ("carrier", .optional(parcel.carrier)),
                            ("trackingNumber", .optional(parcel.trackingNumber)),
                            ("trackingUrl", .optional(parcel.trackingUrl)),
                            ("shippedAt", .optional(parcel.shippedAt?.rfc3339)),
                            (
                                "items",
                                .array(
                                    parcel.items.map { item in
                                        .object(
                                            JSONObject([
                                                ("sku", .optional(item.sku)), ("title", .optional(item.title)),
                                                ("quantity", .number(String(item.quantity))),
                                            ]))
                                    })
                            ),
                        ]))
                ))
        }
        if let voucher {
            let terms = voucher.terms
            var percent = JSONValue.null
            var amount = JSONValue.null
            switch terms.kind {
            case .percent(let value): percent = .number(String(value))
            case .amount(let money): amount = .string(money.decimalString)
            }
            var voucherMembers: [(String, JSONValue)] = [
                ("code", .string(voucher.code)),
                ("reason", .string(voucher.reason.rawValue)),
                ("kind", .string(terms.kindName)),
                ("percent", percent),
                ("amount", amount),
                ("currency", .string(terms.currency.code)),
                ("minOrderValue", .optional(terms.minimumOrder?.decimalString)),
                ("expiresAt", .string(terms.expiresAt.rfc3339)),
                ("note", .optional(voucher.note)),
            ]
            if !voucher.customerMessages.isEmpty {
                voucherMembers.append(
                    (
                        "customerMessages",
                        .object(
                            JSONObject(voucher.customerMessages.sorted { $0.key < $1.key }.map { ($0, .string($1)) }))
                    ))
            }
            members.append(("voucher", .object(JSONObject(voucherMembers))))
        }
        return .object(JSONObject(members))
    }

    /// The message body: compact UTF-8 JSON.
    public var body: [UInt8] { Array(JSON.serialize(json).utf8) }
}
