/// Why a channel message cannot become a canonical order. Always names the field when there is one,
/// as a dotted path with indexes: "lines[2].quantity", "totals.grand".
public struct NormalizationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of refusal; extensible without breaking callers (backed by a private enum).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case notJSON = "not_json"
            case invalidUTF8 = "invalid_utf8"
            case notObject = "not_object"
            case tooLarge = "too_large"
            case tooDeep = "too_deep"
            case missingField = "missing_field"
            case invalidField = "invalid_field"
            case unknownCurrency = "unknown_currency"
            case negativeQuantity = "negative_quantity"
            case malformedMoney = "malformed_money"
            case unknownChannel = "unknown_channel"
        }

        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        public static let notJSON = Code(.notJSON)
        public static let invalidUTF8 = Code(.invalidUTF8)
        public static let notObject = Code(.notObject)
        public static let tooLarge = Code(.tooLarge)
        public static let tooDeep = Code(.tooDeep)
        public static let missingField = Code(.missingField)
        public static let invalidField = Code(.invalidField)
        public static let unknownCurrency = Code(.unknownCurrency)
        public static let negativeQuantity = Code(.negativeQuantity)
        public static let malformedMoney = Code(.malformedMoney)
        public static let unknownChannel = Code(.unknownChannel)

        /// The snake_case name, e.g. "malformed_money" (stable: stored in the rejects table).
        public var description: String { kind.rawValue }
    }

    public let code: Code
    public let field: String?
    public let reason: String

    /// Reasons quote input ("unknown currency code ..."): control characters in it are escaped here, once for every
    /// refusal, so that no reason can drive the terminal of whoever reads a log or `rejects show`.
    public init(_ code: Code, field: String?, _ reason: String) {
        self.code = code
        self.field = field.map { Text.escapingControlCharacters($0) }
        self.reason = Text.escapingControlCharacters(reason)
    }

    /// "totals.grand: malformed money \"1.2.3\""; just the reason when no field is involved.
    public var description: String {
        guard let field, !field.isEmpty else { return reason }
        return "\(field): \(reason)"
    }
}
