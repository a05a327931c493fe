import Foundation
import OrdersTestSupport
@testable import OrdersDomain

// Shared by the channel tests: normalizing inline bodies and fixtures with `Normalizer.standard`,
// catching the refusal, and the values the expectations are written in.

/// `json` normalized as an order of `channel`.
func normalizeOrder(_ channel: String, _ json: String) throws -> CanonicalOrder {
    try Normalizer.standard.normalizeOrder(channel: channel, body: Array(json.utf8))
}

/// `value` serialized, then normalized as an order of `channel`.
func normalizeOrder(_ channel: String, _ value: JSONValue) throws -> CanonicalOrder {
    try normalizeOrder(channel, JSON.serialize(value))
}

/// The fixture file at `path` (relative to the fixtures folder) normalized as an order of `channel`.
func normalizeOrder(_ channel: String, fixture path: String) throws -> CanonicalOrder {
    try Normalizer.standard.normalizeOrder(channel: channel, body: try Fixtures.bytes(path))
}

/// `json` normalized as a shipment of `source`.
func normalizeShipment(_ source: String, _ json: String) throws -> CanonicalShipment {
    try Normalizer.standard.normalizeShipment(source: source, body: Array(json.utf8))
}

/// `value` serialized, then normalized as a shipment of `source`.
func normalizeShipment(_ source: String, _ value: JSONValue) throws -> CanonicalShipment {
    try normalizeShipment(source, JSON.serialize(value))
}

/// The fixture file at `path` normalized as a shipment of `source`.
func normalizeShipment(_ source: String, fixture path: String) throws -> CanonicalShipment {
    try Normalizer.standard.normalizeShipment(source: source, body: try Fixtures.bytes(path))
}

/// Why `channel` refuses `json` as an order; nil when it accepts it.
func normalizationError(_ channel: String, _ json: String) -> NormalizationError? {
    normalizationError { try normalizeOrder(channel, json) }
}

/// Why `source` refuses `json` as a shipment; nil when it accepts it.
func shipmentNormalizationError(_ source: String, _ json: String) -> NormalizationError? {
    normalizationError { try normalizeShipment(source, json) }
}

/// The `NormalizationError` that `work` throws; nil when it throws nothing. Any other error comes back as an
/// `.invalidField` error naming it, so that it cannot pass for an accepted body.
func normalizationError(of work: () throws -> Any?) -> NormalizationError? {
    do {
        _ = try work()
        return nil
    } catch let error as NormalizationError {
        return error
    } catch {
        return NormalizationError(.invalidField, field: nil, "unexpected \(error)")
    }
}

/// The fixture file at `path` parsed as JSON.
func fixtureJSON(_ path: String) throws -> JSONValue {
    try JSON.parse(try Fixtures.bytes(path))
}

/// The instant of an RFC 3339 text.
func timestamp(_ text: String) -> UTCTimestamp? { UTCTimestamp(rfc3339: text) }

/// `minorUnits` of the currency with ISO code `code`.
func money(_ minorUnits: Int64, _ code: String) -> Money {
    Money(minorUnits: minorUnits, currency: Currency(code: code)!)
}

extension String {
    /// This text with `old` replaced by `new`; `old` must occur (the hostile cases edit an inline body textually).
    func replacingExisting(_ old: String, with new: String) -> String {
        precondition(contains(old), "test bug: \(old) not in the text")
        return replacingOccurrences(of: old, with: new)
    }
}
