/// Limits that keep a hostile document from exhausting memory or time.
public struct JSONLimits: Sendable {
    /// Deepest nesting of arrays and objects accepted; `[[1]]` has depth 2. Capped at `hardMaxDepth`.
    public var maxDepth = 64

    /// The parser itself is iterative, but releasing, comparing and serialising a value recurse
    /// through its nesting; this ceiling keeps that far inside any thread's stack, whatever
    /// `maxDepth` a caller sets.
    public static let hardMaxDepth = 1_000

    public init(maxDepth: Int = 64) {
        self.maxDepth = maxDepth
    }
}

/// Why a document was refused, and where (byte offset into the input).
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public let offset: Int
    public let isInvalidUTF8: Bool
    public let isTooDeep: Bool

    public init(reason: String, offset: Int, isInvalidUTF8: Bool = false, isTooDeep: Bool = false) {
        self.reason = reason
        self.offset = offset
        self.isInvalidUTF8 = isInvalidUTF8
        self.isTooDeep = isTooDeep
    }

    public var description: String { "\(reason) at byte \(offset)" }
}

/// Namespace for our own JSON reader and writer.
public enum JSON: Sendable {
    /// Parses one JSON text: RFC 8259, strict UTF-8 (overlong forms, surrogates and code points above
    /// U+10FFFF are refused, also when written as `\u` escapes), numbers kept as literal text, nothing
    /// but whitespace after the value. A leading UTF-8 byte order mark is skipped (RFC 8259 §8.1 allows it).
    ///
    /// The reader is iterative (an explicit stack on the heap), so no input can overflow the call stack;
    /// `limits.maxDepth` bounds the nesting and is checked before each container is opened.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(JSONParseError) -> JSONValue {
        try parseNotingDuplicateKeys(bytes, limits: limits).value
    }

    /// Like `parse`, and says whether any object repeated a key (see `JSONObject.duplicateKeys`).
    static func parseNotingDuplicateKeys(
        _ bytes: [UInt8], limits: JSONLimits
    ) throws(JSONParseError) -> (value: JSONValue, hasDuplicateKeys: Bool) {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) -> (value: JSONValue, hasDuplicateKeys: Bool) in
                var reader = JSONReader(buffer, maxDepth: limits.maxDepth)
                let value = try reader.readDocument()
                return (value, reader.hasDuplicateKeys)
            }
        }
        return try result.get()
    }
}

/// The parser state over one borrowed buffer. Each open container collects its own elements
/// (appended in place, moved out when it closes), so building a value copies nothing twice.
private struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private let maxDepth: Int

    /// An open container. An object member is appended when its key is read (value `.null` until
    /// the value is complete), so the key String moves straight into place.
    private struct Frame {
        let isObject: Bool
        var elements: [JSONValue] = []
        var members: [JSONObject.Member] = []
    }

    private var frames: [Frame] = []
    /// Whether some object of the document repeated a key.
    private(set) var hasDuplicateKeys = false
    /// Size of the container last closed at each depth: sibling containers usually have the same
    /// shape (line items, addresses), so this is a good initial capacity and saves regrowing.
    private var sizeHints: [Int] = []
    /// Reused buffer for strings with escapes.
    private var scratch: [UInt8] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = min(max(0, maxDepth), JSONLimits.hardMaxDepth)
    }

    // MARK: Document and containers

    mutating func readDocument() throws(JSONParseError) -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        guard position < bytes.count else { throw failure("empty document") }

        var value: JSONValue
        parsing: while true {
            // Read one value, opening containers as we meet them.
            skipWhitespace()
            guard position < bytes.count else { throw failure("unexpected end of input, expected a value") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                try open(isObject: true)
                skipWhitespace()
                if peek(UInt8(ascii: "}")) {
                    position += 1
                    frames.removeLast()
                    value = .object(JSONObject())
                } else {
                    try readMemberKey()
                    continue parsing
                }
            case UInt8(ascii: "["):
                try open(isObject: false)
                skipWhitespace()
                if peek(UInt8(ascii: "]")) {
                    position += 1
                    frames.removeLast()
                    value = .array([])
                } else {
                    continue parsing
                }
            case UInt8(ascii: "\""):
                value = .string(try readString())
            case UInt8(ascii: "t"):
                try readKeyword("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try readKeyword("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try readKeyword("null")
                value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try readNumber())
            default:
                throw unexpectedByte("expected a value")
            }

            // Hand the finished value to the enclosing containers, closing those that end here.
            while !frames.isEmpty {
                let top = frames.count - 1
                let isObject = frames[top].isObject
                if isObject {
                    frames[top].members[frames[top].members.count - 1].value = value
                } else {
                    frames[top].elements.append(value)
                }
                skipWhitespace()
                guard position < bytes.count else {
                    throw failure("unexpected end of input inside \(isObject ? "an object" : "an array")")
                }
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: ",") {
                    if isObject { try readMemberKey() }
                    continue parsing
                }
                guard byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    position -= 1
                    throw unexpectedByte(isObject ? "expected ',' or '}'" : "expected ',' or ']'")
                }
                let frame = frames.removeLast()
                let count = isObject ? frame.members.count : frame.elements.count
                while sizeHints.count <= top { sizeHints.append(0) }
                sizeHints[top] = count
                if isObject {
                    let object = JSONObject(parsedMembers: frame.members)
                    if !object.duplicateKeys.isEmpty { hasDuplicateKeys = true }
                    value = .object(object)
                } else {
                    value = .array(frame.elements)
                }
            }
            break parsing
        }

        skipWhitespace()
        guard position == bytes.count else { throw unexpectedByte("trailing data after the JSON value") }
        return value
    }

    private mutating func open(isObject: Bool) throws(JSONParseError) {
        guard frames.count < maxDepth else {
            throw JSONParseError(reason: "nesting deeper than \(maxDepth)", offset: position, isTooDeep: true)
        }
        var frame = Frame(isObject: isObject)
        let depth = frames.count
        if depth < sizeHints.count, sizeHints[depth] > 1 {
            let capacity = min(sizeHints[depth], 256)
            if isObject { frame.members.reserveCapacity(capacity) } else { frame.elements.reserveCapacity(capacity) }
        }
        frames.append(frame)
        position += 1
    }

    /// `"key" :` — leaves the position at the member's value.
    private mutating func readMemberKey() throws(JSONParseError) {
        skipWhitespace()
        guard peek(UInt8(ascii: "\"")) else { throw unexpectedByte("expected a member name in double quotes") }
        let (key, fingerprint) = try readString { (String(decoding: $0, as: UTF8.self), JSONObject.fingerprint($0)) }
        frames[frames.count - 1].members.append(JSONObject.Member(key: key, value: .null, fingerprint: fingerprint))
        skipWhitespace()
        guard peek(UInt8(ascii: ":")) else { throw unexpectedByte("expected ':' after the member name") }
        position += 1
    }

    // MARK: Scalars

    private mutating func readKeyword(_ keyword: StaticString) throws(JSONParseError) {
        let length = keyword.utf8CodeUnitCount
        guard position + length <= bytes.count else { throw unexpectedByte("expected a value") }
        let expected = UnsafeBufferPointer(start: keyword.utf8Start, count: length)
        for offset in 0..<length where bytes[position + offset] != expected[offset] {
            position += offset
            throw unexpectedByte("expected a value")
        }
        position += length
    }

    /// Validates the RFC 8259 number grammar and returns the literal unchanged.
    private mutating func readNumber() throws(JSONParseError) -> String {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw unexpectedByte("expected a digit") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) { throw unexpectedByte("leading zero in a number") }
        } else {
            skipDigits()
        }
        if peek(UInt8(ascii: ".")) {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw unexpectedByte("expected a digit after '.'")
            }
            skipDigits()
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            position += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw unexpectedByte("expected a digit in the exponent")
            }
            skipDigits()
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// Reads a string value: runs without escapes become Strings straight from the input bytes.
    private mutating func readString() throws(JSONParseError) -> String {
        try readString { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads a string starting at its opening quote and hands its UTF-8 to `body`: a slice of the
    /// input when there are no escapes, else the decoded `scratch`.
    private mutating func readString<Result>(
        _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) throws(JSONParseError) -> Result {
        position += 1  // opening quote
        let start = position
        var runStart = position
        var usedScratch = false
        while true {
            skipPlainASCII()
            guard position < bytes.count else { throw JSONParseError(reason: "unterminated string", offset: start - 1) }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
                position += 1
                if !usedScratch { return body(run) }
                scratch.append(contentsOf: run)
                return scratch.withUnsafeBufferPointer(body)
            } else if byte == UInt8(ascii: "\\") {
                if !usedScratch {
                    usedScratch = true
                    scratch.removeAll(keepingCapacity: true)
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                try readEscape()
                runStart = position
            } else if byte < 0x20 {
                throw unexpectedByte("unescaped control character in a string")
            } else if byte < 0x80 {
                position += 1
            } else {
                try skipUTF8Sequence()
            }
        }
    }

    /// Skips bytes that need no attention inside a string (ASCII other than '"', '\\' and controls),
    /// eight at a time: most of a document's bytes are in such runs.
    private mutating func skipPlainASCII() {
        guard let base = bytes.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        while position &+ 8 <= bytes.count {
            let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
            let quotes = word ^ (ones &* 0x22)
            let backslashes = word ^ (ones &* 0x5C)
            // A byte is zero in `quotes`/`backslashes`, below 0x20, or has its high bit set.
            let special =
                ((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes)
                | ((word &- ones &* 0x20) & ~word) | word
            if special & highBits != 0 { return }
            position &+= 8
        }
    }

    /// Decodes one escape (position at the backslash) into `scratch`.
    private mutating func readEscape() throws(JSONParseError) {
        let escapeStart = position
        position += 1
        guard position < bytes.count else { throw JSONParseError(reason: "unterminated string", offset: escapeStart) }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else {
                    throw JSONParseError(reason: "lone surrogate \\u\(hex(scalar))", offset: escapeStart)
                }
                position += 2
                let low = try readHex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONParseError(
                        reason: "high surrogate \\u\(hex(scalar)) not followed by a low surrogate", offset: escapeStart)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw JSONParseError(reason: "lone surrogate \\u\(hex(scalar))", offset: escapeStart)
            }
            appendUTF8(scalar)
        default:
            position -= 1
            throw unexpectedByte("invalid escape")
        }
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("incomplete \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw unexpectedByte("invalid hex digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(0xC0 | UInt8(scalar >> 6))
            scratch.append(0x80 | UInt8(scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(0xE0 | UInt8(scalar >> 12))
            scratch.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            scratch.append(0x80 | UInt8(scalar & 0x3F))
        default:
            scratch.append(0xF0 | UInt8(scalar >> 18))
            scratch.append(0x80 | UInt8(scalar >> 12 & 0x3F))
            scratch.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            scratch.append(0x80 | UInt8(scalar & 0x3F))
        }
    }

    /// Steps over one multi-byte UTF-8 sequence, refusing anything Unicode Table 3-7 does not allow
    /// (overlong forms, surrogates U+D800-DFFF, code points above U+10FFFF, truncated sequences).
    private mutating func skipUTF8Sequence() throws(JSONParseError) {
        let lead = bytes[position]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw invalidUTF8()
        }
        guard position + length <= bytes.count, secondRange.contains(bytes[position + 1]) else { throw invalidUTF8() }
        for offset in 2..<max(2, length) where bytes[position + offset] & 0xC0 != 0x80 {
            throw invalidUTF8()
        }
        position += length
    }

    // MARK: Helpers

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    private func peek(_ byte: UInt8) -> Bool {
        position < bytes.count && bytes[position] == byte
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private func failure(_ reason: String) -> JSONParseError {
        JSONParseError(reason: reason, offset: position)
    }

    private func invalidUTF8() -> JSONParseError {
        JSONParseError(reason: "invalid UTF-8", offset: position, isInvalidUTF8: true)
    }

    /// A syntax error at the current byte; a byte that is not even valid UTF-8 is reported as such,
    /// so that a binary body is `invalidUTF8`, not merely "not JSON".
    private mutating func unexpectedByte(_ reason: String) -> JSONParseError {
        guard position < bytes.count else { return failure("unexpected end of input, \(reason)") }
        let byte = bytes[position]
        if byte >= 0x80 {
            let saved = position
            do {
                try skipUTF8Sequence()
            } catch {
                return error
            }
            position = saved
        }
        let shown =
            byte >= 0x20 && byte < 0x7F
            ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
        return failure("\(reason), found \(shown)")
    }
}
