public import Foundation
public import OrdersDomain

/// Money, percentages and days as each language writes them, with Foundation's format styles, and
/// days in the merchant's time zone. Money goes to the formatter as a `Decimal` built from its
/// integer minor units, never through a binary floating-point type.
public enum MailFormatting {
    /// Where the merchant counts its days unless ORDERFLOW_MAIL_TIME_ZONE says otherwise.
    public static let defaultTimeZone = TimeZone(identifier: "Europe/Berlin") ?? TimeZone(identifier: "UTC")!

    /// "1.234,56 €" / "€1,234.56", with the currency's own number of decimals.
    public static func money(_ money: Money, _ language: MailLanguage) -> String {
        let amount = Decimal(
            sign: money.minorUnits < 0 ? .minus : .plus, exponent: -money.currency.exponent,
            significand: Decimal(money.minorUnits.magnitude))
        return amount.formatted(.currency(code: money.currency.code).locale(language.formattingLocale))
    }

    /// "10 %" / "10%".
    public static func percent(_ value: Int, _ language: MailLanguage) -> String {
        value.formatted(.percent.locale(language.formattingLocale))
    }

    /// The calendar day of an instant in the merchant's time zone: "31. März 2027" / "31 March 2027".
    public static func day(_ time: UTCTimestamp, _ language: MailLanguage, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let style = Date.FormatStyle(
            date: .long, time: .omitted, locale: language.formattingLocale, calendar: calendar, timeZone: timeZone)
        return date(time).formatted(style)
    }

    /// The last second of a calendar day (`2027-03-31`) in `timeZone`: a voucher valid until that
    /// date is valid through the whole of it where the merchant is, and its mails name that day.
    /// Nil for anything but an existing date in that form.
    public static func endOfDay(_ text: String, timeZone: TimeZone) -> UTCTimestamp? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts.map(\.count) == [4, 2, 2],
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let start = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            calendar.dateComponents([.year, .month, .day], from: start)
                == DateComponents(year: year, month: month, day: day),
            let next = calendar.date(byAdding: .day, value: 1, to: start)
        else { return nil }
        return UTCTimestamp(epochMilliseconds: Int64(next.timeIntervalSince1970.rounded()) * 1000 - 1000)
    }

    /// The RFC 5322 `Date` header for an instant: "Wed, 25 Nov 2026 16:00:00 +0000". A protocol
    /// format with fixed English names, not a language's.
    public static func rfc5322(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d +0000", weekdays[c.weekday! - 1], c.day!, months[c.month! - 1],
            c.year!, c.hour!, c.minute!, c.second!)
    }

    private static func date(_ time: UTCTimestamp) -> Date {
        Date(timeIntervalSince1970: TimeInterval(time.epochMilliseconds) / 1000)
    }
}
