import OrdersDomain

/// What a channel allows its orders to look like.
struct SampleProfile: Sendable {
    /// Swiss customers pay in francs (a shop with CHF prices, a Swiss marketplace or store).
    var swissFrancs = true
    /// Shipping is charged (not at a till).
    var chargesShipping = true
    var countries: [(SampleCountry, Int)] = Countries.weighted
}

/// Draws one `SampleOrder` from a generator: the same generator state gives the same order.
struct SampleOrderBuilder {
    let profile: SampleProfile
    let now: UTCTimestamp

    func build(_ identity: SampleIdentity, using random: inout SplitMix64) -> SampleOrder {
        let country = random.pick(weighted: profile.countries)
        let currency = country.code == "CH" && profile.swissFrancs ? Self.chf : Self.eur
        let customer = Self.customer(in: country, using: &random)
        let shippingAddress = Self.address(for: customer, using: &random)
        // One in ten bills to another address (a gift, the office).
        let billingAddress = random.chance(10) ? Self.address(for: customer, using: &random) : shippingAddress
        let stage = random.pick(weighted: Self.stages)
        let (placedAt, updatedAt, shippedAt) = times(for: stage, using: &random)

        var lines = Self.lines(country: country, currency: currency, using: &random)
        let items = lines.reduce(Money.zero(currency)) { $0 + $1.total }
        let discount = random.chance(20) ? Self.discount(for: items, using: &random) : nil
        if let discount { lines = Self.allocate(discount, over: lines) }
        let discounted = items - lines.reduce(Money.zero(currency)) { $0 + $1.discount }
        let shipping =
            profile.chargesShipping
            ? Self.shipping(to: country, currency: currency, forGoods: discounted) : .zero(currency)

        var parcel: SampleParcel?
        if let shippedAt {
            let carrier = random.pick(weighted: Carrier.weighted)
            parcel = SampleParcel(
                carrier: carrier, trackingNumber: carrier.trackingNumber(&random), shippedAt: shippedAt)
        }
        return SampleOrder(
            identity: identity, currency: currency, placedAt: placedAt, updatedAt: updatedAt,
            customer: customer, shippingAddress: shippingAddress, billingAddress: billingAddress, lines: lines,
            shipping: shipping, shippingVATRate: country.standardVAT,
            shippingMethod: !profile.chargesShipping
                ? "Abholung" : country.code == "DE" ? "DHL Paket" : "DHL Paket International",
            discount: discount, stage: stage, parcel: parcel, payment: random.pick(SamplePayment.allCases),
            detailSeed: random.next())
    }

    static let eur = Currency(code: "EUR")!
    static let chf = Currency(code: "CHF")!

    private static let stages: [(SampleStage, Int)] = [
        (.paid, 68), (.awaitingPayment, 12), (.shipped, 13), (.cancelled(byCustomer: true), 4),
        (.cancelled(byCustomer: false), 3),
    ]

    /// Orders placed within the last hours (shipped ones a day or more ago), in whole seconds.
    private func times(
        for stage: SampleStage, using random: inout SplitMix64
    ) -> (UTCTimestamp, UTCTimestamp, UTCTimestamp?) {
        let now = UTCTimestamp(epochMilliseconds: self.now.epochMilliseconds / 1000 * 1000)
        func ago(_ range: ClosedRange<Int>) -> UTCTimestamp { now.adding(seconds: -Int64(random.int(in: range))) }
        func after(_ time: UTCTimestamp, _ range: ClosedRange<Int>) -> UTCTimestamp {
            time.adding(seconds: Int64(random.int(in: range)))
        }
        switch stage {
        case .awaitingPayment, .paid:
            let placed = ago(120...30 * 3600)
            return (placed, after(placed, 5...900), nil)
        case .shipped:
            let placed = ago(26 * 3600...72 * 3600)
            let shipped = after(placed, 4 * 3600...24 * 3600)
            return (placed, after(shipped, 60...1800), shipped)
        case .cancelled:
            let placed = ago(3 * 3600...48 * 3600)
            return (placed, after(placed, 600...7200), nil)
        }
    }

    // MARK: people

    private static func customer(in country: SampleCountry, using random: inout SplitMix64) -> SampleCustomer {
        let first = random.pick(country.firstNames), last = random.pick(country.lastNames)
        return SampleCustomer(
            firstName: first, lastName: last, email: email(first, last, using: &random),
            phone: random.chance(70) ? phone(country, using: &random) : nil, country: country)
    }

    private static func address(for customer: SampleCustomer, using random: inout SplitMix64) -> SampleAddress {
        let country = customer.country
        let number = String(random.int(in: 1...180)) + (random.chance(8) ? random.pick(["a", "b", "c"]) : "")
        return SampleAddress(
            firstName: customer.firstName, lastName: customer.lastName,
            company: random.chance(8) ? company(customer.lastName, country, using: &random) : nil,
            street: random.pick(country.streets), houseNumber: number,
            addition: random.chance(15) ? random.pick(country.additions) : nil,
            city: random.pick(country.cities), country: country, phone: customer.phone)
    }

    /// Only reserved example domains (RFC 2606, RFC 6761): samples must never mail a real person.
    private static func email(_ first: String, _ last: String, using random: inout SplitMix64) -> String {
        let f = mailbox(first), l = mailbox(last)
        let local = random.pick(weighted: [
            ("\(f).\(l)", 50), ("\(f.prefix(1)).\(l)", 20), ("\(f)\(l)\(random.int(in: 1...99))", 15),
            ("\(l).\(f)+shop", 15),
        ])
        return local + "@" + random.pick(["example.com", "example.org", "example.net", "mail.example", "post.example"])
    }

    /// A name as people write it in their address: "Jürgen" -> "juergen", "Hélène" -> "helene".
    static func mailbox(_ name: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in name.lowercased().unicodeScalars {
            switch scalar {
            case "ä": result.append(contentsOf: "ae".unicodeScalars)
            case "ö": result.append(contentsOf: "oe".unicodeScalars)
            case "ü": result.append(contentsOf: "ue".unicodeScalars)
            case "ß": result.append(contentsOf: "ss".unicodeScalars)
            case "à", "á", "â": result.append("a")
            case "ç": result.append("c")
            case "è", "é", "ê", "ë", "ễ": result.append("e")
            case "ì", "í", "î", "ï", "ı": result.append("i")
            case "ò", "ó", "ô": result.append("o")
            case "ù", "ú", "û": result.append("u")
            case "ş": result.append("s")
            case "a"..."z", "0"..."9", "-": result.append(scalar)
            default: break  // spaces, apostrophes
            }
        }
        return String(result)
    }

    private static func phone(_ country: SampleCountry, using random: inout SplitMix64) -> String {
        "\(country.phonePrefix) \(random.int(in: 20...899)) \(random.digits(random.int(in: 6...7)))"
    }

    private static func company(_ lastName: String, _ country: SampleCountry, using random: inout SplitMix64) -> String
    {
        switch country.language {
        case "fr": random.pick(["Atelier \(lastName) SARL", "\(lastName) & Fils"])
        case "nl": random.pick(["\(lastName) B.V.", "Bakkerij \(lastName)"])
        case "it": random.pick(["\(lastName) S.r.l.", "Trattoria \(lastName)"])
        default:
            random.pick([
                "Gärtnerei \(lastName)", "\(lastName) GmbH", "Büro \(lastName) & Partner", "\(lastName) & Söhne KG",
            ])
        }
    }

    // MARK: goods and money

    private static func lines(
        country: SampleCountry, currency: Currency, using random: inout SplitMix64
    ) -> [SampleLine] {
        let count = random.pick(weighted: [(1, 40), (2, 28), (3, 17), (4, 10), (5, 5)])
        let products = random.pick(distinct: count, from: Catalog.products)
        return products.enumerated().map { offset, product in
            // Several of a cheap thing, rarely of an expensive one.
            let quantity: Int64 =
                product.euroCents < 2000
                ? random.pick(weighted: [(1, 60), (2, 22), (3, 10), (4, 4), (6, 4)])
                : random.pick(weighted: [(1, 88), (2, 12)])
            return SampleLine(
                position: offset + 1, product: product, quantity: quantity,
                unitPrice: price(product, in: currency), vatRate: country.vatRate(product.vat),
                discount: .zero(currency))
        }
    }

    /// The list price in the order currency: francs are euros plus 5 %, rounded to 5 Rappen.
    private static func price(_ product: SampleProduct, in currency: Currency) -> Money {
        guard currency == chf else { return Money(minorUnits: product.euroCents, currency: currency) }
        return Money(minorUnits: (product.euroCents * 21 / 20 + 2) / 5 * 5, currency: currency)
    }

    private static func discount(for items: Money, using random: inout SplitMix64) -> SampleDiscount {
        let five = Money(minorUnits: 500, currency: items.currency)
        let choice = random.pick(weighted: [
            (SampleDiscount(code: "WILLKOMMEN10", kind: .percent(10)), 40),
            (SampleDiscount(code: "SOMMER15", kind: .percent(15)), 25),
            (SampleDiscount(code: "NEWSLETTER5", kind: .fixed(five)), 25),
            (SampleDiscount(code: "TREUE20", kind: .percent(20)), 10),
        ])
        // A fixed voucher needs a minimum order value, as shops set one.
        if case .fixed = choice.kind, items.minorUnits < 2500 {
            return SampleDiscount(code: "WILLKOMMEN10", kind: .percent(10))
        }
        return choice
    }

    /// Spreads the discount over the lines (as shops do, for the VAT): percentages per line,
    /// a fixed amount in proportion to the line totals with the rounding remainder on the first line.
    private static func allocate(_ discount: SampleDiscount, over lines: [SampleLine]) -> [SampleLine] {
        let currency = lines[0].unitPrice.currency
        var shares: [Money]
        switch discount.kind {
        case .percent(let percent):
            shares = lines.map { SampleMoney.percent(percent, of: $0.total) }
        case .fixed(let amount):
            let items = lines.reduce(Int64(0)) { $0 + $1.total.minorUnits }
            shares = lines.map {
                Money(minorUnits: amount.minorUnits * $0.total.minorUnits / items, currency: currency)
            }
            let allocated = shares.reduce(Int64(0)) { $0 + $1.minorUnits }
            shares[0] = shares[0] + Money(minorUnits: amount.minorUnits - allocated, currency: currency)
        }
        return zip(lines, shares).map { line, share in
            SampleLine(
                position: line.position, product: line.product, quantity: line.quantity, unitPrice: line.unitPrice,
                vatRate: line.vatRate, discount: share)
        }
    }

    /// Free above a threshold, as shops advertise it.
    private static func shipping(to country: SampleCountry, currency: Currency, forGoods goods: Money) -> Money {
        let (fee, freeFrom): (Int64, Int64?) =
            switch (country.code, currency == chf) {
            case ("DE", _): (495, 5000)
            case ("CH", true): (990, 12000)
            case ("CH", false): (1490, nil)
            default: (990, 8000)
            }
        if let freeFrom, goods.minorUnits >= freeFrom { return .zero(currency) }
        return Money(minorUnits: fee, currency: currency)
    }
}
