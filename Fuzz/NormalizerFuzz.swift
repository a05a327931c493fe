// libFuzzer target over the whole normaliser. Not part of the SwiftPM package: deploy/fuzz.sh compiles it
// together with every file of Sources/OrdersDomain into one module (so it sees internal API) with
// `swiftc -sanitize=fuzzer,address -parse-as-library -O`.
//
// Each input runs through every order adapter (or only $ORDERFLOW_FUZZ_CHANNEL) and every shipment
// source of that name. Besides "no crash, no memory error" it checks two invariants, so the fuzzer
// also finds wrong results, not only crashes:
//   1. whatever JSON.parse accepts, JSON.serialize writes back to the identical value;
//   2. an order that normalises is a fixed point of the `canonical` channel.

import Foundation

private let normalizer = Normalizer.standard

private let selected: String? = {
    let name = ProcessInfo.processInfo.environment["ORDERFLOW_FUZZ_CHANNEL"] ?? ""
    return name.isEmpty || name == "all" ? nil : name
}()

private let orderChannels: [String] = {
    guard let selected else { return normalizer.orderChannels }
    guard normalizer.orderChannels.contains(selected) || normalizer.shipmentSources.contains(selected) else {
        fatalError("ORDERFLOW_FUZZ_CHANNEL=\(selected) is neither an order channel \(normalizer.orderChannels) nor a shipment source \(normalizer.shipmentSources)")
    }
    return normalizer.orderChannels.filter { $0 == selected }
}()

private let shipmentSources: [String] = normalizer.shipmentSources.filter { selected == nil || $0 == selected }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []

    if let value = try? JSON.parse(body, limits: JSONLimits(maxDepth: normalizer.limits.maxDepth)) {
        for pretty in [false, true] {
            let again = try? JSON.parse(Array(JSON.serialize(value, pretty: pretty).utf8), limits: JSONLimits(maxDepth: .max))
            guard again == value else { fatalError("JSON serialize/parse round trip changed the value (pretty: \(pretty))") }
        }
    }

    for channel in orderChannels {
        guard let order = try? normalizer.normalizeOrder(channel: channel, body: body) else { continue }
        let canonical = Array(JSON.serialize(order.json).utf8)
        do {
            let again = try normalizer.normalizeOrder(channel: "canonical", body: canonical)
            guard again == order else {
                fatalError("\(channel): the canonical channel changed the order:\n\(String(decoding: canonical, as: UTF8.self))\n\(JSON.serialize(again.json))")
            }
        } catch {
            fatalError("\(channel): the canonical channel refused the adapter's output (\(error)):\n\(String(decoding: canonical, as: UTF8.self))")
        }
    }

    for source in shipmentSources {
        _ = try? normalizer.normalizeShipment(source: source, body: body)
    }
    return 0
}
