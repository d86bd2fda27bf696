internal import LedgerJSON

extension EventCatalogue.Entry.RowEvent {
    /// A note on the rows of `rows` whose `occurredOn` is after `today`'s next day (a day's
    /// slack for time zones), or `nil` when none is: `line 5's occurredOn, 2062-06-30, is after
    /// today, 2026-12-07: is its year right? …`.
    ///
    /// A day that has not come is a valid date (SPEC 3 checks only that it is one), so such a
    /// row is checked and recorded as given; but a fact cannot have happened yet, and a year
    /// typed wrong (2062 for 2026) lands in a period nobody reads and is missing from the one
    /// it belongs to. Said beside a check or a record, so that a person looks before relying on it.
    public static func datedAheadNote(_ rows: [Self], today: LocalDate) -> String? {
        let ahead = rows.compactMap { row -> (line: Int, day: LocalDate)? in
            guard let text = row.event["occurredOn"]?.stringValue, let day = LocalDate(text), day.days(since: today) > 1 else { return nil }
            return (row.line, day)
        }
        guard let first = ahead.first else { return nil }
        if ahead.count == 1 {
            return "line \(first.line)'s occurredOn, \(first.day), is after today, \(today): is its year right? A day that has not come yet is taken as given"
        }
        let shown = ahead.prefix(listedLines).map { String($0.line) }
        let lines = ahead.count > listedLines ? shown.joined(separator: ", ") + " and \(ahead.count - listedLines) more"
                                              : shown.dropLast().joined(separator: ", ") + " and " + shown.last!
        return "lines \(lines) have an occurredOn after today, \(today) (line \(first.line): \(first.day)): are their years right? A day that has not come yet is taken as given"
    }

    /// The most lines the note names one by one.
    private static let listedLines = 8
}
