import OrdersDomain
@testable import OrdersSamples
import Testing

@Suite("sample times in the channels' formats")
struct SampleTimeTests {
    private func t(_ text: String) -> UTCTimestamp { UTCTimestamp(rfc3339: text)! }

    @Test func centralEuropeanSummerTimeFollowsTheEURule() {
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        #expect(SampleTime.central(t("2026-03-29T00:59:59Z")) == "2026-03-29T01:59:59+01:00")
        #expect(SampleTime.central(t("2026-03-29T01:00:00Z")) == "2026-03-29T03:00:00+02:00")
        #expect(SampleTime.central(t("2026-10-25T00:59:59Z")) == "2026-10-25T02:59:59+02:00")
        #expect(SampleTime.central(t("2026-10-25T01:00:00Z")) == "2026-10-25T02:00:00+01:00")
        #expect(SampleTime.central(t("2024-12-31T23:30:00Z")) == "2025-01-01T00:30:00+01:00")
    }

    @Test func eachChannelsFormatReadsBackAsTheSameInstant() {
        let time = t("2026-07-14T09:08:07Z")
        #expect(SampleTime.utc(time) == "2026-07-14T09:08:07Z")
        #expect(SampleTime.utcMilliseconds(time) == "2026-07-14T09:08:07.000Z")
        #expect(SampleTime.utcWithOffset(time) == "2026-07-14T09:08:07.000+00:00")
        #expect(SampleTime.zoneless(time) == "2026-07-14T09:08:07")
        #expect(SampleTime.centralZoneless(time) == "2026-07-14T11:08:07")
        for text in [
            SampleTime.utc(time), SampleTime.utcMilliseconds(time), SampleTime.utcWithOffset(time),
            SampleTime.central(time),
        ] {
            #expect(UTCTimestamp(rfc3339: text) == time, "\(text)")
        }
    }

    @Test func shipByIsTheEndOfTheCentralEuropeanDay() {
        // 2 November 2026, 23:30 CET is already the 3rd in Berlin.
        #expect(SampleTime.endOfCentralDay(t("2026-11-02T23:30:00Z"), plusDays: 2) == t("2026-11-05T22:59:59Z"))
        #expect(SampleTime.endOfCentralDay(t("2026-07-14T09:00:00Z"), plusDays: 0) == t("2026-07-14T21:59:59Z"))
    }
}
