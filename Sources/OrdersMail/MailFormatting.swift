public import Foundation
public import OrdersDomain

/// Money, dates and the RFC 5322 date as each language writes them. Money stays integer minor
/// units throughout: only its decimal text is reformatted.
public enum MailFormatting {
    /// "1.234,50 €" / "€1,234.50"; currencies without a common sign are written with their code.
    public static func money(_ money: Money, _ language: MailLanguage) -> String {
        let text = money.decimalString
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        let whole = grouped(String(parts[0]), separator: language == .de ? "." : ",")
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        let number = (negative ? "-" : "") + whole + (fraction.isEmpty ? "" : (language == .de ? "," : ".") + fraction)
        let symbol = ["EUR": "€", "GBP": "£", "USD": "$"][money.currency.code]
        switch (language, symbol) {
        case (.de, let symbol?): return number + " " + symbol
        case (.de, nil): return number + " " + money.currency.code
        case (.en, let symbol?): return symbol + number
        case (.en, nil): return money.currency.code + " " + number
        }
    }

    /// "10 %" / "10%".
    public static func percent(_ value: Int64, _ language: MailLanguage) -> String {
        language == .de ? "\(value) %" : "\(value)%"
    }

    /// The calendar day in the merchant's time zone: "23.02.2027" / "23 February 2027".
    public static func day(_ time: UTCTimestamp, _ language: MailLanguage) -> String {
        let c = components(time)
        switch language {
        case .de: return String(format: "%02d.%02d.%04d", c.day!, c.month!, c.year!)
        case .en: return "\(c.day!) \(englishMonths[c.month! - 1]) \(c.year!)"
        }
    }

    /// The RFC 5322 `Date` header for an instant: "Wed, 25 Nov 2026 16:00:00 +0000".
    public static func rfc5322(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d +0000", weekdays[c.weekday! - 1], c.day!,
            String(englishMonths[c.month! - 1].prefix(3)), c.year!, c.hour!, c.minute!, c.second!)
    }

    /// The merchant sits in Germany: days are counted in Europe/Berlin, so an expiry at
    /// 23:59 local time is not shown as the next day.
    static let merchantTimeZone = TimeZone(identifier: "Europe/Berlin") ?? TimeZone(identifier: "UTC")!

    private static func components(_ time: UTCTimestamp) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = merchantTimeZone
        let date = Date(timeIntervalSince1970: TimeInterval(time.epochMilliseconds) / 1000)
        return calendar.dateComponents([.year, .month, .day], from: date)
    }

    private static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ]

    private static func grouped(_ digits: String, separator: String) -> String {
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result += separator }
            result.append(digit)
        }
        return result
    }
}
