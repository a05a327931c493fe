@testable import OrdersSamples
import Testing

@Suite("sample identities")
struct SampleIdentityTests {
    @Test func serialsAreSeventeenDigitsAndDistinctAtTheCorners() {
        let seeds = [SampleIdentity.seeds.lowerBound, 1, SampleIdentity.seeds.upperBound]
        let indexes = [0, 1, SampleIdentity.maximumCount - 1]
        var serials: Set<UInt64> = []
        for seed in seeds {
            for index in indexes {
                let identity = SampleIdentity(seed: seed, index: index)
                #expect(identity.serialDigits.count == 17)
                #expect(identity.serial < 100_000_000_000_000_000)
                serials.insert(identity.serial)
            }
        }
        #expect(serials.count == seeds.count * indexes.count)
    }

    /// The serial is an affine bijection modulo 10^17, so any two (seed, index) pairs differ;
    /// sampled here over neighbouring seeds and indexes, where a weak map would collide first.
    @Test func neighbouringSeedsAndIndexesNeverCollide() {
        var seen: Set<UInt64> = []
        for seed: UInt64 in 0..<40 {
            for index in 0..<2000 { seen.insert(SampleIdentity(seed: seed, index: index).serial) }
        }
        #expect(seen.count == 40 * 2000)
    }

    @Test func groupedDigitsKeepEveryDigit() {
        let identity = SampleIdentity(seed: 42, index: 17)
        let grouped = identity.serialDigits(grouped: [3, 7, 7])
        #expect(grouped.count == 19)
        #expect(grouped.filter { $0 != "-" } == identity.serialDigits)
    }
}
