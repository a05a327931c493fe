import OrdersDomain

/// `order.shopify`: the orders/create webhook body (the bare order object, REST Admin 2026-04 fields).
///
/// The shop's currency is EUR; a Swiss customer sees and pays francs, so the order carries
/// `presentment_currency` CHF, every plain amount in shop money (EUR) and the `*_set` twins with
/// both. Prices include VAT (`taxes_included`), so total_price = line items + shipping - discounts.
/// Times are the shop's local time with its offset, as Shopify writes them.
struct ShopifySampleGenerator: ChannelSampleGenerator {
    let channel = "shopify"

    func externalId(of identity: SampleIdentity) -> String { String(identity.numericID) }

    func payload(for order: SampleOrder) -> JSONValue {
        var random = order.detailRandom()
        let id = order.identity.numericID
        let money = Amounts(presentment: order.currency)
        let zero = Money.zero(order.currency)
        let cancelled = order.isCancelled
        let paidOnline = [.paypal, .card, .klarna].contains(order.payment)
        let financialStatus =
            switch order.stage {
            case .awaitingPayment: "pending"
            case .paid, .shipped: "paid"
            case .cancelled: paidOnline ? "refunded" : "voided"
            }
        let cancelReason: String? =
            switch order.stage {
            case .cancelled(byCustomer: true): "customer"
            case .cancelled(byCustomer: false): random.pick(["inventory", "declined"])
            default: nil
            }
        let subtotal = order.items - order.discountTotal
        let browserIP = "192.0.2.\(random.int(in: 1...254))"  // TEST-NET-1: never a real client

        return .fields([
            "id": .integer(id),
            "admin_graphql_api_id": .string("gid://shopify/Order/\(id)"),
            "app_id": .integer(580_111),
            "browser_ip": .string(browserIP),
            "buyer_accepts_marketing": .bool(random.chance(35)),
            "cancel_reason": .text(cancelReason),
            "cancelled_at": cancelled ? .string(SampleTime.central(order.updatedAt)) : .null,
            "cart_token": .string(random.characters(32, from: Self.hex)),
            "checkout_id": .integer(id / 3 + 7_000_000),
            "checkout_token": .string(random.characters(32, from: Self.hex)),
            "client_details": .fields([
                "accept_language": .string(Self.locale(order.customer.country)),
                "browser_height": .null, "browser_ip": .string(browserIP), "browser_width": .null,
                "session_hash": .null,
                "user_agent": .string(
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                        + "Version/17.5 Safari/605.1.15"
                ),
            ]),
            "closed_at": .null,
            "confirmation_number": .string(random.characters(9, from: "ABCDEFGHJKLMNPQRSTUVWXYZ123456789")),
            "confirmed": .bool(true),
            "contact_email": .string(order.customer.email),
            "created_at": .string(SampleTime.central(order.placedAt)),
            "currency": .string(money.shopCurrency.code),
            "current_subtotal_price": money.plain(cancelled ? zero : subtotal),
            "current_subtotal_price_set": money.set(cancelled ? zero : subtotal),
            "current_total_discounts": money.plain(cancelled ? zero : order.discountTotal),
            "current_total_discounts_set": money.set(cancelled ? zero : order.discountTotal),
            "current_total_price": money.plain(cancelled ? zero : order.grand),
            "current_total_price_set": money.set(cancelled ? zero : order.grand),
            "current_total_tax": money.plain(cancelled ? zero : order.tax),
            "current_total_tax_set": money.set(cancelled ? zero : order.tax),
            "customer_locale": .string(Self.locale(order.customer.country)),
            "device_id": .null,
            "discount_codes": .array(
                order.discount.map { discount in
                    [
                        .fields([
                            "code": .string(discount.code), "amount": money.plain(order.discountTotal),
                            "type": .string(Self.valueType(discount)),
                        ])
                    ]
                } ?? []),
            "duties_included": .bool(false),
            "email": .string(order.customer.email),
            "estimated_taxes": .bool(false),
            "financial_status": .string(financialStatus),
            "fulfillment_status": order.parcel != nil ? .string("fulfilled") : .null,
            "landing_site": .string("/"),
            "name": .string("#\(order.runningNumber)"),
            "note": .null,
            "note_attributes": .array([]),
            "number": .integer(order.runningNumber - 1000),
            "order_number": .integer(order.runningNumber),
            "payment_gateway_names": .array([.string(Self.gateway(order.payment))]),
            "phone": .null,
            "po_number": .null,
            "presentment_currency": .string(order.currency.code),
            "processed_at": .string(SampleTime.central(order.placedAt)),
            "reference": .null,
            "referring_site": .text(random.chance(30) ? "https://www.google.com/" : nil),
            "source_name": .string("web"),
            "subtotal_price": money.plain(subtotal),
            "subtotal_price_set": money.set(subtotal),
            "tags": .string(""),
            "tax_lines": .array(order.taxesByRate.map { Self.taxLine(rate: $0.rate, tax: $0.tax, order, money) }),
            "taxes_included": .bool(true),
            "test": .bool(false),
            "token": .string(random.characters(32, from: Self.hex)),
            "total_discounts": money.plain(order.discountTotal),
            "total_discounts_set": money.set(order.discountTotal),
            "total_line_items_price": money.plain(order.items),
            "total_line_items_price_set": money.set(order.items),
            "total_outstanding": money.plain(order.stage == .awaitingPayment ? order.grand : zero),
            "total_price": money.plain(order.grand),
            "total_price_set": money.set(order.grand),
            "total_shipping_price_set": money.set(order.shipping),
            "total_tax": money.plain(order.tax),
            "total_tax_set": money.set(order.tax),
            "total_tip_received": .string("0.00"),
            "total_weight": .integer(order.lines.reduce(0) { $0 + $1.product.grams * Int($1.quantity) }),
            "updated_at": .string(SampleTime.central(order.updatedAt)),
            "user_id": .null,
            "billing_address": Self.address(order.billingAddress),
            "customer": .fields([
                "id": .integer(id / 7 + 6_000_000_000_000),
                "email": .string(order.customer.email),
                "created_at": .string(
                    SampleTime.central(order.placedAt.adding(seconds: -86_400 * Int64(random.int(in: 0...900))))),
                "updated_at": .string(SampleTime.central(order.placedAt)),
                "first_name": .string(order.customer.firstName),
                "last_name": .string(order.customer.lastName),
                "state": .string(random.chance(60) ? "enabled" : "disabled"),
                "note": .null,
                "verified_email": .bool(true),
                "multipass_identifier": .null,
                "tax_exempt": .bool(false),
                "phone": .text(order.customer.phone),
                "currency": .string(order.currency.code),
                "tax_exemptions": .array([]),
                "admin_graphql_api_id": .string("gid://shopify/Customer/\(id / 7 + 6_000_000_000_000)"),
                "default_address": Self.address(order.shippingAddress),
            ]),
            "discount_applications": .array(
                order.discount.map { discount in
                    [
                        .fields([
                            "target_type": .string("line_item"), "type": .string("discount_code"),
                            "value": .string(Self.value(discount)), "value_type": .string(Self.valueType(discount)),
                            "allocation_method": .string("across"), "target_selection": .string("all"),
                            "code": .string(discount.code),
                        ])
                    ]
                } ?? []),
            "fulfillments": .array(order.parcel.map { [Self.fulfillment($0, order)] } ?? []),
            "line_items": .array(order.lines.map { Self.lineItem($0, order, money) }),
            "refunds": .array([]),
            "shipping_address": Self.address(order.shippingAddress),
            "shipping_lines": .array([
                .fields([
                    "id": .integer(id * 2 + 1),
                    "carrier_identifier": .null,
                    "code": .string("Standard"),
                    "discounted_price": money.plain(order.shipping),
                    "discounted_price_set": money.set(order.shipping),
                    "is_removed": .bool(false),
                    "phone": .null,
                    "price": money.plain(order.shipping),
                    "price_set": money.set(order.shipping),
                    "requested_fulfillment_service_id": .null,
                    "source": .string("shopify"),
                    "title": .string(order.shippingMethod),
                    "tax_lines": .array(
                        order.shipping.minorUnits == 0
                            ? []
                            : [
                                Self.taxLine(rate: order.shippingVATRate, tax: order.shippingTax, order, money)
                            ]),
                    "discount_allocations": .array([]),
                ])
            ]),
        ])
    }

    private static let hex = "0123456789abcdef"

    /// Shop money (EUR) and presentment money (what the buyer paid in) for every amount.
    struct Amounts {
        let presentment: Currency
        let shopCurrency = SampleOrderBuilder.eur

        /// The shop's conversion of francs to euros (1 CHF = 1.065 EUR), rounded half up per amount.
        func shop(_ amount: Money) -> Money {
            guard amount.currency != shopCurrency else { return amount }
            return Money(minorUnits: (amount.minorUnits * 1065 + 500) / 1000, currency: shopCurrency)
        }

        func plain(_ amount: Money) -> JSONValue { .amount(shop(amount)) }

        func set(_ amount: Money) -> JSONValue {
            let presentment: JSONValue = .amount(amount)
            let shop = amount.currency == shopCurrency ? presentment : plain(amount)
            return .fields([
                "shop_money": .fields(["amount": shop, "currency_code": .string(shopCurrency.code)]),
                "presentment_money": .fields(["amount": presentment, "currency_code": .string(amount.currency.code)]),
            ])
        }
    }

    private static func lineItem(_ line: SampleLine, _ order: SampleOrder, _ money: Amounts) -> JSONValue {
        let id = order.lineID(line)
        let productID = productNumber(line.product.sku, base: 7_000_000_000_000)
        return .fields([
            "id": .integer(id),
            "admin_graphql_api_id": .string("gid://shopify/LineItem/\(id)"),
            "attributed_staffs": .array([]),
            "current_quantity": .integer(order.isCancelled ? 0 : line.quantity),
            "fulfillable_quantity": .integer(order.parcel != nil || order.isCancelled ? 0 : line.quantity),
            "fulfillment_service": .string("manual"),
            "fulfillment_status": order.parcel != nil ? .string("fulfilled") : .null,
            "gift_card": .bool(false),
            "grams": .integer(line.product.grams),
            "name": .string(line.product.fullTitle),
            "price": money.plain(line.unitPrice),
            "price_set": money.set(line.unitPrice),
            "product_exists": .bool(true),
            "product_id": .integer(productID),
            "properties": .array([]),
            "quantity": .integer(line.quantity),
            "requires_shipping": .bool(true),
            "sku": .string(line.product.sku),
            "taxable": .bool(true),
            "title": .string(line.product.title),
            "total_discount": .string("0.00"),
            "total_discount_set": money.set(.zero(order.currency)),
            "variant_id": .integer(productID + 1_000_000_000_000),
            "variant_inventory_management": .string("shopify"),
            "variant_title": .text(line.product.variant),
            "vendor": .string("Haus & Hof"),
            "tax_lines": .array([taxLine(rate: line.vatRate, tax: line.tax, order, money)]),
            "duties": .array([]),
            "discount_allocations": .array(
                line.discount.minorUnits == 0
                    ? []
                    : [
                        .fields([
                            "amount": money.plain(line.discount), "amount_set": money.set(line.discount),
                            "discount_application_index": .integer(0),
                        ])
                    ]),
        ])
    }

    private static func taxLine(rate: Int, tax: Money, _ order: SampleOrder, _ money: Amounts) -> JSONValue {
        .fields([
            "channel_liable": .bool(false),
            "price": money.plain(tax),
            "price_set": money.set(tax),
            "rate": .number(SampleMoney.rateFraction(rate)),
            "title": .string(order.customer.country.vatLabel),
        ])
    }

    private static func fulfillment(_ parcel: SampleParcel, _ order: SampleOrder) -> JSONValue {
        let id = order.identity.numericID * 3 + 2
        return .fields([
            "id": .integer(id),
            "admin_graphql_api_id": .string("gid://shopify/Fulfillment/\(id)"),
            "created_at": .string(SampleTime.central(parcel.shippedAt)),
            "location_id": .integer(65_880_047_805),
            "name": .string("#\(order.runningNumber).1"),
            "order_id": .integer(order.identity.numericID),
            "service": .string("manual"),
            "shipment_status": .null,
            "status": .string("success"),
            "tracking_company": .string(parcel.carrier.rawValue),
            "tracking_number": .string(parcel.trackingNumber),
            "tracking_numbers": .array([.string(parcel.trackingNumber)]),
            "tracking_url": .string(parcel.trackingURL),
            "tracking_urls": .array([.string(parcel.trackingURL)]),
            "updated_at": .string(SampleTime.central(parcel.shippedAt)),
            "line_items": .array(
                order.lines.map { line in
                    .fields([
                        "id": .integer(order.lineID(line)),
                        "admin_graphql_api_id": .string("gid://shopify/LineItem/\(order.lineID(line))"),
                        "name": .string(line.product.fullTitle),
                        "quantity": .integer(line.quantity),
                        "sku": .string(line.product.sku),
                    ])
                }),
        ])
    }

    private static func address(_ address: SampleAddress) -> JSONValue {
        .fields([
            "first_name": .string(address.firstName),
            "address1": .string(address.line1),
            "phone": .text(address.phone),
            "city": .string(address.city.name),
            "zip": .string(address.city.postalCode),
            "province": .text(address.city.region),
            "country": .string(address.country.englishName),
            "last_name": .string(address.lastName),
            "address2": .text(address.addition),
            "company": .text(address.company),
            "latitude": .null,
            "longitude": .null,
            "name": .string(address.name),
            "country_code": .string(address.country.code),
            "province_code": .text(address.city.regionCode),
        ])
    }

    /// Shopify's locale tags: "de", "de-AT", "de-CH", "fr", ...
    private static func locale(_ country: SampleCountry) -> String {
        country.code == "AT" || country.code == "CH" ? "\(country.language)-\(country.code)" : country.language
    }

    private static func gateway(_ payment: SamplePayment) -> String {
        switch payment {
        case .paypal: "paypal"
        case .card: "shopify_payments"
        case .klarna: "Klarna"
        case .bankTransfer: "Vorkasse"
        case .invoice: "Rechnung"
        }
    }

    private static func valueType(_ discount: SampleDiscount) -> String {
        discount.isPercentage ? "percentage" : "fixed_amount"
    }

    private static func value(_ discount: SampleDiscount) -> String {
        switch discount.kind {
        case .percent(let percent): "\(percent).0"
        case .fixed(let amount): amount.decimalString
        }
    }
}

/// A stable product number for a SKU (FNV-1a), so the same product has the same id in every order.
func productNumber(_ sku: String, base: UInt64) -> UInt64 {
    base + sku.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 } % 1_000_000_000
}
