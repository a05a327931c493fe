import Testing
@testable import OrdersDomain

@Suite("Node field reader")
struct NodeTests {
    private let eur = Currency(code: "EUR")!

    private func root(_ json: String) throws -> Node {
        Node(try JSON.parse(Array(json.utf8)), path: "")
    }

    @Test func pathsNameTheField() throws {
        let node = try root(#"{"lines": [{"quantity": 1}, {"price_set": {"shop_money": {"amount": "x"}}}]}"#)
        #expect(node.path == "")
        #expect(node["lines"].path == "lines")
        #expect(node["lines"][1]["price_set"]["shop_money"]["amount"].path == "lines[1].price_set.shop_money.amount")
        #expect(try node["lines"].elements().map(\.path) == ["lines[0]", "lines[1]"])
        #expect(Node(nil, path: "order")["id"].path == "order.id")
        let error = try #require(
            normalizationError { try node["lines"][1]["price_set"]["shop_money"]["amount"].money(eur) })
        #expect(error.code == .malformedMoney)
        #expect(error.field == "lines[1].price_set.shop_money.amount")
        #expect(error.description.hasPrefix("lines[1].price_set.shop_money.amount: "))
    }

    @Test func absentChildrenOfNonContainers() throws {
        let node = try root(#"{"a": 1, "b": null, "c": [1]}"#)
        #expect(!node["a"]["x"].exists)
        #expect(!node["b"].exists && node["b"].value == .null)
        #expect(!node["missing"].exists && node["missing"].value == nil)
        #expect(node["c"][0].exists)
        #expect(!node["c"][1].exists && !node["c"][-1].exists)
        #expect(!node["a"][0].exists)
    }

    @Test func strings() throws {
        let node = try root(#"{"s": "x", "n": 12.50, "t": true, "f": false, "z": null, "a": [], "o": {}, "e": ""}"#)
        #expect(try node["s"].string() == "x")
        #expect(try node["n"].string() == "12.50")
        #expect(try node["t"].string() == "true")
        #expect(try node["f"].string() == "false")
        #expect(try node["z"].string() == nil)
        #expect(try node["missing"].string() == nil)
        #expect(try node["e"].string() == "")
        #expect(normalizationError { try node["a"].string() }?.code == .invalidField)
        #expect(normalizationError { try node["o"].string() }?.field == "o")
        #expect(try node["s"].requiredString() == "x")
        for key in ["z", "missing", "e"] {
            let error = normalizationError { try node[key].requiredString() }
            #expect(error?.code == .missingField && error?.field == key)
        }
    }

    @Test func ids() throws {
        let node = try root(
            #"{"s": "gid://shopify/Order/1", "big": 820982911946154508, "neg": -5, "f": 1.5, "e": 1e5, "E": 1E5, "#
                + #""b": true, "z": null, "blank": "  ", "a": [1]}"#
        )
        #expect(try node["s"].id() == "gid://shopify/Order/1")
        #expect(try node["big"].id() == "820982911946154508")
        #expect(try node["neg"].id() == "-5")
        for key in ["f", "e", "E", "b", "a"] {
            #expect(normalizationError { try node[key].id() }?.code == .invalidField, "\(key)")
        }
        for key in ["z", "missing", "blank"] {
            #expect(normalizationError { try node[key].id() }?.code == .missingField, "\(key)")
        }
    }

    @Test func integers() throws {
        let node = try root(
            #"{"n": 2, "s": "2", "neg": "-3", "exact": 2.0, "sci": "1e2", "frac": 2.5, "word": "two", "b": true, "#
                + #""big": 9223372036854775808, "z": null, "blank": ""}"#
        )
        #expect(try node["n"].int() == 2)
        #expect(try node["s"].int() == 2)
        #expect(try node["neg"].int() == -3)
        #expect(try node["exact"].int() == 2)
        #expect(try node["sci"].int() == 100)
        #expect(try node["z"].int() == nil)
        #expect(try node["blank"].int() == nil)
        #expect(try node["missing"].int() == nil)
        for key in ["frac", "word", "b", "big"] {
            #expect(normalizationError { try node[key].int() }?.code == .invalidField, "\(key)")
        }
    }

    @Test func booleans() throws {
        let node = try root(#"{"t": true, "f": false, "st": "true", "sf": "FALSE", "n": 1, "x": "yes", "z": null}"#)
        #expect(try node["t"].bool() == true)
        #expect(try node["f"].bool() == false)
        #expect(try node["st"].bool() == true)
        #expect(try node["sf"].bool() == false)
        #expect(try node["z"].bool() == nil)
        #expect(normalizationError { try node["n"].bool() }?.code == .invalidField)
        #expect(normalizationError { try node["x"].bool() }?.code == .invalidField)
    }

    @Test func quantities() throws {
        let node = try root(
            #"{"lines": [{"quantity": 2}, {"quantity": "3"}, {"quantity": -1}, {}, {"quantity": 1.5}]}"#)
        #expect(try node["lines"][0]["quantity"].quantity() == 2)
        #expect(try node["lines"][1]["quantity"].quantity() == 3)
        let negative = normalizationError { try node["lines"][2]["quantity"].quantity() }
        #expect(negative?.code == .negativeQuantity && negative?.field == "lines[2].quantity")
        let missing = normalizationError { try node["lines"][3]["quantity"].quantity() }
        #expect(missing?.code == .missingField && missing?.field == "lines[3].quantity")
        #expect(normalizationError { try node["lines"][4]["quantity"].quantity() }?.code == .invalidField)
    }

    @Test func money() throws {
        let node = try root(
            #"{"s": "45.90", "n": 89.99, "e": 1.5E2, "bad": "1.2.3", "sub": "45.901", "b": true, "o": {}, "z": "#
                + #"null, "blank": "", "float": 197.505}"#
        )
        #expect(try node["s"].money(eur)?.minorUnits == 4590)
        #expect(try node["n"].money(eur)?.minorUnits == 8999)
        #expect(try node["e"].money(eur)?.minorUnits == 15000)
        #expect(try node["z"].money(eur) == nil)
        #expect(try node["blank"].money(eur) == nil)
        #expect(try node["missing"].money(eur) == nil)
        for key in ["bad", "sub", "b", "o", "float"] {
            let error = normalizationError { try node[key].money(eur) }
            #expect(error?.code == .malformedMoney && error?.field == key, "\(key)")
        }
        #expect(try node["float"].moneyRoundingFloatArtefacts(eur)?.minorUnits == 19750)
        #expect(normalizationError { try node["bad"].money(eur) }?.description == #"bad: malformed money "1.2.3""#)
        #expect(try node["s"].requiredMoney(eur).minorUnits == 4590)
        #expect(normalizationError { try node["z"].requiredMoney(eur) }?.code == .missingField)
    }

    @Test func currencies() throws {
        let node = try root(#"{"eur": "EUR", "lower": " eur ", "xyz": "XYZ", "n": 978, "z": null, "blank": ""}"#)
        #expect(try node["eur"].currency() == eur)
        #expect(try node["lower"].currency() == eur)
        #expect(try node["z"].currency() == nil)
        #expect(try node["blank"].currency() == nil)
        let unknown = normalizationError { try node["xyz"].currency() }
        #expect(unknown?.code == .unknownCurrency && unknown?.field == "xyz" && unknown?.reason.contains("XYZ") == true)
        #expect(normalizationError { try node["n"].currency() }?.code == .unknownCurrency)
        #expect(normalizationError { try node["z"].requiredCurrency() }?.code == .missingField)
        #expect(try node["eur"].requiredCurrency() == eur)
    }

    @Test func timestamps() throws {
        let node = try root(
            #"{"t": "2021-12-31T19:00:00-05:00", "local": "2021-12-31T19:00:00", "#
                + #""bad": "yesterday", "z": null, "n": 5}"#
        )
        #expect(try node["t"].timestamp()?.rfc3339 == "2022-01-01T00:00:00Z")
        #expect(try node["z"].timestamp() == nil)
        #expect(try node["missing"].timestamp() == nil)
        for key in ["local", "bad", "n"] {
            #expect(normalizationError { try node[key].timestamp() }?.code == .invalidField, "\(key)")
        }
    }

    @Test func elementsAndObjects() throws {
        let node = try root(#"{"a": [1, 2], "o": {"k": 1}, "z": null, "s": "x"}"#)
        #expect(try node["a"].elements().count == 2)
        #expect(try node["a"].elements()[1].value == .number("2"))
        #expect(try node["z"].elements().isEmpty)
        #expect(try node["missing"].elements().isEmpty)
        #expect(normalizationError { try node["s"].elements() }?.code == .invalidField)
        #expect(normalizationError { try node["o"].elements() }?.code == .invalidField)
        #expect(try node["o"].object()?.keys == ["k"])
        #expect(try node["z"].object() == nil)
        #expect(normalizationError { try node["a"].object() }?.code == .invalidField)
    }

    @Test func errorDescriptions() {
        #expect(
            NormalizationError(.missingField, field: "totals.grand", "required").description == "totals.grand: required"
        )
        #expect(NormalizationError(.notJSON, field: nil, "unexpected end").description == "unexpected end")
        #expect(NormalizationError.Code.malformedMoney.description == "malformed_money")
        #expect(NormalizationError.Code.notJSON.description == "not_json")
        #expect(NormalizationError.Code.invalidUTF8.description == "invalid_utf8")
        #expect(NormalizationError.Code.unknownChannel.description == "unknown_channel")
        #expect(NormalizationError.Code.negativeQuantity != .missingField)
    }
}
