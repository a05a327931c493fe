/// A small deterministic generator (SplitMix64) for property tests: a failure prints its seed and
/// the failing value, and the same seed reproduces it.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Values spread over all magnitudes (uniform Int64 would almost never be small): a random
    /// number of decimal digits, then a random value of that size, random sign.
    mutating func int64AcrossMagnitudes() -> Int64 {
        let digits = Int.random(in: 0...19, using: &self)
        let bound: UInt64 = digits >= 19 ? UInt64(Int64.max) : (0..<digits).reduce(1) { value, _ in value * 10 }
        let magnitude = UInt64.random(in: 0...bound, using: &self)
        let value = Int64(clamping: magnitude)
        return Bool.random(using: &self) ? value : (value == 0 ? 0 : -value)
    }
}
