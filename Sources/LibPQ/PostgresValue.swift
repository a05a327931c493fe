/// A statement parameter. Values travel separately from the SQL text, so nothing is ever quoted by hand.
public enum PostgresValue: Sendable, Hashable {
    case null
    /// Sent in text format; the server casts it to the parameter's type (`int8`, `timestamptz`, `jsonb`, ...).
    case text(String)
    /// Sent in binary format, for `bytea` parameters.
    case bytes([UInt8])

    public static func int(_ value: Int64) -> PostgresValue { .text(String(value)) }
    public static func int(_ value: Int) -> PostgresValue { .text(String(value)) }
    public static func bool(_ value: Bool) -> PostgresValue { .text(value ? "true" : "false") }
    public static func optional(_ value: String?) -> PostgresValue { value.map(PostgresValue.text) ?? .null }
    public static func optional(_ value: Int64?) -> PostgresValue { value.map(PostgresValue.int) ?? .null }
}
