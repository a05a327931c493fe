// The coupon and discount codes a buyer used on an order (SPEC 3.3 `discountCodes`): what lets orderflow recognise
// a redeemed apology voucher. Each adapter reads them from its channel's fields; all go through `DiscountCodeList`,
// so every channel keeps them the same way: trimmed and NFC, one entry per code (compared case-insensitively, as
// shops do), in the order the channel lists them.

/// A code the buyer used, with what it took off when the channel says (in the order's currency).
public struct DiscountCode: Sendable, Equatable {
    public var code: String
    /// The positive amount the code took off; nil when the channel does not say.
    public var amount: Money?

    public init(code: String, amount: Money? = nil) {
        self.code = code
        self.amount = amount
    }

    /// Longest code kept (Shopify's limit; WooCommerce and Shopware allow less).
    public static let maxBytes = 255
    /// Most codes one order may carry: far above any real checkout, low enough to bound the redemption lookup.
    public static let maxPerOrder = 100

    /// The form codes are compared in: shops treat "sorry-abc" and "SORRY-ABC" as one code.
    public var matchKey: String { code.uppercased() }
}

extension Node {
    /// A discount code: text (or a number's literal), trimmed and NFC; nil for null, absent or blank. Control
    /// characters are refused (a code ends up in SQL parameters and operators' terminals), and so is a code longer
    /// than `DiscountCode.maxBytes`.
    func discountCode() throws -> String? {
        let raw: String
        switch value {
        case .string(let text)?: raw = text
        case .number(let literal)?: raw = literal
        case nil, .null?: return nil
        default: throw error(.invalidField, "expected a code (text)")
        }
        if let control = Text.firstControlCharacter(in: raw) {
            throw error(.invalidField, "code contains the control character \(Text.codePoint(control))")
        }
        guard let code = Text.clean(raw) else { return nil }
        guard code.utf8.count <= DiscountCode.maxBytes else {
            throw error(.invalidField, "code is longer than \(DiscountCode.maxBytes) bytes")
        }
        return code
    }
}

/// Collects an order's codes: a code listed again (per line, or in two of the channel's fields) is one entry.
struct DiscountCodeList {
    private(set) var codes: [DiscountCode] = []
    /// The array the codes come from, named when there are too many.
    private let field: Node

    init(field: Node) { self.field = field }

    /// Adds `code`; a code already listed gets `amount` added to its own (`summing`: the same code's share on
    /// another line) or keeps its own (a second mention of the same discount, whose amount is already counted).
    /// An amount is taken as positive: channels list discounts as negative amounts or positive ones.
    mutating func add(_ code: String?, amount: Money?, at node: Node, summing: Bool = true) throws {
        guard let code else { return }
        let positive = try amount.map { $0.isNegative ? try node.subtracting(.zero($0.currency), $0) : $0 }
        let key = code.uppercased()
        if let index = codes.firstIndex(where: { $0.matchKey == key }) {
            guard let positive else { return }
            if let known = codes[index].amount {
                if summing { codes[index].amount = try node.adding(known, positive) }
            } else {
                codes[index].amount = positive
            }
            return
        }
        guard codes.count < DiscountCode.maxPerOrder else {
            throw field.error(.invalidField, "more than \(DiscountCode.maxPerOrder) discount codes")
        }
        codes.append(DiscountCode(code: code, amount: positive))
    }
}
