extension LocalDate {
    /// The date a person most likely meant by `text`, written `YYYY-MM-DD`, for the ways
    /// spreadsheets and people in England write dates: `30/06/2025` and `30.06.2025` (day
    /// first), `2025/06/30`, `2025-6-30`, and an instant where a date belongs
    /// (`2025-06-30T09:00:00Z`). `nil` when none of them gives a day that exists.
    ///
    /// Only ever a suggestion in a refusal: a provider's return with `03/04/2025` is refused,
    /// and told that it reads as 3 April, rather than stored as a guess.
    package static func likelyMeant(_ text: String) -> String? {
        let trimmed = text.split(separator: " ").joined()
        if trimmed.count > 10, let cut = trimmed.firstIndex(of: "T"), LocalDate(String(trimmed[..<cut])) != nil {
            return String(trimmed[..<cut])
        }
        let parts = trimmed.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "-" || $0 == "." }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { ("0"..."9").contains($0) } }) else { return nil }
        let numbers = parts.map { Int($0)! }
        let date: LocalDate?
        if parts[0].count == 4 {
            date = LocalDate(year: numbers[0], month: numbers[1], day: numbers[2])
        } else if parts[2].count == 4 {
            date = LocalDate(year: numbers[2], month: numbers[1], day: numbers[0])  // day first, as in England
        } else {
            date = nil  // a two-digit year could be any century
        }
        guard let date, date.description != text else { return nil }
        return date.description
    }

    /// `" (did you mean 2025-06-30?)"`, or nothing: to end a refusal of `text` as a date with.
    package static func hint(for text: String) -> String {
        guard let meant = likelyMeant(text) else { return "" }
        let dayFirst = text.split { $0 == "/" || $0 == "." || $0 == "-" }.last?.count == 4
        return " (did you mean \(meant)\(dayFirst ? ", reading it day first" : "")?)"
    }
}
