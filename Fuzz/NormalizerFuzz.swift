// libFuzzer target over the whole normaliser. Not part of the SwiftPM package: deploy/fuzz.sh compiles it
// together with every file of Sources/OrdersDomain into one module (so it sees internal API) with
// `swiftc -sanitize=fuzzer,address -parse-as-library -O`.
//
// Each input runs through every order adapter (or only $ORDERFLOW_FUZZ_CHANNEL) and every shipment
// source of that name. Besides "no crash, no memory error" it checks these invariants, so the fuzzer
// also finds wrong results, not only crashes:
//   1. whatever JSON.parse accepts, JSON.serialize writes back to the identical value;
//   2. an order that normalises is a fixed point of the `canonical` channel;
//   3. no id of an order or parcel (order, line, parcel, parcel line) contains a control character;
//   4. every line's unit price x quantity is its total within rounding, quantities are in 0...Node.maxQuantity,
//      and the lines add up to totals.items within rounding or the order is flagged (linesDiscrepancy);
//   5. every instant is in the years 0001-9999 and reads back from its RFC 3339 text;
//   6. no overflow: sums of quantities and of line totals, recomputed in 128 bits, agree with what was stored.

import Foundation

private let normalizer = Normalizer.standard

private let selected: String? = {
    let name = ProcessInfo.processInfo.environment["ORDERFLOW_FUZZ_CHANNEL"] ?? ""
    return name.isEmpty || name == "all" ? nil : name
}()

private let orderChannels: [String] = {
    guard let selected else { return normalizer.orderChannels }
    guard normalizer.orderChannels.contains(selected) || normalizer.shipmentSources.contains(selected) else {
        fatalError(
            "ORDERFLOW_FUZZ_CHANNEL=\(selected) is neither an order channel \(normalizer.orderChannels) "
                + "nor a shipment source \(normalizer.shipmentSources)"
        )
    }
    return normalizer.orderChannels.filter { $0 == selected }
}()

private let shipmentSources: [String] = normalizer.shipmentSources.filter { selected == nil || $0 == selected }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []

    if let value = try? JSON.parse(body, limits: JSONLimits(maxDepth: normalizer.limits.maxDepth)) {
        for pretty in [false, true] {
            let again = try? JSON.parse(
                Array(JSON.serialize(value, pretty: pretty).utf8), limits: JSONLimits(maxDepth: .max))
            guard again == value else {
                fatalError("JSON serialize/parse round trip changed the value (pretty: \(pretty))")
            }
        }
    }

    for channel in orderChannels {
        guard let order = try? normalizer.normalizeOrder(channel: channel, body: body) else { continue }
        checkInvariants(order, channel: channel)
        let canonical = Array(JSON.serialize(order.json).utf8)
        do {
            let again = try normalizer.normalizeOrder(channel: "canonical", body: canonical)
            guard again == order else {
                fatalError(
                    "\(channel): the canonical channel changed the order:\n"
                        + "\(String(decoding: canonical, as: UTF8.self))\n\(JSON.serialize(again.json))"
                )
            }
        } catch {
            fatalError(
                "\(channel): the canonical channel refused the adapter's output (\(error)):\n"
                    + String(decoding: canonical, as: UTF8.self)
            )
        }
    }

    for source in shipmentSources {
        guard let shipment = try? normalizer.normalizeShipment(source: source, body: body) else { continue }
        checkInvariants(shipment, source: source)
    }
    return 0
}

private func fail(_ channel: String, _ what: String, _ order: CanonicalOrder) -> Never {
    fatalError("\(channel): \(what):\n\(JSON.serialize(order.json))")
}

private func checkInvariants(_ order: CanonicalOrder, channel: String) {
    let ids = [order.externalId] + order.lines.compactMap(\.lineId)
    if let id = ids.first(where: { Text.firstControlCharacter(in: $0) != nil }) {
        fail(channel, "control character in the id \(Array(id.unicodeScalars))", order)
    }
    var lineSum: Int128 = 0
    for line in order.lines {
        guard (0...Node.maxQuantity).contains(line.quantity) else { fail(channel, "quantity \(line.quantity)", order) }
        let product = Int128(line.unitPrice.minorUnits) * Int128(line.quantity)
        let difference = (product - Int128(line.total.minorUnits)).magnitude
        if line.quantity > 0, difference > UInt128(line.quantity / 2) {
            fail(channel, "unit price x quantity is not the line total", order)
        }
        lineSum += Int128(line.total.minorUnits)
    }
    let missed = lineSum - Int128(order.totals.items.minorUnits)
    let flagged = order.linesDiscrepancy
    if missed.magnitude > UInt128(order.lines.count) {
        guard flagged?.minorUnits == Int64(clamping: missed) else {
            fail(channel, "lines do not add up, unflagged", order)
        }
    } else if flagged != nil {
        fail(channel, "flagged although the lines add up", order)
    }
    var instants = [order.placedAt] + [order.updatedAt, order.shipBy].compactMap { $0 }
    instants += order.shipments.compactMap(\.shippedAt)
    for instant in instants where !instant.isRepresentable || UTCTimestamp(rfc3339: instant.rfc3339) != instant {
        fail(channel, "instant \(instant.epochMilliseconds) outside 0001-9999 or not read back", order)
    }
    for shipment in order.shipments { checkInvariants(shipment, source: channel + " (embedded)") }
}

private func checkInvariants(_ shipment: CanonicalShipment, source: String) {
    let ids = [shipment.externalId, shipment.shipmentId] + shipment.lines.compactMap(\.lineId)
    var quantities: Int128 = 0
    for line in shipment.lines {
        guard (0...Node.maxQuantity).contains(line.quantity) else {
            fatalError("\(source): parcel line quantity \(line.quantity):\n\(JSON.serialize(shipment.json))")
        }
        quantities += Int128(line.quantity)
    }
    guard quantities <= Int128(Int64.max), !ids.contains(where: { Text.firstControlCharacter(in: $0) != nil }),
        shipment.shippedAt.map({ $0.isRepresentable }) ?? true
    else {
        fatalError("\(source): parcel invariant broken:\n\(JSON.serialize(shipment.json))")
    }
}
