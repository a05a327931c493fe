/// The one lifecycle every channel's statuses map onto (SPEC 3.3).
public enum OrderStatus: String, Sendable, CaseIterable {
    case received
    case paid
    case inFulfilment = "in_fulfilment"
    case partiallyShipped = "partially_shipped"
    case shipped
    case delivered
    case cancelled
    case refunded

    /// Which status wins when a channel's axes disagree: cancelled > refunded > delivered > shipped >
    /// partially_shipped > in_fulfilment > paid > received.
    public var precedence: Int {
        switch self {
        case .received: 0
        case .paid: 1
        case .inFulfilment: 2
        case .partiallyShipped: 3
        case .shipped: 4
        case .delivered: 5
        case .refunded: 6
        case .cancelled: 7
        }
    }

    /// The candidate with the highest precedence; `.received` when there is none.
    public static func resolve(_ candidates: [OrderStatus]) -> OrderStatus {
        candidates.max { $0.precedence < $1.precedence } ?? .received
    }
}

/// Who cancelled an order; only merchant cancellations earn an apology voucher.
public enum CancelledBy: String, Sendable {
    case merchant
    case customer
}

public struct Address: Sendable, Equatable {
    public var name: String?
    public var company: String?
    public var line1: String?
    public var line2: String?
    public var postalCode: String?
    public var city: String?
    public var region: String?
    /// ISO 3166-1 alpha-2 when recognised, else the raw value.
    public var country: String?
    public var phone: String?

    public init(
        name: String? = nil, company: String? = nil, line1: String? = nil, line2: String? = nil,
        postalCode: String? = nil, city: String? = nil, region: String? = nil, country: String? = nil,
        phone: String? = nil
    ) {
        self.name = name
        self.company = company
        self.line1 = line1
        self.line2 = line2
        self.postalCode = postalCode
        self.city = city
        self.region = region
        self.country = country
        self.phone = phone
    }

    /// True when no field is set (adapters store nil instead of an empty address).
    public var isEmpty: Bool { self == Address() }
}

public struct Customer: Sendable, Equatable {
    public var email: String?
    public var name: String?
    /// The BCP 47 tag the channel gave ("de-AT", "zh-TW"), or nil; the mail language is chosen from it later.
    public var locale: String?

    public init(email: String? = nil, name: String? = nil, locale: String? = nil) {
        self.email = email
        self.name = name
        self.locale = locale
    }
}

public struct Totals: Sendable, Equatable {
    public var items: Money
    public var shipping: Money
    public var discount: Money
    public var tax: Money
    public var grand: Money

    public init(items: Money, shipping: Money, discount: Money, tax: Money, grand: Money) {
        self.items = items
        self.shipping = shipping
        self.discount = discount
        self.tax = tax
        self.grand = grand
    }

    /// All zero except `grand`.
    public static func onlyGrand(_ grand: Money) -> Totals {
        let zero = Money.zero(grand.currency)
        return Totals(items: zero, shipping: zero, discount: zero, tax: zero, grand: grand)
    }
}

public struct OrderLine: Sendable, Equatable {
    public var lineId: String?
    public var sku: String?
    public var title: String?
    public var quantity: Int64
    public var unitPrice: Money
    public var total: Money

    public init(
        lineId: String? = nil, sku: String? = nil, title: String? = nil, quantity: Int64, unitPrice: Money, total: Money
    ) {
        self.lineId = lineId
        self.sku = sku
        self.title = title
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.total = total
    }
}

public struct ShipmentLine: Sendable, Equatable {
    public var sku: String?
    public var lineId: String?
    public var quantity: Int64

    public init(sku: String? = nil, lineId: String? = nil, quantity: Int64) {
        self.sku = sku
        self.lineId = lineId
        self.quantity = quantity
    }
}

/// One parcel of an order (SPEC 3.2 `shipment.*`).
public struct CanonicalShipment: Sendable, Equatable {
    /// The sales channel and id of the order this parcel belongs to.
    public var channel: String
    public var externalId: String
    public var shipmentId: String
    public var carrier: String?
    public var trackingNumber: String?
    public var trackingUrl: String?
    public var shippedAt: UTCTimestamp?
    public var lines: [ShipmentLine]

    public init(
        channel: String, externalId: String, shipmentId: String, carrier: String? = nil,
        trackingNumber: String? = nil, trackingUrl: String? = nil, shippedAt: UTCTimestamp? = nil,
        lines: [ShipmentLine] = []
    ) {
        self.channel = channel
        self.externalId = externalId
        self.shipmentId = shipmentId
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.trackingUrl = trackingUrl
        self.shippedAt = shippedAt
        self.lines = lines
    }
}

/// The canonical order (SPEC 3.3): what every channel's native order becomes.
public struct CanonicalOrder: Sendable, Equatable {
    public var channel: String
    public var externalId: String
    public var number: String?
    public var status: OrderStatus
    public var placedAt: UTCTimestamp
    public var updatedAt: UTCTimestamp?
    public var shipBy: UTCTimestamp?
    public var currency: Currency
    public var totals: Totals
    public var customer: Customer
    public var shippingAddress: Address?
    public var billingAddress: Address?
    public var lines: [OrderLine]
    public var cancelledBy: CancelledBy?
    /// The raw status axes as the channel sent them (nulls kept).
    public var channelStatus: JSONObject
    /// Parcels an order update carries (Shopify fulfillments); usually empty.
    public var shipments: [CanonicalShipment]
    /// The channel API version when the payload says; kept with the raw body.
    public var apiVersion: String?
    /// The coupon or discount codes the buyer used (SPEC 3.3); usually empty.
    public var discountCodes: [DiscountCode]

    public init(
        channel: String, externalId: String, number: String? = nil, status: OrderStatus,
        placedAt: UTCTimestamp, updatedAt: UTCTimestamp? = nil, shipBy: UTCTimestamp? = nil,
        currency: Currency, totals: Totals, customer: Customer = Customer(),
        shippingAddress: Address? = nil, billingAddress: Address? = nil, lines: [OrderLine] = [],
        cancelledBy: CancelledBy? = nil, channelStatus: JSONObject = JSONObject(),
        shipments: [CanonicalShipment] = [], apiVersion: String? = nil, discountCodes: [DiscountCode] = []
    ) {
        self.channel = channel
        self.externalId = externalId
        self.number = number
        self.status = status
        self.placedAt = placedAt
        self.updatedAt = updatedAt
        self.shipBy = shipBy
        self.currency = currency
        self.totals = totals
        self.customer = customer
        self.shippingAddress = shippingAddress
        self.billingAddress = billingAddress
        self.lines = lines
        self.cancelledBy = cancelledBy
        self.channelStatus = channelStatus
        self.shipments = shipments
        self.apiVersion = apiVersion
        self.discountCodes = discountCodes
    }
}
