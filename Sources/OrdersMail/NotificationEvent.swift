public import OrdersDomain

/// An event from `orderflow.events` that becomes a customer email (SPEC 3.5): a shipment on its
/// way, an apology voucher, or an honest delay notice for a marketplace order.
public struct NotificationEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case shipmentDispatched = "shipment.dispatched"
        case voucherIssued = "voucher.issued"
        case orderDelayed = "order.delayed"
    }

    public struct Order: Sendable, Equatable {
        public var channel: String
        public var externalID: String
        public var number: String?
        public var placedAt: UTCTimestamp
        public var shipBy: UTCTimestamp?
        public var currency: Currency
        public var grandTotal: Money?
        public var country: String?

        /// What the customer knows the order by: the shop's number, else the channel's id.
        public var displayNumber: String { number ?? externalID }
    }

    public struct Customer: Sendable, Equatable {
        /// A usable address or nil (see `Text.email`): nil means the email is skipped.
        public var email: String?
        public var name: String?
        public var locale: String?
    }

    public struct Shipment: Sendable, Equatable {
        public struct Item: Sendable, Equatable {
            public var sku: String?
            public var title: String?
            public var quantity: Int64
        }
        public var shipmentID: String?
        public var carrier: String?
        public var trackingNumber: String?
        public var trackingURL: String?
        public var shippedAt: UTCTimestamp?
        public var items: [Item]
    }

    public struct Voucher: Sendable, Equatable {
        public enum Reason: String, Sendable, CaseIterable { case delay, cancellation, incident }
        public enum Value: Sendable, Equatable {
            case percent(Int64)
            case amount(Money)
        }
        public var code: String
        public var reason: Reason
        public var value: Value
        public var minimumOrderValue: Money?
        public var expiresAt: UTCTimestamp
        public var note: String?
    }

    public var eventID: String
    public var kind: Kind
    public var occurredAt: UTCTimestamp
    public var order: Order
    public var customer: Customer
    public var shipment: Shipment?
    public var voucher: Voucher?

    /// The language of the email (SPEC 3.7).
    public var language: MailLanguage { MailLanguage(locale: customer.locale, country: order.country) }
}
