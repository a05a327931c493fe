import OrdersDomain

/// Shorthands for writing channel payloads as literals. Money is written from `Money`, never from a
/// floating-point value: as the channel's decimal string, or as a JSON number literal built from it.
extension JSONValue {
    /// An object with members in the order written.
    static func fields(_ members: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(JSONObject(members.map { ($0.key, $0.value) }))
    }

    /// This object with `key` appended when there is a value (a key left out rather than null).
    func adding(_ key: String, _ value: JSONValue?) -> JSONValue {
        guard let value, case .object(var object) = self else { return self }
        object[key] = value
        return .object(object)
    }

    /// A string, or null.
    static func text(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }

    static func integer<Integer: BinaryInteger>(_ value: Integer) -> JSONValue {
        .number(String(value))
    }

    /// "45.90": the money's decimal string with the currency's minor-unit digits.
    static func amount(_ money: Money) -> JSONValue {
        .string(money.decimalString)
    }

    /// 45.9 as a JSON number (shops built on floats), from the exact decimal text.
    static func floatAmount(_ money: Money) -> JSONValue {
        .number(SampleMoney.floatLiteral(money))
    }
}
