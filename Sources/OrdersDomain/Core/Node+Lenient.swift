// Small lenient readers shared by the channel adapters (additive to Node; added by the Shopify/Woo/Shopware helper).
// "A real order with one odd field is normalised": optional text fields never refuse an order.

extension Node {
    /// Optional text, leniently: a string cleaned by `Text.clean` (NFC, trimmed, "" -> nil); a number or boolean as
    /// its literal; null, absent, arrays and objects -> nil (never an error).
    var cleanText: String? {
        switch value {
        case .string(let text)?: return Self.isCleanASCII(text) ? text : Text.clean(text)
        case .number(let literal)?: return literal
        case .bool(let flag)?: return flag ? "true" : "false"
        default: return nil
        }
    }

    /// Printable ASCII without surrounding spaces is exactly what `Text.clean` would return (no control characters,
    /// nothing to trim, ASCII is NFC): the common case skips the Unicode work.
    private static func isCleanASCII(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last, first != 0x20, last != 0x20 else { return false }
        return utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// The raw JSON here, for `channelStatus` (absent -> null, so the axis is still listed).
    var rawOrNull: JSONValue { value ?? .null }

    /// The member `key` when it is an object (a wrapper such as {"order": {...}}); else this node itself.
    func unwrapping(_ key: String) -> Node {
        let inner = self[key]
        if case .object? = inner.value { return inner }
        return self
    }

    /// `a + b`, or malformedMoney naming this field when the sum leaves the Int64 range.
    func adding(_ a: Money, _ b: Money) throws -> Money {
        do { return try a.adding(b) } catch { throw self.error(.malformedMoney, error.reason) }
    }

    /// `a - b`, or malformedMoney naming this field when the difference leaves the Int64 range.
    func subtracting(_ a: Money, _ b: Money) throws -> Money {
        do { return try a.subtracting(b) } catch { throw self.error(.malformedMoney, error.reason) }
    }

    /// The grand total from its parts, `items + shipping + tax - discount` added up in that order, or malformedMoney
    /// naming this field when a step leaves the Int64 range.
    func summingTotal(items: Money, shipping: Money, tax: Money, discount: Money) throws -> Money {
        try subtracting(try adding(try adding(items, shipping), tax), discount)
    }

    /// `a x n`, or malformedMoney naming this field when the product leaves the Int64 range.
    func multiplying(_ a: Money, by n: Int64) throws -> Money {
        do { return try a.multiplied(by: n) } catch { throw self.error(.malformedMoney, error.reason) }
    }
}

extension Text {
    /// "First Last" from optional parts (either may be missing); nil when both are.
    static func fullName(_ first: String?, _ last: String?) -> String? {
        switch (first, last) {
        case let (first?, last?): return first + " " + last
        case let (first, last): return first ?? last
        }
    }
}
