/// Voucher codes: 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), drawn from the
/// system's cryptographic random source (getrandom on Linux), about 59 bits each. Uniqueness is the
/// database's job (primary key); a collision fails that one transaction, which is retried.
public enum VoucherCode {
    public static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    public static let length = 12

    public static func make() -> String {
        var random = SystemRandomNumberGenerator()
        return make(using: &random)
    }

    public static func make(using generator: inout some RandomNumberGenerator) -> String {
        // `Int.random(in:using:)` draws without modulo bias.
        String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Whether `text` could be a code: for reading codes back from operators.
    public static func isWellFormed(_ text: String) -> Bool {
        text.count == length && text.allSatisfy(alphabet.contains)
    }
}
