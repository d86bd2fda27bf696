extension Instant {
    /// What a person most likely meant by `text`, a date and a time of day without seconds or
    /// without a zone (`2025-04-01 09:00`, `2025-04-01T09:00:00`), as RFC 3339 instants: the time
    /// in the UK that day, and in UTC when that differs (British Summer Time). `[]` when `text`
    /// is not such a time.
    ///
    /// Only ever a suggestion in a refusal: an auditor asking what was known at nine on 1 April
    /// means nine on the office's clock, an hour before nine UTC, and the ledger does not choose.
    package static func likelyMeant(_ text: String) -> [(instant: String, reading: String)] {
        let trimmed = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        guard trimmed.count >= 16, let date = LocalDate(String(trimmed.prefix(10))) else { return [] }
        var rest = trimmed.dropFirst(10)
        guard let separator = rest.first, separator == "T" || separator == "t" || separator == " " else { return [] }
        rest = rest.dropFirst().drop { $0 == " " }
        // HH:MM, then :SS and a fraction if given; then a zone if given.
        let clock = rest.prefix { $0.isNumber || $0 == ":" || $0 == "." }
        let zone = String(rest.dropFirst(clock.count).drop { $0 == " " })
        let parts = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60 else { return [] }
        let seconds = parts.count == 3 ? String(parts[2]) : "00"
        let time = "\(date)T\(parts[0]):\(parts[1]):\(seconds)"
        let shown = String(clock)
        if !zone.isEmpty {  // a zone, and only the seconds missing
            let candidate = time + zone
            let reading = zone == "Z" || zone == "z" ? "\(shown) UTC" : "\(shown) at \(zone)"
            return Instant(rfc3339: candidate) != nil && candidate != trimmed ? [(candidate, reading)] : []
        }
        guard Instant(rfc3339: time + "Z") != nil else { return [] }
        if isBritishSummerTime(date) {
            return [(time + "+01:00", "\(shown) in the UK that day"), (time + "Z", "\(shown) UTC")]
        }
        return [(time + "Z", "\(shown) UTC, as in the UK that day")]
    }

    /// ` (did you mean …?)` for a refusal of `text`, or nothing.
    package static func hint(for text: String) -> String {
        let meant = likelyMeant(text)
        guard !meant.isEmpty else { return "" }
        return " (did you mean " + meant.map { "\($0.instant), \($0.reading)" }.joined(separator: ", or ") + "?)"
    }

    /// Whether UK clocks are an hour ahead of UTC for most of `date`: from the last Sunday of
    /// March to the day before the last Sunday of October.
    static func isBritishSummerTime(_ date: LocalDate) -> Bool {
        let year = date.components.year
        func lastSunday(ofMonth month: Int) -> Int {
            let last = LocalDate(year: year, month: month, day: 31)!.dayNumber
            let weekday = ((last + 4) % 7 + 7) % 7  // 1970-01-01, day 0, was a Thursday (4, counting Sunday as 0)
            return last - weekday
        }
        return date.dayNumber >= lastSunday(ofMonth: 3) && date.dayNumber < lastSunday(ofMonth: 10)
    }
}
