// NormalizeBenchmark: normalisations per second per channel, on one core (this thread), for the order fixtures.
//
//   swift run -c release NormalizeBenchmark [--seconds 1.0] [--channel amazon]
//
// Bodies come from the shared fixtures (../shared/fixtures next to the package, or $ORDERFLOW_FIXTURES); when the
// folder is absent the hand-written samples of InlineSamples.swift are used, and the output says so. Each body is
// exactly what the
// worker would receive on `order.<channel>` (the Amazon composite is assembled from its getOrder/getOrderItems/
// getOrderAddress/getOrderBuyerInfo files like the connector does; Gadget's Shopify samples are unwrapped from
// `.response`; WooCommerce's order list is split). `canonical` bodies are the canonical JSON of every other body.
// Per channel: a warm-up, then round-robin over its bodies for the measuring time (10 rounds), timed with
// ContinuousClock. Reported: bodies, average body size, normalisations/s overall and in the best round (robust
// against other processes on a shared machine), µs per normalisation (full path: size check, parse, adapter), and
// JSON parses/s of the same bodies (to see the adapter's share). A checksum keeps the optimiser honest.
import Foundation
import OrdersDomain

// MARK: - Options

var secondsPerChannel = 1.0
var onlyChannel: String?
do {
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let argument = arguments.next() {
        switch argument {
        case "--seconds": secondsPerChannel = arguments.next().flatMap(Double.init) ?? secondsPerChannel
        case "--channel": onlyChannel = arguments.next()
        default:
            FileHandle.standardError.write(Data("usage: NormalizeBenchmark [--seconds S] [--channel NAME]\n".utf8))
            exit(2)
        }
    }
}

// MARK: - Bodies

struct Body {
    let name: String
    let bytes: [UInt8]
}

func fixturesDirectory() -> URL? {
    var candidates: [URL] = []
    if let override = ProcessInfo.processInfo.environment["ORDERFLOW_FIXTURES"], !override.isEmpty {
        candidates.append(URL(fileURLWithPath: override, isDirectory: true))
    } else {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        candidates.append(cwd.appendingPathComponent("../shared/fixtures"))
        // Benchmarks/NormalizeBenchmark/main.swift -> package root -> ../shared/fixtures
        for file in [URL(fileURLWithPath: #filePath), URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()] {
            let root = file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            candidates.append(root.appendingPathComponent("../shared/fixtures"))
        }
    }
    return candidates.map(\.standardized).first { url in
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

func load(_ directory: URL, _ path: String) -> JSONValue? {
    guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(path).path) else {
        return nil
    }
    return try? JSON.parse([UInt8](data))
}

func body(_ name: String, _ value: JSONValue?) -> Body? {
    guard let value else { return nil }
    return Body(name: name, bytes: Array(JSON.serialize(value).utf8))
}

func elements(_ value: JSONValue?) -> [JSONValue] {
    if case .array(let items)? = value { return items }
    return []
}

func fixtureBodies(_ dir: URL) -> [String: [Body]] {
    var bodies: [String: [Body]] = [:]
    func add(_ channel: String, _ body: Body?) { if let body { bodies[channel, default: []].append(body) } }

    for topic in ["create", "updated", "fulfilled", "cancelled"] {
        let file = "shopify/webhook-orders-\(topic).2026-04.docs-sample.json"
        add("shopify", body(file, load(dir, file)?["response"]))
    }
    add(
        "shopify",
        body(
            "shopify/rest-order-authorized-discountcode.json",
            load(dir, "shopify/rest-order-authorized-discountcode.json")))

    for file in [
        "woocommerce/order-retrieve-processing.docs-example.json",
        "woocommerce/order-update-completed.docs-example.json",
    ] {
        add("woocommerce", body(file, load(dir, file)))
    }
    for (index, order) in elements(load(dir, "woocommerce/orders-list-processing-completed.docs-example.json"))
        .enumerated()
    {
        add("woocommerce", body("woocommerce/orders-list…[\(index)]", order))
    }

    add(
        "shopware",
        body(
            "shopware6/app-payment-pay-request-with-order.json",
            load(dir, "shopware6/app-payment-pay-request-with-order.json")))

    func composite(_ name: String, order: String, items: String?, address: String?, buyer: String?) -> Body? {
        guard let orderPayload = load(dir, "amazon/\(order)")?["payload"] else { return nil }
        var pairs: [(String, JSONValue)] = [("order", orderPayload)]
        if let items, let value = load(dir, "amazon/\(items)")?["payload"]?["OrderItems"] {
            pairs.append(("orderItems", value))
        }
        if let address, let value = load(dir, "amazon/\(address)")?["payload"]?["ShippingAddress"] {
            pairs.append(("shippingAddress", value))
        }
        if let buyer, let value = load(dir, "amazon/\(buyer)")?["payload"] { pairs.append(("buyerInfo", value)) }
        return body(name, .object(JSONObject(pairs)))
    }
    add(
        "amazon",
        composite(
            "amazon v0 docs-example composite", order: "getOrder.docs-example.extracted.json",
            items: "getOrderItems.docs-example.extracted.json", address: "getOrderAddress.docs-example.extracted.json",
            buyer: "getOrderBuyerInfo.docs-example.extracted.json"))
    add(
        "amazon",
        composite(
            "amazon v0 sandbox TEST_CASE_200 composite", order: "getOrder.sandbox-TEST_CASE_200.extracted.json",
            items: "getOrderItems.sandbox-TEST_CASE_200.extracted.json",
            address: "getOrderAddress.sandbox-TEST_CASE_200.extracted.json",
            buyer: "getOrderBuyerInfo.sandbox-TEST_CASE_200.extracted.json"))
    add(
        "amazon",
        composite(
            "amazon v0 sandbox IBA (order only)", order: "getOrder.sandbox-TEST_CASE_IBA_200.extracted.json",
            items: nil, address: nil, buyer: nil))
    add(
        "amazon",
        body(
            "amazon 2026-01-01 docs-example-uk",
            load(dir, "amazon/orders-2026-01-01.getOrder.docs-example-uk.extracted.json")))

    for file in [
        "ebay/getOrder.de-eur-partially-shipped.handwritten.json",
        "ebay/getOrder.at-converted-seller-cancelled.handwritten.json",
    ] {
        add("ebay", body(file, load(dir, file)))
    }
    for file in [
        "pos-square/CreateOrderResponse.docs-example.extracted.json",
        "pos-square/RetrieveOrderResponse.docs-example.extracted.json",
        "pos-square/PayOrderResponse.docs-example.extracted.json",
    ] {
        add("pos", body(file, load(dir, file)))
    }
    return bodies
}

func inlineBodies() -> [String: [Body]] {
    var bodies: [String: [Body]] = [:]
    for (channel, name, json) in InlineSamples.all {
        bodies[channel, default: []].append(Body(name: name, bytes: Array(json.utf8)))
    }
    return bodies
}

// MARK: - Run

let normalizer = Normalizer.standard
let directory = fixturesDirectory()
var bodiesByChannel = directory.map(fixtureBodies) ?? inlineBodies()
if let directory {
    print("fixtures: \(directory.path)")
} else {
    print("fixtures: NOT FOUND (../shared/fixtures or $ORDERFLOW_FIXTURES) -> using the hand-written inline samples")
}

// Keep only bodies that normalise (an adapter refusing one is reported, not benchmarked), and derive the
// canonical channel's bodies from the results.
var usable: [String: [Body]] = [:]
var canonicalBodies: [Body] = []
for channel in bodiesByChannel.keys.sorted() {
    for body in bodiesByChannel[channel] ?? [] {
        do {
            let order = try normalizer.normalizeOrder(channel: channel, body: body.bytes)
            usable[channel, default: []].append(body)
            canonicalBodies.append(
                Body(name: "canonical of \(body.name)", bytes: Array(JSON.serialize(order.json).utf8)))
        } catch {
            print("  skipped \(channel) \(body.name): \(error)")
        }
    }
}
for body in canonicalBodies {
    if (try? normalizer.normalizeOrder(channel: "canonical", body: body.bytes)) != nil {
        usable["canonical", default: []].append(body)
    }
}
if usable["canonical"] == nil, !canonicalBodies.isEmpty {
    print("  skipped canonical: its adapter refuses the canonical JSON")
}

var checksum: Int64 = 0

struct Rate {
    /// Operations per second over the whole measuring time.
    let overall: Double
    /// The best of the 10 rounds the time is split into: what one core does when no other process interferes
    /// (on a shared machine the overall figure includes time the thread was not running).
    let best: Double
    let checksum: Int64
}

/// Runs `work` round-robin over `count` bodies: a warm-up, then `seconds` of measurement in 10 rounds.
/// The checksum of the results is printed so the work cannot be optimised away.
func measure(count: Int, seconds: Double, _ work: (Int) -> Int64) -> Rate {
    let clock = ContinuousClock()
    var checksum: Int64 = 0
    // Warm-up: a tenth of the time (at least every body a few times).
    let warmupEnd = clock.now.advanced(by: .milliseconds(Int64(seconds * 100)))
    var index = 0
    repeat {
        checksum &+= work(index % count)
        index += 1
    } while clock.now < warmupEnd || index < 3 * count
    // Measure in batches so reading the clock costs nothing noticeable.
    let batch = max(count, 64)
    let rounds = 10
    var totalOperations = 0
    var totalSeconds = 0.0
    var best = 0.0
    for _ in 0..<rounds {
        var operations = 0
        let start = clock.now
        let deadline = start.advanced(by: .microseconds(Int64(seconds * 1e6) / Int64(rounds)))
        var now = start
        repeat {
            for _ in 0..<batch {
                checksum &+= work(index % count)
                index += 1
            }
            operations += batch
            now = clock.now
        } while now < deadline
        let elapsed = now - start
        let roundSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        totalOperations += operations
        totalSeconds += roundSeconds
        best = max(best, Double(operations) / roundSeconds)
    }
    return Rate(overall: Double(totalOperations) / totalSeconds, best: best, checksum: checksum)
}

func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - text.count))
    return right ? padding + text : text + padding
}

print(
    "one core, \(format(secondsPerChannel, 1)) s per channel after warm-up, in 10 rounds;"
        + " orders/s = overall (best round); µs/order from the best round\n")
print(
    pad("channel", 12) + pad("bodies", 8, right: true) + pad("avg bytes", 11, right: true)
        + pad("orders/s (best round)", 24, right: true) + pad("µs/order", 10, right: true)
        + pad("parses/s best", 15, right: true) + pad("MB/s", 8, right: true))
for channel in usable.keys.sorted() where onlyChannel == nil || onlyChannel == channel {
    let bodies = usable[channel] ?? []
    guard !bodies.isEmpty else { continue }
    let averageBytes = Double(bodies.reduce(0) { $0 + $1.bytes.count }) / Double(bodies.count)
    let orders = measure(count: bodies.count, seconds: secondsPerChannel) { index in
        do {
            return try normalizer.normalizeOrder(channel: channel, body: bodies[index].bytes).totals.grand.minorUnits
        } catch {
            return -1
        }
    }
    let parses = measure(count: bodies.count, seconds: secondsPerChannel / 2) { index in
        if case .object(let object)? = try? JSON.parse(bodies[index].bytes) { return Int64(object.count) }
        return -1
    }
    checksum &+= orders.checksum &+ parses.checksum
    print(
        pad(channel, 12) + pad("\(bodies.count)", 8, right: true) + pad(format(averageBytes, 0), 11, right: true)
            + pad(format(orders.overall, 0) + " (" + format(orders.best, 0) + ")", 24, right: true)
            + pad(format(1e6 / orders.best, 1), 10, right: true)
            + pad(format(parses.best, 0), 15, right: true)
            + pad(format(orders.best * averageBytes / 1e6, 1), 8, right: true))
}
print("\nchecksum \(checksum)")
