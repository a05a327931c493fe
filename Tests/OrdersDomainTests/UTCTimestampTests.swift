import Foundation
import Testing
@testable import OrdersDomain

@Suite("UTC timestamps")
struct UTCTimestampTests {
    private func millis(_ text: String) -> Int64? { UTCTimestamp(rfc3339: text)?.epochMilliseconds }

    @Test func parsesAndConvertsOffsetsToUTC() {
        #expect(millis("1970-01-01T00:00:00Z") == 0)
        #expect(millis("1970-01-01T00:00:00.001Z") == 1)
        #expect(millis("1969-12-31T23:59:59.999Z") == -1)
        #expect(UTCTimestamp(rfc3339: "2026-11-02T14:05:00Z")?.rfc3339 == "2026-11-02T14:05:00Z")
        #expect(UTCTimestamp(rfc3339: "2021-12-31T19:00:00-05:00")?.rfc3339 == "2022-01-01T00:00:00Z")
        #expect(UTCTimestamp(rfc3339: "2026-03-29T03:30:00+02:00")?.rfc3339 == "2026-03-29T01:30:00Z")
        #expect(UTCTimestamp(rfc3339: "2026-03-29T03:30:00+0200")?.rfc3339 == "2026-03-29T01:30:00Z")
        #expect(UTCTimestamp(rfc3339: "2026-01-01T00:30:00+05:45")?.rfc3339 == "2025-12-31T18:45:00Z")
        #expect(UTCTimestamp(rfc3339: "2026-11-02t14:05:00z")?.rfc3339 == "2026-11-02T14:05:00Z")
        #expect(UTCTimestamp(rfc3339: "2026-11-02 14:05:00Z")?.rfc3339 == "2026-11-02T14:05:00Z")
        #expect(UTCTimestamp(rfc3339: "2026-11-02T14:05:00-00:00")?.rfc3339 == "2026-11-02T14:05:00Z")
    }

    @Test func fractionsOfAnyLengthAreTruncatedToMilliseconds() {
        #expect(UTCTimestamp(rfc3339: "2026-11-02T14:05:00.5Z")?.rfc3339 == "2026-11-02T14:05:00.500Z")
        #expect(UTCTimestamp(rfc3339: "2026-11-02T14:05:00.123456789Z")?.rfc3339 == "2026-11-02T14:05:00.123Z")
        #expect(UTCTimestamp(rfc3339: "2026-11-02T14:05:00.9999Z")?.rfc3339 == "2026-11-02T14:05:00.999Z")
        #expect(UTCTimestamp(rfc3339: "2026-11-02T14:05:00.000Z")?.rfc3339 == "2026-11-02T14:05:00Z")
        #expect(
            UTCTimestamp(rfc3339: "2026-11-02T14:05:00." + String(repeating: "7", count: 500) + "Z")?.epochMilliseconds
                == UTCTimestamp(rfc3339: "2026-11-02T14:05:00.777Z")?.epochMilliseconds)
        #expect(UTCTimestamp(rfc3339: "2026-11-02T14:05:00.Z") == nil)
    }

    @Test func refusesImpossibleDatesAndTimes() {
        for bad in [
            "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-32T00:00:00Z", "2026-01-00T00:00:00Z",
            "2026-04-31T00:00:00Z", "2026-06-31T00:00:00Z", "2026-11-31T00:00:00Z", "2026-01-01T24:00:00Z",
            "2026-01-01T23:60:00Z", "2026-01-01T23:59:60Z", "2026-01-01T00:00:00+24:00",
            "2026-01-01T00:00:00+01:60",
        ] {
            #expect(UTCTimestamp(rfc3339: bad) == nil, "\(bad)")
        }
    }

    @Test func leapYears() {
        #expect(UTCTimestamp(rfc3339: "2024-02-29T12:00:00Z") != nil)
        #expect(UTCTimestamp(rfc3339: "2000-02-29T12:00:00Z") != nil)
        #expect(UTCTimestamp(rfc3339: "2023-02-29T12:00:00Z") == nil)
        #expect(UTCTimestamp(rfc3339: "1900-02-29T12:00:00Z") == nil)
        #expect(UTCTimestamp(rfc3339: "2100-02-29T12:00:00Z") == nil)
        #expect(UTCTimestamp(rfc3339: "2024-02-28T23:00:00-01:00")?.rfc3339 == "2024-02-29T00:00:00Z")
        #expect(UTCTimestamp(rfc3339: "2023-02-28T23:00:00-01:00")?.rfc3339 == "2023-03-01T00:00:00Z")
    }

    @Test func refusesMalformedText() {
        for bad in [
            "", "2026-11-02", "2026-11-02T14:05Z", "2026-11-02T14:05:00", "2026-11-02T14:05:00ZZ",
            "2026-11-02T14:05:00Z ", " 2026-11-02T14:05:00Z", "26-11-02T14:05:00Z", "2026-1-02T14:05:00Z",
            "2026/11/02T14:05:00Z", "2026-11-02T14:05:00+1", "2026-11-02T14:05:00+01:0", "2026-11-02X14:05:00Z",
            "２０２６-11-02T14:05:00Z", "2026-11-02T14:05:00GMT", "1478782800",
        ] {
            #expect(UTCTimestamp(rfc3339: bad) == nil, "\(bad.debugDescription)")
        }
    }

    @Test func zonelessUTCTakesNoZoneAsUTC() {
        #expect(UTCTimestamp(zonelessUTC: "2017-03-22T19:09:01")?.rfc3339 == "2017-03-22T19:09:01Z")
        #expect(UTCTimestamp(zonelessUTC: "2017-03-22T19:09:01.250")?.rfc3339 == "2017-03-22T19:09:01.250Z")
        #expect(UTCTimestamp(zonelessUTC: "2017-03-22T19:09:01+01:00")?.rfc3339 == "2017-03-22T18:09:01Z")
        #expect(UTCTimestamp(zonelessUTC: "2017-03-22T19:09:01Z")?.rfc3339 == "2017-03-22T19:09:01Z")
        #expect(UTCTimestamp(zonelessUTC: "2017-03-22") == nil)
        #expect(UTCTimestamp(rfc3339: "2017-03-22T19:09:01") == nil)
    }

    @Test func addingSecondsAndOrdering() throws {
        let placed = try #require(UTCTimestamp(rfc3339: "2026-11-02T14:05:00Z"))
        #expect(placed.adding(seconds: 48 * 3600).rfc3339 == "2026-11-04T14:05:00Z")
        #expect(placed.adding(seconds: -86400).rfc3339 == "2026-11-01T14:05:00Z")
        #expect(placed < placed.adding(seconds: 1))
        #expect(placed.adding(seconds: .max).epochMilliseconds == .max)
        #expect(placed.adding(seconds: .min).epochMilliseconds == .min)
        #expect(placed.description == "2026-11-02T14:05:00Z")
    }

    /// Property, with Foundation's ISO 8601 formatter as the oracle: random instants over years
    /// 0001-9999 (compared from 1600 on) format identically and parse back to themselves, also through a random offset.
    @Test func agreesWithFoundationAndRoundTrips() throws {
        let seed: UInt64 = 20_261_102
        var random = SeededRandom(seed: seed)
        let oracle = ISO8601DateFormatter()
        oracle.formatOptions = [.withInternetDateTime]
        oracle.timeZone = TimeZone(identifier: "UTC")
        let lowest: Int64 = -62_135_596_800_000  // 0001-01-01T00:00:00Z
        let highest: Int64 = 253_402_300_799_999  // 9999-12-31T23:59:59.999Z
        // Foundation switches to the Julian calendar before 1582, so it is an oracle from 1600 on.
        let oracleFrom: Int64 = -11_676_096_000_000  // 1600-01-01T00:00:00Z
        for _ in 0..<5_000 {
            let millis = Int64.random(in: lowest...highest, using: &random)
            let timestamp = UTCTimestamp(epochMilliseconds: millis)
            let text = timestamp.rfc3339
            #expect(UTCTimestamp(rfc3339: text) == timestamp, "seed \(seed): \(millis) \(text)")
            let wholeSeconds = millis - ((millis % 1000) + 1000) % 1000
            guard millis >= oracleFrom else { continue }
            let expected = oracle.string(from: Date(timeIntervalSince1970: Double(wholeSeconds / 1000)))
            #expect(text.hasPrefix(String(expected.dropLast())), "seed \(seed): \(text) vs Foundation \(expected)")
            // The same instant written in another zone.
            let offsetMinutes = Int.random(in: -(23 * 60 + 59)...(23 * 60 + 59), using: &random)
            let shifted = UTCTimestamp(epochMilliseconds: millis + Int64(offsetMinutes) * 60_000).rfc3339
            guard shifted.utf8.count >= 20, !shifted.hasPrefix("-"), !shifted.hasPrefix("10000") else { continue }
            let sign = offsetMinutes < 0 ? "-" : "+"
            let zone = sign + String(format: "%02d:%02d", abs(offsetMinutes) / 60, abs(offsetMinutes) % 60)
            let local = String(shifted.dropLast()) + zone
            #expect(UTCTimestamp(rfc3339: local) == timestamp, "seed \(seed): \(local) should be \(text)")
        }
    }
}
