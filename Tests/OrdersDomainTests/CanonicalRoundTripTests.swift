import OrdersTestSupport
import Testing
@testable import OrdersDomain

/// Property: normalising the canonical JSON of any normalised order through the `canonical` channel
/// gives the identical order. Runs over every fixture that some channel accepts, the inline canonical
/// samples, and randomly generated orders.
@Suite("Canonical round trip")
struct CanonicalRoundTripTests {
    private let normalizer = Normalizer.standard

    private func roundTrip(_ order: CanonicalOrder, pretty: Bool) throws -> CanonicalOrder {
        let text = JSON.serialize(order.json, pretty: pretty)
        return try normalizer.normalizeOrder(channel: "canonical", body: Array(text.utf8))
    }

    /// Every (fixture, channel) pair that normalises, found by trying every channel on every file, and
    /// also on the bodies inside the fixtures' wrappers: Gadget's `{"response": <webhook body>}` and
    /// top-level arrays (order lists).
    private static func normalisedFixtures() -> [(source: String, order: CanonicalOrder)] {
        var found: [(String, CanonicalOrder)] = []
        for file in Fixtures.allJSONFiles() {
            guard let bytes = try? Fixtures.bytes(file) else { continue }
            var bodies = [(file, bytes)]
            switch try? JSON.parse(bytes) {
            case .object(let object)?:
                if let response = object["response"], case .object = response {
                    bodies.append(("\(file) .response", Array(JSON.serialize(response).utf8)))
                }
            case .array(let elements)?:
                for (index, element) in elements.enumerated() {
                    bodies.append(("\(file) [\(index)]", Array(JSON.serialize(element).utf8)))
                }
            default:
                break
            }
            for (name, body) in bodies {
                for channel in Normalizer.standard.orderChannels {
                    if let order = try? Normalizer.standard.normalizeOrder(channel: channel, body: body) {
                        found.append(("\(channel) ← \(name)", order))
                    }
                }
            }
        }
        return found
    }

    @Test(.enabled(if: Fixtures.available, "shared fixtures not found: fixture tests NOT RUN"))
    func everyNormalisedFixtureIsAFixedPoint() throws {
        let samples = Self.normalisedFixtures()
        #expect(samples.count >= 15, "only \(samples.count) fixture/channel pairs normalise")
        var failures: [String] = []
        for (source, order) in samples {
            for pretty in [false, true] {
                do {
                    let again = try roundTrip(order, pretty: pretty)
                    if again != order { failures.append("\(source): \(Self.difference(order, again))") }
                } catch {
                    failures.append("\(source): canonical refused its own output: \(error)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(samples.count * 2):\n\(failures.joined(separator: "\n"))")
    }

    @Test(arguments: [canonicalSpecExample, canonicalMinimalExample])
    func inlineSamplesAreFixedPoints(json: String) throws {
        let order = try normalizer.normalizeOrder(channel: "canonical", body: Array(json.utf8))
        #expect(try roundTrip(order, pretty: false) == order)
        #expect(try roundTrip(order, pretty: true) == order)
    }

    @Test func randomOrdersAreFixedPoints() throws {
        let seed: UInt64 = 0xCA11_0DE5
        var random = SeededRandom(seed: seed)
        for index in 0..<500 {
            let order = Self.randomOrder(using: &random)
            let again = try roundTrip(order, pretty: index % 2 == 0)
            #expect(again == order, "seed \(seed) #\(index): \(Self.difference(order, again))")
        }
    }

    // MARK: Generated orders (every field already in canonical form)

    private static let alphabet: [String] = [
        "a", "Z", "7", " ", "ß", "é", "Ä", "–", "€", "日", "😀", "\"", "\\", "/", "&amp;",
        "<", "\u{A0}", "e\u{301}", "\t", "\n", "'", "{", "}", "[", "]", ":", ",",
    ]

    private static func text(_ random: inout SeededRandom, maxLength: Int = 12) -> String? {
        guard Int.random(in: 0..<5, using: &random) > 0 else { return nil }
        let length = Int.random(in: 0...maxLength, using: &random)
        return Text.clean((0..<length).map { _ in alphabet.randomElement(using: &random)! }.joined())
    }

    private static func money(_ random: inout SeededRandom, _ currency: Currency) -> Money {
        Money(minorUnits: Int64.random(in: -1_000_000...100_000_000_000, using: &random), currency: currency)
    }

    private static func time(_ random: inout SeededRandom) -> UTCTimestamp {
        UTCTimestamp(epochMilliseconds: Int64.random(in: 0...4_102_444_800_000, using: &random))
    }

    private static func address(_ random: inout SeededRandom) -> Address? {
        guard Bool.random(using: &random) else { return nil }
        let countries = ["DE", "AT", "GP", "Narnia", "日本", nil]
        return Address(
            name: text(&random), company: text(&random), line1: text(&random), line2: text(&random),
            postalCode: text(&random, maxLength: 5), city: text(&random), region: text(&random),
            country: Text.countryAlpha2(countries.randomElement(using: &random)!), phone: text(&random))
    }

    static func randomOrder(using random: inout SeededRandom) -> CanonicalOrder {
        let currency = Currency.all.randomElement(using: &random)!
        let placedAt = time(&random)
        let channel = ["shopify", "otto", "web-shop_2", "pos"].randomElement(using: &random)!
        let externalId = String(UInt64.random(in: 0...UInt64.max, using: &random))
        let lines = (0..<Int.random(in: 0...4, using: &random)).map { _ in
            let quantity = Int64.random(in: 0...1000, using: &random)
            let unitPrice = money(&random, currency)
            return OrderLine(
                lineId: text(&random, maxLength: 4), sku: text(&random), title: text(&random, maxLength: 30),
                quantity: quantity, unitPrice: unitPrice,
                total: quantity == 0 ? money(&random, currency) : unitPrice * quantity)
        }
        var channelStatus = JSONObject()
        channelStatus["financial_status"] = .string(["paid", "pending", "vöided"].randomElement(using: &random)!)
        channelStatus["fulfillment_status"] = Bool.random(using: &random) ? .null : .number("-1.5e3")
        channelStatus["nested"] = .array([.object(JSONObject([("k", .bool(true))]))])
        let shipments = (0..<Int.random(in: 0...2, using: &random)).map { index in
            CanonicalShipment(
                channel: channel, externalId: externalId, shipmentId: "S\(index)", carrier: text(&random),
                trackingNumber: text(&random), trackingUrl: text(&random),
                shippedAt: Bool.random(using: &random) ? time(&random) : nil,
                lines: [
                    ShipmentLine(
                        sku: text(&random), lineId: text(&random), quantity: Int64.random(in: 0...9, using: &random))
                ])
        }
        return CanonicalOrder(
            channel: channel, externalId: externalId, number: text(&random),
            status: OrderStatus.allCases.randomElement(using: &random)!, placedAt: placedAt,
            updatedAt: Bool.random(using: &random) ? time(&random) : nil, shipBy: time(&random), currency: currency,
            totals: Totals(
                items: money(&random, currency), shipping: money(&random, currency), discount: money(&random, currency),
                tax: money(&random, currency), grand: money(&random, currency)),
            customer: Customer(
                email: Text.email(["lena@example.de", "a.b+c@d.co.uk", "broken@", nil].randomElement(using: &random)!),
                name: text(&random), locale: ["de", "en", nil].randomElement(using: &random)!),
            shippingAddress: address(&random), billingAddress: address(&random), lines: lines,
            cancelledBy: [CancelledBy.merchant, .customer, nil].randomElement(using: &random)!,
            channelStatus: channelStatus, shipments: shipments,
            apiVersion: ["2026-04", "v0", nil].randomElement(using: &random)!)
    }

    /// The first differing member of the two orders' canonical JSON, for readable failures.
    static func difference(_ a: CanonicalOrder, _ b: CanonicalOrder) -> String {
        guard case .object(let left) = a.json, case .object(let right) = b.json else { return "?" }
        for key in left.keys where left[key] != right[key] {
            let shown = { (value: JSONValue?) in value.map { String(JSON.serialize($0).prefix(300)) } ?? "absent" }
            return "\(key): \(shown(left[key])) became \(shown(right[key]))"
        }
        return a == b ? "equal" : "differs outside the JSON (e.g. Address() vs nil)"
    }
}
