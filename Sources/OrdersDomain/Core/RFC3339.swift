/// The RFC 3339 grammar and the proleptic Gregorian calendar arithmetic behind `UTCTimestamp`.
enum RFC3339 {
    private static let millisPerDay: Int64 = 86_400_000

    /// Milliseconds since 1970-01-01T00:00:00Z, or nil when `text` is not a valid timestamp.
    static func parse(_ text: String, zoneRequired: Bool) -> Int64? {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { parse($0, zoneRequired: zoneRequired) } ?? nil
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, zoneRequired: Bool) -> Int64? {
        var position = 0
        func number(_ width: Int) -> Int? {
            guard position + width <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<width {
                let byte = bytes[position + offset]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            position += width
            return value
        }
        func expect(_ accepted: UInt8...) -> Bool {
            guard position < bytes.count, accepted.contains(bytes[position]) else { return false }
            position += 1
            return true
        }

        guard let year = number(4), expect(UInt8(ascii: "-")),
            let month = number(2), expect(UInt8(ascii: "-")),
            let day = number(2), expect(UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")),
            let hour = number(2), expect(UInt8(ascii: ":")),
            let minute = number(2), expect(UInt8(ascii: ":")),
            let second = number(2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour <= 23, minute <= 59, second <= 59  // leap seconds are not representable; refused
        else { return nil }

        var millis = 0
        if expect(UInt8(ascii: ".")) {
            let fractionStart = position
            var scale = 100
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                millis += Int(bytes[position] - UInt8(ascii: "0")) * scale
                scale /= 10
                position += 1
            }
            guard position > fractionStart else { return nil }
        }

        var offsetMinutes = 0
        if expect(UInt8(ascii: "Z"), UInt8(ascii: "z")) {
            offsetMinutes = 0
        } else if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
            let sign = bytes[position] == UInt8(ascii: "-") ? -1 : 1
            position += 1
            guard let offsetHours = number(2) else { return nil }
            _ = expect(UInt8(ascii: ":"))
            guard let offsetMinutePart = number(2), offsetHours <= 23, offsetMinutePart <= 59 else { return nil }
            offsetMinutes = sign * (offsetHours * 60 + offsetMinutePart)
        } else if zoneRequired {
            return nil
        }
        guard position == bytes.count else { return nil }

        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        let secondsOfDay = Int64(hour * 3600 + minute * 60 + second - offsetMinutes * 60)
        let instant = days * millisPerDay + secondsOfDay * 1000 + Int64(millis)
        // After the offset: 9999-12-31T23:59:59-23:59 is in year 10000 and refused, like year 0000.
        return representable.contains(instant) ? instant : nil
    }

    /// 0001-01-01T00:00:00Z through 9999-12-31T23:59:59.999Z: what RFC 3339 (four-digit years from 0001) and
    /// PostgreSQL's timestamptz can both write and read back.
    static let representable: ClosedRange<Int64> =
        Int64(daysFromCivil(year: 1, month: 1, day: 1)) * millisPerDay...Int64(
            daysFromCivil(year: 10000, month: 1, day: 1)) * millisPerDay - 1

    static func format(_ epochMilliseconds: Int64) -> String {
        var days = epochMilliseconds / millisPerDay
        var millisOfDay = epochMilliseconds % millisPerDay
        if millisOfDay < 0 {
            millisOfDay += millisPerDay
            days -= 1
        }
        let (year, month, day) = civilFromDays(days)
        let seconds = Int(millisOfDay / 1000)
        let millis = Int(millisOfDay % 1000)

        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func append(_ value: Int, width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var value = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                value %= divisor
                divisor /= 10
            }
        }
        if year < 0 || year > 9999 {
            // Outside RFC 3339; only reachable through clamped arithmetic. Keep it readable.
            bytes.append(contentsOf: Array(String(year).utf8))
        } else {
            append(Int(year), width: 4)
        }
        bytes.append(UInt8(ascii: "-"))
        append(month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        append(day, width: 2)
        bytes.append(UInt8(ascii: "T"))
        append(seconds / 3600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        append(seconds / 60 % 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        append(seconds % 60, width: 2)
        if millis != 0 {
            bytes.append(UInt8(ascii: "."))
            append(millis, width: 3)
        }
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Inverse of `daysFromCivil`.
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
