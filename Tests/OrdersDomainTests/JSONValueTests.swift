import Testing
@testable import OrdersDomain

@Suite("JSON values and objects")
struct JSONValueTests {
    @Test func objectKeepsInsertionOrderAndReplacesInPlace() {
        var object = JSONObject([("b", .number("1")), ("a", .number("2"))])
        object["c"] = .null
        object["b"] = .string("new")
        #expect(object.keys == ["b", "a", "c"])
        #expect(object["b"] == .string("new"))
        #expect(object["c"] == .null)
        object["a"] = nil
        #expect(object.keys == ["b", "c"])
        #expect(object["a"] == nil)
        #expect(object.count == 2)
        object["zzz"] = nil
        #expect(object.count == 2)
        #expect(JSONObject([("k", .null), ("k", .bool(true))]).keys == ["k"])
        #expect(JSONObject([("k", .null), ("k", .bool(true))])["k"] == .bool(true))
    }

    @Test func equalityIsOrderSensitive() {
        let ab = JSONObject([("a", .null), ("b", .null)])
        let ba = JSONObject([("b", .null), ("a", .null)])
        #expect(ab != ba)
        #expect(ab == JSONObject([("a", .null), ("b", .null)]))
        #expect(JSONValue.object(ab) != .object(JSONObject([("a", .null)])))
    }

    /// Keys of every length up to 40 bytes (the fingerprint reads words, halves and tails), with
    /// shared prefixes and suffixes, non-ASCII and the empty key: every one is found, no absent key is.
    @Test func lookupsFindExactlyTheStoredKeys() {
        var keys = [""]
        for length in 1...40 {
            keys.append(String(repeating: "a", count: length))
            keys.append(String(repeating: "a", count: length - 1) + "b")
            keys.append("b" + String(repeating: "a", count: length - 1))
        }
        keys += [
            "fulfillment_status", "fulfillments", "financial_status", "ä", "a\u{308}", "日本", "total_price", "total_tax",
        ]
        var unique: [String] = []
        for key in keys where !unique.contains(key) { unique.append(key) }
        let object = JSONObject(unique.enumerated().map { ($1, JSONValue.number(String($0))) })
        #expect(object.count == unique.count)
        for (index, key) in unique.enumerated() {
            #expect(object[key] == .number(String(index)), "\(key.debugDescription)")
        }
        for absent in ["c", "aaaab", String(repeating: "a", count: 41), "fulfillment", "total_", "ab", "日"]
        where !unique.contains(absent) {
            #expect(object[absent] == nil, "\(absent.debugDescription)")
        }
        // The same through the parser, which fingerprints the raw bytes.
        let parsed = try? JSON.parse(Array(JSON.serialize(.object(object)).utf8))
        #expect(parsed == .object(object))
        for key in unique { #expect(parsed?[key] == object[key]) }
    }

    @Test func accessors() {
        #expect(JSONValue.string("x").stringValue == "x")
        #expect(JSONValue.number("1").stringValue == nil)
        #expect(JSONValue.null.stringValue == nil)
        #expect(JSONValue.array([.null])["k"] == nil)
        #expect(JSONValue.object(JSONObject([("k", .bool(false))]))["k"] == .bool(false))
    }
}
