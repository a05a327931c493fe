/// A parsed JSON document. Numbers keep their literal text so that money and large ids are never
/// squeezed through a binary floating-point type.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number exactly as written in the document (already validated against the RFC 8259 grammar).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The member `key` when this is an object that has it; nil otherwise.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The text of a `.string`; nil for every other case (numbers are not strings).
    public var stringValue: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }
}

/// A JSON object that keeps its members in first-seen order (so serialising is deterministic and
/// follows the document or the code that built it). A repeated key keeps its first position and
/// takes the last value, as most parsers do; the parser lists such keys in `duplicateKeys`, so that a
/// reader (`Node`) can refuse to pick one of two values.
///
/// Lookup is a linear scan over 64-bit key fingerprints, not a dictionary: building a dictionary for
/// every parsed object cost more than all the lookups adapters make (most objects are read a few
/// times or not at all), while comparing fingerprints is a few nanoseconds even for Shopify's
/// 80-member orders.
///
/// Equality compares members in order: two objects with the same members in another order differ,
/// because their serialisations differ.
public struct JSONObject: Sendable, Equatable {
    struct Member: Sendable {
        let key: String
        var value: JSONValue
        let fingerprint: UInt64
    }

    private(set) var members: [Member]
    /// Keys the parsed document repeated in this object (empty for objects built in code).
    public private(set) var duplicateKeys: [String] = []

    public init() {
        members = []
    }

    public init(_ pairs: [(String, JSONValue)]) {
        members = []
        members.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// Built by the parser, duplicates still in (rare: checked in O(n) with a fingerprint table).
    init(parsedMembers: [Member]) {
        members = parsedMembers
        if Self.hasDuplicateKeys(parsedMembers) {
            members = []
            for member in parsedMembers {
                if self[member.key] != nil, !duplicateKeys.contains(member.key) { duplicateKeys.append(member.key) }
                self[member.key] = member.value
            }
        }
    }

    public var keys: [String] { members.map(\.key) }
    public var count: Int { members.count }

    /// Members in stored order.
    public var pairs: [(key: String, value: JSONValue)] { members.map { ($0.key, $0.value) } }

    public subscript(key: String) -> JSONValue? {
        get {
            guard let position = position(of: key, fingerprint: Self.fingerprint(key)) else { return nil }
            return members[position].value
        }
        set {
            let fingerprint = Self.fingerprint(key)
            if let position = position(of: key, fingerprint: fingerprint) {
                if let newValue {
                    members[position].value = newValue
                } else {
                    members.remove(at: position)
                }
            } else if let newValue {
                members.append(Member(key: key, value: newValue, fingerprint: fingerprint))
            }
        }
    }

    private func position(of key: String, fingerprint: UInt64) -> Int? {
        members.withUnsafeBufferPointer { members in
            for position in members.indices
            where members[position].fingerprint == fingerprint && members[position].key == key {
                return position
            }
            return nil
        }
    }

    /// A 64-bit hash of the key's UTF-8, eight bytes per step.
    static func fingerprint(_ key: String) -> UInt64 {
        if let hash = key.utf8.withContiguousStorageIfAvailable(fingerprint) { return hash }
        return Array(key.utf8).withUnsafeBufferPointer(fingerprint)
    }

    static func fingerprint(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        let count = bytes.count
        var hash = multiplier ^ UInt64(count)
        guard let base = bytes.baseAddress else { return hash }
        func mix(_ word: UInt64) {
            hash = (hash ^ word) &* multiplier
            hash ^= hash >> 32
        }
        func load64(_ offset: Int) -> UInt64 {
            UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
        }
        func load32(_ offset: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt32.self)))
        }
        // Whole words, then the tail as one (overlapping) load: the length is in the seed, so
        // overlapping reads cannot make two different keys collide systematically.
        if count >= 8 {
            var offset = 0
            while offset &+ 8 <= count {
                mix(load64(offset))
                offset &+= 8
            }
            if offset < count { mix(load64(count &- 8)) }
        } else if count >= 4 {
            mix(load32(0) << 32 | load32(count &- 4))
        } else if count > 0 {
            mix(UInt64(base[0]) << 16 | UInt64(base[count >> 1]) << 8 | UInt64(base[count &- 1]))
        }
        hash = (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return hash ^ (hash >> 32)
    }

    private static func hasDuplicateKeys(_ members: [Member]) -> Bool {
        guard members.count > 1 else { return false }
        if members.count <= 8 {
            for later in 1..<members.count {
                for earlier in 0..<later
                where members[earlier].fingerprint == members[later].fingerprint
                    && members[earlier].key == members[later].key
                {
                    return true
                }
            }
            return false
        }
        // Open addressing over fingerprints; positions are stored +1 so that 0 means empty.
        var capacity = 16
        while capacity < members.count * 2 { capacity <<= 1 }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { slots in
            slots.initialize(repeating: 0)
            for (position, member) in members.enumerated() {
                var slot = Int(truncatingIfNeeded: member.fingerprint) & (capacity - 1)
                while slots[slot] != 0 {
                    let other = members[slots[slot] - 1]
                    if other.fingerprint == member.fingerprint && other.key == member.key { return true }
                    slot = (slot + 1) & (capacity - 1)
                }
                slots[slot] = position + 1
            }
            return false
        }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (left, right) in zip(lhs.members, rhs.members) where left.key != right.key || left.value != right.value {
            return false
        }
        return true
    }
}
