/// The deterministic generator behind every sample: SplitMix64 (Steele, Lea, Flood 2014). Small,
/// fast, and the same seed gives the same sequence on every platform and Swift version, which
/// `SystemRandomNumberGenerator` and the standard library's shuffles do not promise.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// A generator for one element of a family (an order of a run, a detail of an order), so that
    /// each can be produced on its own without replaying the ones before it.
    init(seed: UInt64, stream: UInt64, index: UInt64) {
        self.init(seed: Self.mix(seed ^ Self.mix(stream &+ Self.mix(index))))
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    // Draws written out here rather than through `Int.random(in:using:)`: the standard library
    // does not promise how many values those consume, so they could change a seed's output.

    /// A value in `range`, by rejection-free multiply-shift (bias below 2^-32 for our small ranges).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
    }

    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool {
        int(in: 0...99) < percent
    }

    mutating func pick<T>(_ elements: [T]) -> T {
        elements[int(in: 0...(elements.count - 1))]
    }

    /// An element chosen with probability proportional to its weight.
    mutating func pick<T>(weighted elements: [(T, Int)]) -> T {
        let total = elements.reduce(0) { $0 + $1.1 }
        var roll = int(in: 0...(total - 1))
        for (element, weight) in elements {
            if roll < weight { return element }
            roll -= weight
        }
        return elements[elements.count - 1].0
    }

    /// `count` distinct elements in random order (a partial Fisher-Yates shuffle).
    mutating func pick<T>(distinct count: Int, from elements: [T]) -> [T] {
        var pool = elements
        let wanted = min(count, pool.count)
        for position in 0..<wanted {
            pool.swapAt(position, int(in: position...(pool.count - 1)))
        }
        return Array(pool.prefix(wanted))
    }

    /// `count` decimal digits.
    mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(Unicode.Scalar(UInt8(ascii: "0") + UInt8(int(in: 0...9)))) })
    }

    /// `count` characters of `alphabet`.
    mutating func characters(_ count: Int, from alphabet: String) -> String {
        let characters = Array(alphabet)
        return String((0..<count).map { _ in pick(characters) })
    }
}
