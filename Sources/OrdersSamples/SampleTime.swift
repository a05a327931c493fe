import OrdersDomain

/// Timestamps written the way each channel writes them. Shops in the EU run on Central European
/// Time, so local times use CET/CEST with the EU rule (summer time from the last Sunday of March to
/// the last Sunday of October, switching at 01:00 UTC).
enum SampleTime {
    /// "2026-11-02T14:05:00Z" (Amazon).
    static func utc(_ time: UTCTimestamp) -> String {
        time.rfc3339
    }

    /// "2026-11-02T14:05:00.000Z" (eBay: always milliseconds).
    static func utcMilliseconds(_ time: UTCTimestamp) -> String {
        let text = String(time.rfc3339.dropLast())
        return (text.contains(".") ? text : text + ".000") + "Z"
    }

    /// "2023-05-04T13:36:26.557+00:00" (Shopware).
    static func utcWithOffset(_ time: UTCTimestamp) -> String {
        String(utcMilliseconds(time).dropLast()) + "+00:00"
    }

    /// "2026-11-02T15:05:00+01:00" (Shopify: the shop's local time with its offset).
    static func central(_ time: UTCTimestamp) -> String {
        let offset = centralOffsetSeconds(at: time)
        let hours = offset / 3600
        return zoneless(time.adding(seconds: offset)) + "+0\(hours):00"
    }

    /// "2026-11-02T15:05:00": the shop's local time without a zone (WooCommerce `date_created`).
    static func centralZoneless(_ time: UTCTimestamp) -> String {
        zoneless(time.adding(seconds: centralOffsetSeconds(at: time)))
    }

    /// "2026-11-02T14:05:00": UTC without a zone (WooCommerce `*_gmt`).
    static func zoneless(_ time: UTCTimestamp) -> String {
        String(UTCTimestamp(epochMilliseconds: time.epochMilliseconds / 1000 * 1000).rfc3339.dropLast())
    }

    /// 23:59:59 Central European time on the day `days` after `time`'s day, in UTC: how shops state
    /// a ship-by promise ("ship within two days").
    static func endOfCentralDay(_ time: UTCTimestamp, plusDays days: Int64) -> UTCTimestamp {
        let localDay =
            floorDiv(time.adding(seconds: centralOffsetSeconds(at: time)).epochMilliseconds, 86_400_000) + days
        let localEnd = UTCTimestamp(epochMilliseconds: (localDay + 1) * 86_400_000 - 1000)
        return localEnd.adding(seconds: -centralOffsetSeconds(at: localEnd))
    }

    /// 3600 (CET) or 7200 (CEST).
    static func centralOffsetSeconds(at time: UTCTimestamp) -> Int64 {
        let seconds = floorDiv(time.epochMilliseconds, 1000)
        let year = civilYear(daysSinceEpoch: floorDiv(seconds, 86_400))
        let summerStart = lastSunday(year: year, month: 3) * 86_400 + 3600
        let summerEnd = lastSunday(year: year, month: 10) * 86_400 + 3600
        return seconds >= summerStart && seconds < summerEnd ? 7200 : 3600
    }

    // MARK: calendar arithmetic (proleptic Gregorian; H. Hinnant's days_from_civil / civil_from_days)

    /// Days since 1970-01-01 of the last Sunday of `month` in `year`.
    static func lastSunday(year: Int64, month: Int64) -> Int64 {
        let firstOfNext =
            month == 12
            ? daysFromCivil(year: year + 1, month: 1, day: 1) : daysFromCivil(year: year, month: month + 1, day: 1)
        let lastDay = firstOfNext - 1
        let weekday = floorMod(lastDay + 4, 7)  // 1970-01-01 was a Thursday (4); Sunday is 0
        return lastDay - weekday
    }

    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilYear(daysSinceEpoch days: Int64) -> Int64 {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        return yearOfEra + era * 400 + (monthIndex >= 10 ? 1 : 0)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        a - floorDiv(a, b) * b
    }
}
