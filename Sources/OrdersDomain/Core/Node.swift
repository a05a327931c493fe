import Synchronization

/// A position in a parsed payload that knows its own path, so every refusal names the field:
/// "lines[2].quantity", "totals.grand". Adapters read all input through it.
public struct Node: Sendable {
    public let value: JSONValue?
    /// The path of the parent; the own path is built only when asked (errors are rare, lookups many).
    private let parentPath: String
    private let step: Step
    /// Only for a document with a repeated key: notes the first repeated key an adapter reads.
    private let duplicates: DuplicateKeyTrap?

    private enum Step: Sendable {
        case root
        case key(String)
        case index(Int)
    }

    public init(_ value: JSONValue?, path: String) {
        self.init(value, path: path, duplicates: nil)
    }

    init(_ value: JSONValue?, path: String, duplicates: DuplicateKeyTrap?) {
        self.value = value
        self.parentPath = path
        self.step = .root
        self.duplicates = duplicates
    }

    private init(_ value: JSONValue?, parentPath: String, step: Step, duplicates: DuplicateKeyTrap?) {
        self.value = value
        self.parentPath = parentPath
        self.step = step
        self.duplicates = duplicates
    }

    /// Dotted path with indexes; "" for the root.
    public var path: String {
        switch step {
        case .root: parentPath
        case .key(let key): parentPath.isEmpty ? key : parentPath + "." + key
        case .index(let index): parentPath + "[" + String(index) + "]"
        }
    }

    /// The member `key`; an absent node when this is not an object or has no such member.
    public subscript(key: String) -> Node {
        let child = Node(value?[key], parentPath: path, step: .key(key), duplicates: duplicates)
        if let duplicates, case .object(let object)? = value, object.duplicateKeys.contains(key) {
            duplicates.note(child.path)
        }
        return child
    }

    /// The element at `index`; an absent node when this is not an array or the index is out of range.
    public subscript(index: Int) -> Node {
        var element: JSONValue?
        if case .array(let elements)? = value, elements.indices.contains(index) { element = elements[index] }
        return Node(element, parentPath: path, step: .index(index), duplicates: duplicates)
    }

    /// Present and not null.
    public var exists: Bool {
        switch value {
        case nil, .null?: false
        default: true
        }
    }

    // MARK: Errors naming this field

    /// invalidField naming the first repeated key read below this document's root, if any was.
    func refuseReadDuplicateKey() throws(NormalizationError) {
        guard let path = duplicates?.first else { return }
        throw NormalizationError(.invalidField, field: path, "duplicate key: the object gives this field twice")
    }

    public func error(_ code: NormalizationError.Code, _ reason: String) -> NormalizationError {
        let path = self.path
        return NormalizationError(code, field: path.isEmpty ? nil : path, reason)
    }

    private func invalid(_ expected: String) -> NormalizationError {
        error(.invalidField, "expected \(expected), found \(kindName)")
    }

    private var kindName: String {
        switch value {
        case nil: "nothing"
        case .null?: "null"
        case .bool?: "a boolean"
        case .number(let literal)?: "the number \(literal.prefix(40))"
        case .string(let text)?: "the string \"\(text.prefix(40))\""
        case .array?: "an array"
        case .object?: "an object"
        }
    }

    // MARK: Typed readers

    /// Text of a string; the literal of a number; "true"/"false"; nil for null or absent.
    public func string() throws -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .number(let literal)?: return literal
        case .bool(let flag)?: return flag ? "true" : "false"
        case .array?, .object?: throw invalid("text")
        }
    }

    /// Like `string()`, but missing, null and empty are `missingField`.
    public func requiredString() throws -> String {
        guard let text = try string(), !text.isEmpty else { throw error(.missingField, "required") }
        return text
    }

    /// A required identifier: a string, or an integer literal kept exactly (ids above 2^53 survive). Control
    /// characters are refused: a NUL ends a text parameter in libpq, so "a\u{0}b" would be stored as "a".
    public func id() throws -> String {
        switch value {
        case nil, .null?: throw error(.missingField, "required id")
        case .string(let text)?:
            guard !Self.isBlank(text) else { throw error(.missingField, "required id is empty") }
            try refuseControlCharacters(text)
            return text
        case .number(let literal)?:
            guard !literal.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }) else {
                throw error(.invalidField, "id \(literal.prefix(40)) is not an integer")
            }
            return literal
        default: throw invalid("an id (string or integer)")
        }
    }

    /// An optional identifier (line ids, parcel ids): text (cleaned like `cleanText`) or a number's literal; nil
    /// for null, absent, blank or another type. Control characters are refused, as in `id()`.
    public func optionalID() throws -> String? {
        switch value {
        case .string(let text)?:
            if Self.isBlank(text) { return nil }
            try refuseControlCharacters(text)
            return Text.clean(text)
        case .number(let literal)?: return literal
        default: return nil
        }
    }

    private func refuseControlCharacters(_ id: String) throws(NormalizationError) {
        if let control = Text.firstControlCharacter(in: id) {
            throw error(.invalidField, "id contains the control character \(Text.codePoint(control))")
        }
    }

    /// An integer: a number literal or a numeric string ("2"); "2.0" and "1e2" count when exact.
    public func int() throws -> Int64? {
        guard let literal = try numericLiteral(otherwise: invalid("an integer")) else { return nil }
        do {
            return try DecimalLiteral.scaled(literal, scale: 0, roundHalfEven: false)
        } catch {
            throw invalid("an integer")
        }
    }

    /// true/false, or the strings "true"/"false" (any case).
    public func bool() throws -> Bool? {
        switch value {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case .string(let text)?:
            switch Self.trimmingASCIISpaces(text).lowercased() {
            case "true": return true
            case "false": return false
            case "": return nil
            default: throw invalid("a boolean")
            }
        default: throw invalid("a boolean")
        }
    }

    /// The most units one line may order or ship. Far above any real order line, and low enough that no sum of
    /// quantities or of unit price x quantity in a body of at most 1 MiB can leave the Int64 range unnoticed.
    public static let maxQuantity: Int64 = 1_000_000

    /// A required integer count in 0...`maxQuantity`.
    public func quantity() throws -> Int64 {
        guard let quantity = try int() else { throw error(.missingField, "required quantity") }
        return try checkedQuantity(quantity)
    }

    /// `quantity` when it is in 0...`maxQuantity`; else negativeQuantity or invalidField naming this field.
    public func checkedQuantity(_ quantity: Int64) throws(NormalizationError) -> Int64 {
        guard quantity >= 0 else { throw error(.negativeQuantity, "negative quantity \(quantity)") }
        guard quantity <= Self.maxQuantity else {
            throw error(.invalidField, "quantity \(quantity) is above the limit of \(Self.maxQuantity) units per line")
        }
        return quantity
    }

    /// An amount given as a string or a number literal; nil for null, absent or "".
    public func money(_ currency: Currency) throws -> Money? {
        try money(currency, roundingFloatArtefacts: false)
    }

    /// Like `money`, but rounds half-even to the minor unit a JSON number that looks like a printed double
    /// (20826.300000000003, 197.505: no exponent, at most 17 significant digits): only for channels that send float
    /// artefacts (see `Money.init(roundingFloatLiteral:currency:)`). Strings and other numbers (1e-400, 40 digits)
    /// must be exact, as in `money`.
    public func moneyRoundingFloatArtefacts(_ currency: Currency) throws -> Money? {
        guard case .number(let literal)? = value, Self.looksLikePrintedDouble(literal) else {
            return try money(currency)
        }
        return try money(currency, roundingFloatArtefacts: true)
    }

    /// What a double's shortest round-trip printing looks like: no exponent, at most 17 significant digits, and
    /// at most 6 zeros between the point and the first of them (PHP and JavaScript switch to an exponent for
    /// smaller values: 0.0000001 is no printed double).
    private static func looksLikePrintedDouble(_ literal: String) -> Bool {
        var significant = 0, leadingFractionZeros = 0, inFraction = false
        for byte in literal.utf8 {
            switch byte {
            case UInt8(ascii: "e"), UInt8(ascii: "E"): return false
            case UInt8(ascii: "."): inFraction = true
            case UInt8(ascii: "1")...UInt8(ascii: "9"): significant += 1
            case UInt8(ascii: "0"):
                if significant > 0 {
                    significant += 1
                } else if inFraction {
                    leadingFractionZeros += 1
                }
            default: continue
            }
        }
        return significant <= 17 && (significant == 0 || leadingFractionZeros <= 6)
    }

    private func money(_ currency: Currency, roundingFloatArtefacts: Bool) throws -> Money? {
        guard
            let literal = try numericLiteral(otherwise: error(.malformedMoney, "expected an amount, found \(kindName)"))
        else {
            return nil
        }
        do {
            return roundingFloatArtefacts
                ? try Money(roundingFloatLiteral: literal, currency: currency)
                : try Money(parsing: literal, currency: currency)
        } catch {
            throw self.error(.malformedMoney, error.reason)
        }
    }

    public func requiredMoney(_ currency: Currency) throws -> Money {
        guard let money = try money(currency) else { throw error(.missingField, "required amount") }
        return money
    }

    /// An ISO 4217 code (case and surrounding spaces forgiven); present but unknown is `unknownCurrency`.
    public func currency() throws -> Currency? {
        guard let raw = try string() else { return nil }
        let code = Self.trimmingASCIISpaces(raw)
        if code.isEmpty { return nil }
        guard let currency = Currency(code: code.uppercased()) else {
            throw error(.unknownCurrency, "unknown currency code \"\(code.prefix(40))\"")
        }
        return currency
    }

    public func requiredCurrency() throws -> Currency {
        guard let currency = try currency() else { throw error(.missingField, "required currency") }
        return currency
    }

    /// An RFC 3339 time with a zone; nil for null, absent or ""; anything else is `invalidField`.
    public func timestamp() throws -> UTCTimestamp? {
        guard let text = try string() else { return nil }
        if Self.isBlank(text) { return nil }
        guard let timestamp = UTCTimestamp(rfc3339: text) else {
            throw error(
                .invalidField, "not an RFC 3339 time with zone in the years 0001-9999: \"\(text.prefix(40))\"")
        }
        return timestamp
    }

    /// The children of an array; [] for null or absent.
    public func elements() throws -> [Node] {
        switch value {
        case nil, .null?: return []
        case .array(let elements)?:
            let path = self.path
            return elements.indices.map {
                Node(elements[$0], parentPath: path, step: .index($0), duplicates: duplicates)
            }
        default: throw invalid("an array")
        }
    }

    /// The object; nil for null or absent.
    public func object() throws -> JSONObject? {
        switch value {
        case nil, .null?: return nil
        case .object(let object)?: return object
        default: throw invalid("an object")
        }
    }

    // MARK: Helpers

    /// The literal of a number, or of a string (trimmed of ASCII spaces) that `int` and `money` read as one; nil for
    /// null, absent or a blank string. Any other value throws `mismatch`.
    private func numericLiteral(otherwise mismatch: @autoclosure () -> NormalizationError) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case .number(let text)?: return text
        case .string(let text)?:
            let trimmed = Self.trimmingASCIISpaces(text)
            return trimmed.isEmpty ? nil : trimmed
        default: throw mismatch()
        }
    }

    private static func isBlank(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    static func trimmingASCIISpaces(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { !isSpace($0) }) else { return "" }
        guard let last = utf8.lastIndex(where: { !isSpace($0) }) else { return "" }
        if first == utf8.startIndex, utf8.index(after: last) == utf8.endIndex { return text }
        return String(text[first...last])
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

/// The first repeated key an adapter read in one document: `{"externalId": "1", "externalId": "2"}` has no single
/// value to take, so `Normalizer` refuses it. Keys nobody reads may repeat.
final class DuplicateKeyTrap: Sendable {
    private let firstPath = Mutex<String?>(nil)

    func note(_ path: String) {
        firstPath.withLock { if $0 == nil { $0 = path } }
    }

    var first: String? { firstPath.withLock { $0 } }
}
