/// A calendar date with no time or zone (valid time: `occurredOn`, `windowEndsOn`, …), in the
/// proleptic Gregorian calendar.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it): what makes dates easy to compare and subtract.
    public let dayNumber: Int

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// The date `year-month-day`, or `nil` when that day does not exist (30 February).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(year: year, month: month) else { return nil }
        self.dayNumber = LocalDate.days(year: year, month: month, day: day)
    }

    /// The first and last days a date can be written (`YYYY-MM-DD`, four digits of year): no
    /// period, and no instant a person gives, reaches past them, so that every date and instant
    /// an answer prints can be read back.
    public static let firstWritten = LocalDate(year: 0, month: 1, day: 1)!
    public static let lastWritten = LocalDate(year: 9999, month: 12, day: 31)!

    /// Parses `YYYY-MM-DD`; `nil` for another shape or a day that does not exist.
    public init?(_ text: String) {
        var text = text
        guard let date = text.withUTF8({ LocalDate(utf8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = date
    }

    package init?(utf8 b: UnsafeRawBufferPointer) {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        guard let y = decimal(b, 0..<4), let m = decimal(b, 5..<7), let d = decimal(b, 8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Year, month and day.
    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// The date `months` calendar months later, clamped to the month's end (31 Jan + 1 = 28 or 29 Feb).
    public func adding(months: Int) -> LocalDate {
        let (y, m, d) = components
        let total = y * 12 + (m - 1) + months
        let year = total >= 0 ? total / 12 : (total - 11) / 12
        let month = total - year * 12 + 1
        let day = min(d, LocalDate.daysIn(year: year, month: month))
        return LocalDate(dayNumber: LocalDate.days(year: year, month: month, day: day))
    }

    /// Whole days from `other` to this date.
    public func days(since other: LocalDate) -> Int { dayNumber - other.dayNumber }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.dayNumber < b.dayNumber }

    public var description: String {
        let (y, m, d) = components
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days_from_civil.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// The decimal number written in `bytes[range]`, or `nil` unless every byte there is a digit.
func decimal<C: Collection<UInt8>>(_ bytes: C, _ range: Range<Int>) -> Int? where C.Index == Int {
    var value = 0
    for i in range {
        let digit = bytes[i] &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        value = value * 10 + Int(digit)
    }
    return value
}

func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}
