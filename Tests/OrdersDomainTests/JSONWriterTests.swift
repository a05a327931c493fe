import Testing
@testable import OrdersDomain

@Suite("JSON writer")
struct JSONWriterTests {
    @Test func compactOutputKeepsMemberOrderAndLiterals() {
        let value = JSONValue.object(
            JSONObject([
                ("z", .number("1.50E+2")), ("a", .array([.null, .bool(true), .bool(false)])),
                ("m", .object(JSONObject())),
                ("e", .array([])), ("s", .string("Bergstraße")),
            ]))
        #expect(JSON.serialize(value) == #"{"z":1.50E+2,"a":[null,true,false],"m":{},"e":[],"s":"Bergstraße"}"#)
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() {
        let text = "q\" b\\ n\n r\r t\t b\u{8} f\u{C} nul\u{0} us\u{1F} del\u{7F} / é 😀"
        let serialized = JSON.serialize(.string(text))
        #expect(serialized == #""q\" b\\ n\n r\r t\t b\b f\f nul\u0000 us\u001f del\u007f / é 😀""#)
        #expect(!serialized.utf8.contains { $0 < 0x20 })
    }

    @Test func prettyOutputIndentsByTwoSpaces() {
        let value = JSONValue.object(
            JSONObject([
                ("a", .number("1")), ("b", .array([.string("x"), .object(JSONObject([("c", .null)]))])),
                ("d", .object(JSONObject())),
            ]))
        let expected = """
            {
              "a": 1,
              "b": [
                "x",
                {
                  "c": null
                }
              ],
              "d": {}
            }
            """
        #expect(JSON.serialize(value, pretty: true) == expected)
    }

    @Test func serializeThenParseIsTheIdentity() throws {
        let tricky = (0..<128).map { Character(Unicode.Scalar(UInt8($0))) }
        let value = JSONValue.object(
            JSONObject([
                ("all ASCII", .string(String(tricky))),
                ("unicode", .string("Teekanne – 1 l · 日本 · 😀 · e\u{301}")),
                ("nested", .array([.array([.object(JSONObject([("\"key\"\n", .number("-0.5e-3"))]))])])),
            ]))
        for pretty in [false, true] {
            let text = JSON.serialize(value, pretty: pretty)
            #expect(try JSON.parse(Array(text.utf8)) == value)
        }
    }
}
