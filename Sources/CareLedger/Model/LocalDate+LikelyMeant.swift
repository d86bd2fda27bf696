extension LocalDate {
    /// The date a person most likely meant by `text`, written `YYYY-MM-DD`, for the ways
    /// spreadsheets and people in England write dates: `30/06/2025` and `30.06.2025` (day
    /// first), `2025/06/30`, `2025-6-30`, and any of them with a time of day after it, an
    /// instant or an export's date and time where a date belongs (`2025-06-30T09:00:00Z`,
    /// `2025-06-30 00:00:00`, `30/06/2025 09:15`). `nil` when none of them gives a day that exists.
    ///
    /// Only ever a suggestion in a refusal: a provider's return with `03/04/2025` is refused,
    /// and told that it reads as 3 April, rather than stored as a guess.
    ///
    /// Besides: a date with its month's name, as a spreadsheet's long dates and an American
    /// writer put it (`3 June 2025`, `Monday, 30 June 2025`, `30-Jun-2025`, `June 30, 2025`),
    /// and a date cell exported as its serial number (``dayOfSpreadsheetSerial(_:)``).
    package static func likelyMeant(_ text: String) -> String? {
        if let named = withMonthName(text) { return named.description }
        if let serial = dayOfSpreadsheetSerial(text) { return serial.description }
        if let day = withoutTimeOfDay(text) { return LocalDate(day)?.description ?? likelyMeant(day) }
        let trimmed = text.split(separator: " ").joined()
        guard let numbered = numbered(trimmed), let date = LocalDate(year: numbered.year, month: numbered.month, day: numbered.day),
              date.description != text else { return nil }
        return date.description
    }

    /// The date before a time of day in `text`, as a database or a spreadsheet's date-and-time
    /// cell exports one (`2025-06-30 00:00:00`, `30/06/2025 09:15`, `2025-06-30T09:00:00Z`);
    /// `nil` when `text` has no time of day after a space or a `T`.
    private static func withoutTimeOfDay(_ text: String) -> String? {
        guard let cut = text.firstIndex(where: { $0 == " " || $0 == "T" }) else { return nil }
        let time = text[text.index(after: cut)...].drop { $0 == " " }
        guard time.first?.isASCII == true, time.first?.isNumber == true, time.contains(":"),
              time.allSatisfy({ $0.isNumber || ":.+-Z ".contains($0) || "AaPpMm".contains($0) }) else { return nil }
        return String(text[..<cut])
    }

    /// `text` as a year, a month and a day written in numbers, whether or not that day exists:
    /// year first (`2025/06/30`, `2025-6-30`) or day first, as in England (`30/06/2025`,
    /// `30.06.2025`). `nil` for another form, a two-digit year among them (it could be any century).
    private static func numbered(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let parts = text.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "-" || $0 == "." }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { ("0"..."9").contains($0) } }) else { return nil }
        let numbers = parts.map { Int($0)! }
        if parts[0].count == 4 { return (numbers[0], numbers[1], numbers[2]) }
        if parts[2].count == 4 { return (numbers[2], numbers[1], numbers[0]) }
        return nil
    }

    /// `" (did you mean 2025-06-30?)"`, or nothing: to end a refusal of `text` as a date with.
    /// It says how the date was read where that is a guess: day first, or as a serial number.
    package static func hint(for text: String) -> String {
        let day = withoutTimeOfDay(text) ?? text
        guard let meant = likelyMeant(text) else { return impossibleDay(day).map { " (\($0))" } ?? "" }
        if dayOfSpreadsheetSerial(text) != nil { return " (did you mean \(meant), the day a spreadsheet numbers \(text)? format the cell as a date)" }
        let dayFirst = withMonthName(day) == nil && day.split { $0 == "/" || $0 == "." || $0 == "-" }.last?.count == 4
        return " (did you mean \(meant)\(dayFirst ? ", reading it day first" : "")?)"
    }

    /// Why `text`, written in a date's form (`2025-06-31`, `31/06/2025`), names no day: its
    /// month's length, February's in a year that is not a leap year, or a month past 12. A typed
    /// day one past the month's end is the commonest slip in a return's dates, and "not a date:
    /// write it as YYYY-MM-DD" to someone who did leaves them looking for what else is wrong.
    /// `nil` for text not in that form, or a day that exists.
    static func impossibleDay(_ text: String) -> String? {
        guard let (year, month, day) = numbered(text) else { return nil }
        guard (1...12).contains(month) else { return "there is no month \(month): a year has 12" }
        guard LocalDate(year: year, month: month, day: day) == nil else { return nil }
        if day == 0 { return "a month's days are numbered from 1" }
        if month == 2 && day == 29 { return "\(year) is not a leap year: February \(year) has 28 days" }
        return "\(monthNamesInOrder[month - 1]) \(year) has \(daysIn(year: year, month: month)) days"
    }

    private static let monthNamesInOrder = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// The day a spreadsheet numbers `text` (``init(spreadsheetSerial:)``), when a date cell
    /// formatted as a number was saved as CSV: five
    /// digits, from 1927 to 2099, so that no count or id is taken for a day.
    static func dayOfSpreadsheetSerial(_ text: String) -> LocalDate? {
        guard text.count == 5, let serial = Int(text), (10_000...73_050).contains(serial) else { return nil }
        return LocalDate(spreadsheetSerial: serial)
    }

    /// The months' names as people write them, full and short (`Sept` too), by their number.
    private static let monthNames: [String: Int] = {
        let names = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
        var byName: [String: Int] = ["sept": 9]
        for (index, name) in names.enumerated() {
            byName[name] = index + 1
            byName[String(name.prefix(3))] = index + 1
        }
        return byName
    }()

    /// A date written with its month's name: a four-digit year, the month named, one or two
    /// digits of day, in any order, a weekday's name or ordinal's suffix (`3rd`) ignored.
    private static func withMonthName(_ text: String) -> LocalDate? {
        let words = text.lowercased().split { $0 == " " || $0 == "," || $0 == "-" || $0 == "/" || $0 == "." }
        var year: Int?, month: Int?, day: Int?
        for word in words {
            let digits = word.prefix { $0.isASCII && $0.isNumber }
            if let number = Int(digits), digits.count == word.count || ["st", "nd", "rd", "th"].contains(String(word.dropFirst(digits.count))) {
                if digits.count == 4, year == nil { year = number } else if digits.count <= 2, day == nil { day = number } else { return nil }
            } else if let named = monthNames[String(word)] {
                guard month == nil else { return nil }
                month = named
            } else if !["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun"].contains(String(word)) {
                return nil
            }
        }
        guard let year, let month, let day else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }
}
