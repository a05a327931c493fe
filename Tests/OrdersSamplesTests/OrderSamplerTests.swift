import OrdersDomain
@testable import OrdersSamples
import Testing

/// A fixed "now" so that every run generates the same bytes.
let now = UTCTimestamp(rfc3339: "2026-11-02T14:05:00Z")!
let sampleCount = 200

/// The run's samples and what the real adapter makes of them.
struct NormalisedRun {
    let sampler: OrderSampler
    let messages: [SampleMessage]
    let orders: [CanonicalOrder]
    /// The facts each sample was written from.
    let facts: [SampleOrder]

    init(_ channel: String, seed: UInt64 = 20_261_102, count: Int = sampleCount) throws {
        sampler = try #require(OrderSampler(channel: channel, seed: seed, now: now))
        messages = (0..<count).map(sampler.order(at:))
        facts = (0..<count).map(sampler.sampleOrder(at:))
        orders = try messages.map { try Normalizer.standard.normalizeOrder(channel: channel, body: $0.body) }
    }
}

@Suite("sample orders, every channel through its real adapter")
struct OrderSamplerTests {
    static let channels = ["shopify", "woocommerce", "amazon", "ebay", "shopware", "pos", "canonical"]

    @Test func everyAdapterChannelHasAGenerator() {
        #expect(Set(OrderSampler.channels) == Set(Self.channels))
        #expect(Set(OrderSampler.channels) == Set(Normalizer.standard.orderChannels))
        #expect(OrderSampler(channel: "otto", seed: 1, now: now) == nil)
    }

    @Test(arguments: channels)
    func samplesNormaliseWithDistinctIDs(channel: String) throws {
        let run = try NormalisedRun(channel)  // throws, naming the field, if any sample is refused
        #expect(Set(run.orders.map(\.externalId)).count == sampleCount)
        #expect(Set(run.messages.map(\.messageID)).count == sampleCount)
        for (message, order) in zip(run.messages, run.orders) {
            #expect(order.externalId == message.externalId)
            #expect(message.messageID == "sample-\(channel)-\(order.externalId)")
        }
    }

    /// Tax-inclusive channels: grand = items + shipping - discount, with the VAT contained in it.
    /// WooCommerce reports items, shipping and discount net of VAT: grand = those + tax.
    @Test(arguments: channels)
    func totalsAddUpToTheCent(channel: String) throws {
        let run = try NormalisedRun(channel)
        let taxExclusive = channel == "woocommerce"
        for (order, fact) in zip(run.orders, run.facts) {
            let t = order.totals
            let expected = t.items + t.shipping - t.discount + (taxExclusive ? t.tax : .zero(order.currency))
            #expect(t.grand == expected, "\(channel) \(order.externalId): \(t)")
            #expect(t.grand == fact.grand, "\(channel) \(order.externalId)")
            #expect(order.currency == fact.currency)
            #expect(order.lines.count == fact.lines.count)
            #expect(order.lines.map(\.quantity) == fact.lines.map(\.quantity))
            #expect(order.lines.allSatisfy { $0.total.minorUnits > 0 })
            // The VAT: what the order contains, except on eBay, which does not break it out.
            #expect(t.tax == (channel == "ebay" ? .zero(order.currency) : fact.tax), "\(channel) \(order.externalId)")
            if channel == "pos" { #expect(t.shipping.minorUnits == 0) }
        }
    }

    @Test(arguments: channels)
    func aShareOfOrdersHasADiscount(channel: String) throws {
        let run = try NormalisedRun(channel)
        let discounted = run.orders.filter { $0.totals.discount.minorUnits > 0 }.count
        #expect((20...70).contains(discounted), "\(discounted) of \(sampleCount) discounted")  // about 20 %
        for (order, fact) in zip(run.orders, run.facts) where fact.discount != nil {
            #expect(order.totals.discount.minorUnits > 0)
        }
    }

    @Test(arguments: channels)
    func umlautsAndAccentsSurvive(channel: String) throws {
        let run = try NormalisedRun(channel)
        var nonASCII = 0
        for (order, fact) in zip(run.orders, run.facts) {
            for (line, factLine) in zip(order.lines, fact.lines) {
                let title = try #require(line.title)
                #expect(title.contains(factLine.product.title), "\(title) lost \(factLine.product.title)")
                if !title.allSatisfy(\.isASCII) { nonASCII += 1 }
            }
            // A till's counter sale has no customer; every other order names one.
            guard let name = order.customer.name else { #expect(channel == "pos"); continue }
            #expect(name == fact.customer.name)
            if let address = order.shippingAddress {
                #expect(address.city == fact.shippingAddress.city.name)
                #expect(address.line1 == fact.shippingAddress.line1)
                #expect(address.country == fact.shippingAddress.country.code)
            }
            if !(name + (order.shippingAddress?.line1 ?? "")).allSatisfy(\.isASCII) { nonASCII += 1 }
        }
        #expect(nonASCII > sampleCount / 2)
    }

    @Test(arguments: channels)
    func customersAreEuropeanWithUsableReservedAddresses(channel: String) throws {
        let run = try NormalisedRun(channel)
        let countries = Set(run.orders.compactMap { $0.shippingAddress?.country })
        #expect(countries.contains("DE") && countries.contains("AT") && countries.contains("CH"))
        for order in run.orders {
            guard let email = order.customer.email else { continue }
            #expect(Text.email(email) == email)
            let domain = String(email.split(separator: "@").last ?? "")
            #expect(
                domain.hasSuffix("example.com") || domain.hasSuffix("example.org") || domain.hasSuffix("example.net")
                    || domain.hasSuffix(".example") || domain.hasSuffix("members.ebay.com")
                    || domain.contains("marketplace.amazon."),
                "\(email) is not a reserved or relay domain")
        }
    }

    @Test(arguments: channels)
    func swissCustomersPayFrancsWhereTheChannelAllows(channel: String) throws {
        let run = try NormalisedRun(channel)
        let francs = run.orders.filter { $0.currency.code == "CHF" }
        if channel == "amazon" {
            #expect(francs.isEmpty)  // no Swiss storefront: amazon.de in euros
        } else {
            #expect(!francs.isEmpty)
        }
        #expect(run.orders.allSatisfy { ["EUR", "CHF"].contains($0.currency.code) })
    }

    @Test(arguments: channels)
    func ordersWerePlacedRecentlyAndGetThroughTheirLifecycle(channel: String) throws {
        let run = try NormalisedRun(channel)
        for order in run.orders {
            #expect(order.placedAt <= now)
            #expect(order.placedAt.epochMilliseconds >= now.epochMilliseconds - 72 * 3_600_000)
            if let updatedAt = order.updatedAt { #expect(updatedAt >= order.placedAt) }
        }
        let statuses = Set(run.orders.map(\.status))
        #expect(statuses.contains(.cancelled))
        #expect(statuses.count >= 3, "\(statuses)")
    }

    @Test(arguments: channels)
    func theSameSeedGivesTheSameBytes(channel: String) throws {
        let first = try #require(OrderSampler(channel: channel, seed: 7, now: now))
        let again = try #require(OrderSampler(channel: channel, seed: 7, now: now))
        let other = try #require(OrderSampler(channel: channel, seed: 8, now: now))
        for index in [0, 1, 2, 99, 12_345, SampleIdentity.maximumCount - 1] {
            #expect(first.order(at: index).body == again.order(at: index).body)
            #expect(first.order(at: index).body != other.order(at: index).body)
        }
    }

    @Test(arguments: channels)
    func differentSeedsNeverShareAnOrderID(channel: String) throws {
        let a = try #require(OrderSampler(channel: channel, seed: 1, now: now))
        let b = try #require(OrderSampler(channel: channel, seed: 2, now: now))
        let idsA = Set((0..<1000).map { a.order(at: $0).externalId })
        let idsB = Set((0..<1000).map { b.order(at: $0).externalId })
        #expect(idsA.count == 1000 && idsB.count == 1000)
        #expect(idsA.isDisjoint(with: idsB))
    }
}

@Suite("Shopware's float artefacts")
struct ShopwareFloatArtefactTests {
    /// A printed double has at most 17 significant digits, and the adapter refuses more; an artefact
    /// appended to an amount of three or more integer digits once made 18 (166.480000000000004).
    @Test func everyAmountHasAtMostSeventeenSignificantDigitsAndNormalises() throws {
        for seed: UInt64 in [1, 2] {
            let run = try NormalisedRun("shopware", seed: seed, count: 500)
            #expect(run.orders.count == 500)
            for message in run.messages {
                let text = String(decoding: message.body, as: UTF8.self)
                for number in text.split(whereSeparator: { !"0123456789.".contains($0) }) where number.contains(".") {
                    let significant = number.drop { $0 == "0" || $0 == "." }.filter(\.isNumber).count
                    #expect(significant <= 17, "\(number) in sample \(message.externalId)")
                }
            }
        }
    }
}
