import OrdersDomain

/// `order.woocommerce`: a REST API v3 order (the order.created webhook body has the same shape).
///
/// WooCommerce stores amounts net of VAT even when the shop enters gross prices
/// (`prices_include_tax`): line `subtotal`/`total`, `shipping_total` and `discount_total` are net,
/// their VAT sits beside them, and `total` is the gross grand total. So in the canonical order of a
/// WooCommerce sample, grand = items + shipping - discount + tax (tax-exclusive), to the cent.
/// Local times have no zone; the `*_gmt` twins are UTC. Text carries HTML entities, as Woo stores it.
struct WooCommerceSampleGenerator: ChannelSampleGenerator {
    let channel = "woocommerce"

    func externalId(of identity: SampleIdentity) -> String { String(identity.numericID) }

    func payload(for order: SampleOrder) -> JSONValue {
        var random = order.detailRandom()
        let zero = Money.zero(order.currency)
        let lines = order.lines.map(NetLine.init)
        let shippingNet = SampleMoney.net(of: order.shipping, rate: order.shippingVATRate)
        let shippingTax = order.shipping - shippingNet
        let cartTax = lines.reduce(zero) { $0 + $1.totalTax }
        let discountNet = lines.reduce(zero) { $0 + ($1.subtotal - $1.total) }
        let discountTax = lines.reduce(zero) { $0 + ($1.subtotalTax - $1.totalTax) }
        let status =
            switch order.stage {
            case .awaitingPayment: order.payment == .bankTransfer ? "on-hold" : "pending"
            case .paid: "processing"
            case .shipped: "completed"
            case .cancelled: "cancelled"
            }
        let paid = order.stage == .paid || order.stage == .shipped
        let paidAt = order.placedAt.adding(seconds: 4)

        return .fields([
            "id": .integer(order.identity.numericID),
            "parent_id": .integer(0),
            "number": .string(String(order.identity.numericID)),
            "order_key": .string(
                "wc_order_"
                    + random.characters(13, from: "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")),
            "created_via": .string("checkout"),
            "version": .string("9.4.2"),
            "status": .string(status),
            "currency": .string(order.currency.code),
            "currency_symbol": .string(order.currency.code == "EUR" ? "€" : "CHF"),
            "date_created": .string(SampleTime.centralZoneless(order.placedAt)),
            "date_created_gmt": .string(SampleTime.zoneless(order.placedAt)),
            "date_modified": .string(SampleTime.centralZoneless(order.updatedAt)),
            "date_modified_gmt": .string(SampleTime.zoneless(order.updatedAt)),
            "discount_total": .amount(discountNet),
            "discount_tax": .amount(discountTax),
            "shipping_total": .amount(shippingNet),
            "shipping_tax": .amount(shippingTax),
            "cart_tax": .amount(cartTax),
            "total": .amount(order.grand),
            "total_tax": .amount(cartTax + shippingTax),
            "prices_include_tax": .bool(true),
            "customer_id": .integer(random.chance(40) ? 0 : random.int(in: 2...48_000)),
            "customer_ip_address": .string("198.51.100.\(random.int(in: 1...254))"),  // TEST-NET-2
            "customer_user_agent": .string(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0"),
            "customer_note": .string(random.chance(10) ? "Bitte beim Nachbarn abgeben, falls nicht da." : ""),
            "billing": Self.address(order.billingAddress, email: order.customer.email),
            "shipping": Self.address(order.shippingAddress, email: nil),
            "payment_method": .string(Self.paymentMethod(order.payment)),
            "payment_method_title": .string(Self.encoded(order.payment.title)),
            "transaction_id": .string(
                paid && order.payment == .paypal ? random.characters(17, from: "0123456789ABCDEFGHJKLMNPRSTUVWXYZ") : ""
            ),
            "date_paid": paid ? .string(SampleTime.centralZoneless(paidAt)) : .null,
            "date_paid_gmt": paid ? .string(SampleTime.zoneless(paidAt)) : .null,
            "date_completed": order.parcel.map { .string(SampleTime.centralZoneless($0.shippedAt)) } ?? .null,
            "date_completed_gmt": order.parcel.map { .string(SampleTime.zoneless($0.shippedAt)) } ?? .null,
            "cart_hash": .string(random.characters(32, from: "0123456789abcdef")),
            "meta_data": .array(
                order.parcel.map { parcel in
                    [
                        .fields([
                            "id": .integer(order.identity.numericID % 100_000 + 1),
                            "key": .string("_wc_shipment_tracking_items"),
                            "value": .array([
                                .fields([
                                    "tracking_provider": .string(parcel.carrier.rawValue.lowercased()),
                                    "tracking_number": .string(parcel.trackingNumber),
                                    "date_shipped": .string(String(parcel.shippedAt.epochMilliseconds / 1000)),
                                ])
                            ]),
                        ])
                    ]
                } ?? []),
            "line_items": .array(lines.map { Self.lineItem($0, order) }),
            "tax_lines": .array(Self.taxLines(lines, shippingTax: shippingTax, order)),
            "shipping_lines": .array([
                .fields([
                    "id": .integer(order.identity.numericID % 1_000_000 * 10 + 8),
                    "method_title": .string(order.shippingMethod),
                    "method_id": .string(order.shipping.minorUnits == 0 ? "free_shipping" : "flat_rate"),
                    "instance_id": .string("1"),
                    "total": .amount(shippingNet),
                    "total_tax": .amount(shippingTax),
                    "taxes": .array(
                        order.shipping.minorUnits == 0
                            ? []
                            : [
                                .fields([
                                    "id": .integer(Self.taxRateID(order.shippingVATRate)),
                                    "total": .amount(shippingTax), "subtotal": .string(""),
                                ])
                            ]),
                    "meta_data": .array([]),
                ])
            ]),
            "fee_lines": .array([]),
            "coupon_lines": .array(
                order.discount.map { discount in
                    [
                        .fields([
                            "id": .integer(order.identity.numericID % 1_000_000 * 10 + 9),
                            "code": .string(discount.code.lowercased()),
                            "discount": .amount(discountNet),
                            "discount_tax": .amount(discountTax),
                            "meta_data": .array([]),
                        ])
                    ]
                } ?? []),
            "refunds": .array([]),
            "_links": .fields([
                "self": .array([
                    .fields(["href": .string("https://shop.example/wp-json/wc/v3/orders/\(order.identity.numericID)")])
                ]),
                "collection": .array([.fields(["href": .string("https://shop.example/wp-json/wc/v3/orders")])]),
            ]),
        ])
    }

    /// A line split the way WooCommerce stores it: net amounts and their VAT, before and after the discount.
    struct NetLine {
        let line: SampleLine
        let subtotal: Money, subtotalTax: Money, total: Money, totalTax: Money

        init(_ line: SampleLine) {
            self.line = line
            subtotal = SampleMoney.net(of: line.total, rate: line.vatRate)
            subtotalTax = line.total - subtotal
            let paid = line.total - line.discount
            total = SampleMoney.net(of: paid, rate: line.vatRate)
            totalTax = paid - total
        }
    }

    private static func lineItem(_ net: NetLine, _ order: SampleOrder) -> JSONValue {
        let line = net.line
        let productID = productNumber(line.product.sku, base: 0) % 9000 + 100
        return .fields([
            "id": .integer(order.lineID(line)),
            "name": .string(
                encoded(line.product.title) + (line.product.variant.map { " &ndash; " + encoded($0) } ?? "")),
            "product_id": .integer(productID),
            "variation_id": .integer(line.product.variant == nil ? 0 : productID + 1),
            "quantity": .integer(line.quantity),
            "tax_class": .string(line.product.vat == .reduced ? "reduced-rate" : ""),
            "subtotal": .amount(net.subtotal),
            "subtotal_tax": .amount(net.subtotalTax),
            "total": .amount(net.total),
            "total_tax": .amount(net.totalTax),
            "taxes": .array([
                .fields([
                    "id": .integer(taxRateID(line.vatRate)), "total": .amount(net.totalTax),
                    "subtotal": .amount(net.subtotalTax),
                ])
            ]),
            "meta_data": .array([]),
            "sku": .string(line.product.sku),
            // Woo's float: the net unit price with more digits than the currency has.
            "price": .number(unitPriceLiteral(net.subtotal, quantity: line.quantity)),
            "image": .fields(["id": .string(""), "src": .string("")]),
            "parent_name": .text(line.product.variant == nil ? nil : encoded(line.product.title)),
        ])
    }

    private static func taxLines(_ lines: [NetLine], shippingTax: Money, _ order: SampleOrder) -> [JSONValue] {
        order.taxesByRate.map { entry in
            let cartTax = lines.filter { $0.line.vatRate == entry.rate }.reduce(Money.zero(order.currency)) {
                $0 + $1.totalTax
            }
            let shipping = entry.rate == order.shippingVATRate ? shippingTax : .zero(order.currency)
            let id: UInt64 = order.identity.numericID % 1_000_000 * 10 + UInt64(entry.rate / 100 % 10)
            let country = order.customer.country
            return .fields([
                "id": .integer(id),
                "rate_code": .string(
                    "\(country.code)-\(country.vatLabel.uppercased())-\(SampleMoney.ratePercent(entry.rate))"),
                "rate_id": .integer(taxRateID(entry.rate)),
                "label": .string(order.customer.country.vatLabel),
                "compound": .bool(false),
                "tax_total": .amount(cartTax),
                "shipping_tax_total": .amount(shipping),
                "rate_percent": .number(SampleMoney.ratePercent(entry.rate)),
                "meta_data": .array([]),
            ])
        }
    }

    private static func address(_ address: SampleAddress, email: String?) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("first_name", .string(encoded(address.firstName))),
            ("last_name", .string(encoded(address.lastName))),
            ("company", .string(address.company.map(encoded) ?? "")),
            ("address_1", .string(encoded(address.line1))),
            ("address_2", .string(address.addition.map(encoded) ?? "")),
            ("city", .string(encoded(address.city.name))),
            ("state", .string(address.city.regionCode ?? "")),
            ("postcode", .string(address.city.postalCode)),
            ("country", .string(address.country.code)),
        ]
        if let email { members.append(("email", .string(email))) }
        members.append(("phone", .string(address.phone ?? "")))
        return .object(JSONObject(members))
    }

    /// WordPress stores "&" and quotes as entities (wp_kses / esc_html).
    private static func encoded(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "'": result += "&#039;"
            case "„": result += "&bdquo;"
            case "“": result += "&ldquo;"
            default: result.append(character)
            }
        }
        return result
    }

    private static func paymentMethod(_ payment: SamplePayment) -> String {
        switch payment {
        case .paypal: "ppcp-gateway"
        case .card: "stripe"
        case .klarna: "klarna_payments"
        case .bankTransfer: "bacs"
        case .invoice: "invoice"
        }
    }

    /// The shop's tax rate ids: one per rate.
    private static func taxRateID(_ rate: Int) -> Int { 10 + rate / 10 }

    /// net / quantity with up to six decimals, as PHP prints the float ("12.605042").
    private static func unitPriceLiteral(_ net: Money, quantity: Int64) -> String {
        let exponent = net.currency.exponent
        var scaled = net.minorUnits * 10_000 / quantity  // six decimals for a two-decimal currency
        var digits = 4 + exponent
        while digits > 0, scaled % 10 == 0 { scaled /= 10; digits -= 1 }
        let text = String(scaled)
        guard digits > 0 else { return text }
        let padded = String(repeating: "0", count: max(0, digits + 1 - text.count)) + text
        return String(padded.dropLast(digits)) + "." + String(padded.suffix(digits))
    }
}
