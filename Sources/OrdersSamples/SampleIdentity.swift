/// Which sample an order is: the run's seed and the order's index in the run. Every channel derives
/// its native order id from `serial`, which is unique per (seed, index), so two runs with different
/// seeds never produce the same order, and a run repeated with its seed reproduces its orders.
public struct SampleIdentity: Sendable, Hashable {
    /// Seeds are at most nine digits so that seed and index fit the 17 digits every channel's id
    /// format can carry (Amazon's 3-7-7 digits is the narrowest).
    public static let seeds: ClosedRange<UInt64> = 0...999_999_999
    /// At most this many orders per run (eight digits of the serial).
    public static let maximumCount = 100_000_000

    public let seed: UInt64
    public let index: Int
    /// Shifts the serials of one family (a channel's orders) so that families do not share digits.
    let salt: UInt64

    public init(seed: UInt64, index: Int) {
        self.init(seed: seed, index: index, salt: 0)
    }

    init(seed: UInt64, index: Int, salt: UInt64) {
        precondition(Self.seeds.contains(seed), "sample seed \(seed) out of range \(Self.seeds)")
        precondition((0..<Self.maximumCount).contains(index), "sample index \(index) out of range")
        self.seed = seed
        self.index = index
        self.salt = salt % Self.modulus
    }

    /// seed × 10^8 + index, scrambled by invertible steps modulo 10^17: still one distinct number
    /// per (seed, index), but ids look like a real shop's rather than "42000000017".
    var serial: UInt64 {
        let plain = seed * 100_000_000 + UInt64(index)
        // An affine map alone keeps the low digits a function of the low digits (of the index only);
        // rotating the digits between two rounds lets every digit depend on seed and index.
        let mixed = Self.affine(plain)
        return (Self.affine(mixed % 100_000_000 * 1_000_000_000 + mixed / 100_000_000) + salt) % Self.modulus
    }

    private static let modulus: UInt64 = 100_000_000_000_000_000

    /// x × 0x5DEECE66D + c mod 10^17: the multiplier is odd and no multiple of 5, so coprime with
    /// 10^17, which makes the map a bijection.
    private static func affine(_ value: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: 0x5_DEEC_E66D)
        let (_, remainder) = modulus.dividingFullWidth((product.high, product.low))
        return (remainder + 31_415_926_535_897) % modulus
    }

    /// The serial as exactly 17 digits (leading zeros kept).
    var serialDigits: String {
        let text = String(serial)
        return String(repeating: "0", count: 17 - text.count) + text
    }

    /// The serial's digits in groups, e.g. [3, 7, 7] gives "302-8836514-7726410".
    func serialDigits(grouped sizes: [Int]) -> String {
        var rest = Substring(serialDigits)
        var groups: [Substring] = []
        for size in sizes {
            groups.append(rest.prefix(size))
            rest = rest.dropFirst(size)
        }
        return groups.joined(separator: "-")
    }

    /// A positive integer id (the serial plus one, so never 0).
    var numericID: UInt64 { serial + 1 }
}
