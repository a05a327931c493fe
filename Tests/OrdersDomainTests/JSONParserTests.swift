import Foundation
import Testing
@testable import OrdersDomain

@Suite("JSON parser")
struct JSONParserTests {
    private func parse(_ text: String, maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        try JSON.parse(Array(text.utf8), limits: JSONLimits(maxDepth: maxDepth))
    }

    private func failure(_ bytes: [UInt8], maxDepth: Int = 64) -> JSONParseError? {
        do {
            _ = try JSON.parse(bytes, limits: JSONLimits(maxDepth: maxDepth))
            return nil
        } catch {
            return error
        }
    }

    private func failure(_ text: String) -> JSONParseError? { failure(Array(text.utf8)) }

    @Test func scalarsAndContainers() throws {
        #expect(try parse("null") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse(" false ") == .bool(false))
        #expect(try parse("\"x\"") == .string("x"))
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{}") == .object(JSONObject()))
        #expect(
            try parse("[1, \"a\", null, [true], {\"k\": {}}]")
                == .array([
                    .number("1"), .string("a"), .null, .array([.bool(true)]),
                    .object(JSONObject([("k", .object(JSONObject()))])),
                ]))
        #expect(try parse("\t\r\n [ \n1\r\n ]\t") == .array([.number("1")]))
    }

    @Test func objectsKeepFirstSeenOrderAndLastValueWins() throws {
        let value = try parse(#"{"b": 1, "a": 2, "b": 3}"#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["b", "a"])
        #expect(object["b"] == .number("3"))
        #expect(object.count == 2)
        #expect(value["a"] == .number("2"))
        #expect(value["missing"] == nil)
    }

    @Test func duplicateKeysInLargeObjectsToo() throws {
        let members = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let value = try parse("{\(members), \"k7\": \"late\", \"k39\": null}")
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.count == 40)
        #expect(object.keys.first == "k0")
        #expect(object.keys[7] == "k7")
        #expect(object["k7"] == .string("late"))
        #expect(object["k39"] == .null)
        #expect(object["k38"] == .number("38"))
    }

    @Test func numbersKeepTheirLiteralText() throws {
        for literal in [
            "0", "-0", "1.50", "1.5E2", "2e-2", "-0.0e+00", "820982911946154508",
            "123456789012345678901234567890.000001",
        ] {
            #expect(try parse(literal) == .number(literal), "\(literal)")
        }
    }

    @Test func numbersOutsideTheGrammarAreRefused() {
        for bad in [
            "01", "-01", "1.", ".5", "-", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "-Infinity", "1.e5", "--1",
            "1..2", "1e5.5",
        ] {
            #expect(failure(bad) != nil, "\(bad) should be refused")
        }
    }

    @Test func stringEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""\u00e9\u00C9\u20AC""#) == .string("éÉ€"))
        #expect(try parse(#""\ud83d\ude00 ok""#) == .string("😀 ok"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
        #expect(try parse("\"Bergstraße 12 – 日本\"") == .string("Bergstraße 12 – 日本"))
    }

    @Test func loneAndMismatchedSurrogateEscapesAreRefused() {
        for bad in [
            #""\ud83d""#, #""\ud83d x""#, #""\ude00""#, #""\ud83d\u0041""#, #""\ud83d\ud83d""#, #""\u12""#,
            #""\uZZZZ""#,
        ] {
            #expect(failure(bad) != nil, "\(bad) should be refused")
        }
    }

    @Test func invalidEscapesAndControlCharactersAreRefused() {
        #expect(failure(#""\x41""#) != nil)
        #expect(failure("\"a\nb\"") != nil)
        #expect(failure("\"a\u{1}b\"") != nil)
        #expect(failure("\"unterminated") != nil)
        #expect(failure("\"ends in escape\\") != nil)
    }

    @Test(
        arguments: [
            [0xC0, 0x80],  // overlong NUL
            [0xC1, 0xBF],  // overlong
            [0xE0, 0x80, 0x80],  // overlong 3-byte
            [0xE0, 0x9F, 0xBF],  // overlong 3-byte
            [0xF0, 0x80, 0x80, 0x80],  // overlong 4-byte
            [0xED, 0xA0, 0x80],  // U+D800 surrogate
            [0xED, 0xBF, 0xBF],  // U+DFFF surrogate
            [0xF4, 0x90, 0x80, 0x80],  // U+110000
            [0xF5, 0x80, 0x80, 0x80],  // lead byte beyond U+10FFFF
            [0xFF],
            [0x80],  // lone continuation byte
            [0xC3],  // truncated at end
            [0xE2, 0x82],  // truncated
            [0xE2, 0x28, 0xA1],  // bad continuation
        ] as [[UInt8]])
    func invalidUTF8InStringsIsRefusedAsSuch(sequence: [UInt8]) throws {
        let bytes = Array("{\"name\": \"ab".utf8) + sequence + Array("cd\"}".utf8)
        let error = try #require(failure(bytes))
        #expect(error.isInvalidUTF8, "\(sequence): \(error)")
        #expect(error.offset == 12)
    }

    @Test func validMultiByteSequencesAtTheEdgesAreAccepted() throws {
        let edges: [[UInt8]] = [
            [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],
            [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        ]
        for sequence in edges {
            let value = try JSON.parse([0x22] + sequence + [0x22])
            #expect(value.stringValue.map { Array($0.utf8) } == sequence)
        }
    }

    @Test func invalidUTF8OutsideStringsIsReportedAsInvalidUTF8() throws {
        let error = try #require(failure([0xFF, 0xFE, 0x7B, 0x7D]))
        #expect(error.isInvalidUTF8)
        let valid = try #require(failure(Array("{} é".utf8)))
        #expect(!valid.isInvalidUTF8)
    }

    @Test func trailingDataIsRefused() throws {
        for bad in ["{} x", "[1]]", "1 2", "{}{}", "null,", "\"a\" \"b\"", "{\"a\":1}}"] {
            let error = try #require(failure(bad), "\(bad)")
            #expect(!error.isInvalidUTF8 && !error.isTooDeep)
        }
    }

    @Test func emptyAndStructurallyBrokenDocumentsAreRefused() {
        for bad in [
            "", "   ", "[", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "[1 2]", "tru", "nul", "truex",
            "{\"a\":}", "[,1]", "{,}", "}", "]",
        ] {
            #expect(failure(bad) != nil, "\(bad.debugDescription) should be refused")
        }
    }

    @Test func errorsReportTheByteOffset() throws {
        #expect(try #require(failure("[1,]")).offset == 3)
        #expect(try #require(failure("{\"a\": tru}")).offset == 9)  // the first byte that cannot continue "true"
        #expect(try #require(failure("[1] x")).offset == 4)
        #expect(try #require(failure("[1] x")).description.contains("at byte 4"))
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        #expect(
            try JSON.parse([0xEF, 0xBB, 0xBF] + Array("{\"a\":1}".utf8)) == .object(JSONObject([("a", .number("1"))])))
        #expect(failure([0xEF, 0xBB, 0xBF]) != nil)
    }

    @Test func depthLimitIsExact() throws {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try parse(deepest) }
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = try #require(failure(tooDeep))
        #expect(error.isTooDeep)
        #expect(error.offset == 64)
        let mixed = String(repeating: "{\"a\":[", count: 33) + "1" + String(repeating: "]}", count: 33)
        #expect(try #require(failure(mixed)).isTooDeep)
        #expect(throws: Never.self) { try parse(mixed, maxDepth: 66) }
    }

    @Test func hostileNestingThrowsQuicklyWithoutCrashing() throws {
        let clock = ContinuousClock()
        let started = clock.now
        for opener in ["[", "{\"k\":"] {
            let hundredThousand = Array(String(repeating: opener, count: 100_000).utf8)
            #expect(try #require(failure(hundredThousand)).isTooDeep)
        }
        let tenMegabytes = [UInt8](repeating: UInt8(ascii: "["), count: 10 << 20)
        #expect(try #require(failure(tenMegabytes)).isTooDeep)
        // Even a lifted limit stays under the hard ceiling, because releasing and comparing a value
        // recurse through it.
        let lifted = try #require(failure(Array(String(repeating: "[", count: 100_000).utf8), maxDepth: .max))
        #expect(lifted.isTooDeep)
        #expect(lifted.offset == JSONLimits.hardMaxDepth)
        #expect(clock.now - started < .seconds(2))
    }

    /// The deepest value the parser can ever build is parsed, serialised, compared and released on an
    /// ordinary test thread without exhausting its stack.
    @Test func theDeepestAllowedValueIsHarmless() throws {
        let depth = JSONLimits.hardMaxDepth
        let text = String(repeating: "{\"a\":[", count: depth / 2) + "1" + String(repeating: "]}", count: depth / 2)
        let value = try parse(text, maxDepth: .max)
        #expect(JSON.serialize(value) == text)
        #expect(try parse(JSON.serialize(value, pretty: true), maxDepth: .max) == value)
    }

    @Test func largeFlatDocumentsParse() throws {
        let elements = (0..<50_000).map { "{\"id\": \($0), \"name\": \"item \($0) – ü\", \"price\": \"\($0).95\"}" }
        let value = try parse("[" + elements.joined(separator: ",") + "]")
        guard case .array(let array) = value else { Issue.record("not an array"); return }
        #expect(array.count == 50_000)
        #expect(array[49_999]["name"] == .string("item 49999 – ü"))
        #expect(array[123]["price"] == .string("123.95"))
    }
}
