/// A reporting period (SPEC section 1): a month `YYYY-MM`, a calendar quarter `YYYY-Qn`, a
/// financial year `YYYY-YY` (a programme phase: `2024-25` is 2024-04-01 to 2025-03-31), or an
/// inclusive range `YYYY-MM-DD..YYYY-MM-DD`.
///
/// `YYYY-MM` with MM from 01 to 12 is always a month, so `2011-12` is December 2011, not the
/// financial year 2011-12; every financial year from 2012-13 on is unambiguous.
public struct Period: Hashable, Sendable, CustomStringConvertible {
    /// What kind of period this is.
    public enum Kind: Sendable, Hashable { case month, quarter, financialYear, range }

    /// A month, a quarter, a financial year or a range.
    public let kind: Kind
    /// The first day of the period.
    public let from: LocalDate
    /// The last day of the period (inclusive).
    public let to: LocalDate
    /// The period as written, normalised.
    public let description: String

    /// Parses a period; anything else is a usage error naming the forms that are accepted.
    public init(_ text: String) throws(LedgerError) {
        func usage() -> LedgerError {
            LedgerError(.usage, "\"\(text)\" is not a period\(Self.likelyMeant(text).map { " (did you mean \($0)?)" } ?? ""): use YYYY-MM (a month), YYYY-Qn (a quarter), YYYY-YY (a financial year, 2024-25) or YYYY-MM-DD..YYYY-MM-DD")
        }
        let bytes = Array(text.utf8)
        if let dots = text.firstRange(of: "..") {
            guard let from = LocalDate(String(text[..<dots.lowerBound])), let to = LocalDate(String(text[dots.upperBound...])) else { throw usage() }
            guard from <= to else {
                throw LedgerError(.usage, "\"\(text)\" ends before it starts: a range is FROM..TO, both inclusive")
            }
            self.init(kind: .range, from: from, to: to, description: "\(from)..\(to)")
            return
        }
        guard bytes.count >= 7, bytes[4] == UInt8(ascii: "-"), let year = decimal(bytes, 0..<4) else { throw usage() }
        if bytes.count == 7, bytes[5] == UInt8(ascii: "Q") || bytes[5] == UInt8(ascii: "q"), let quarter = decimal(bytes, 6..<7), (1...4).contains(quarter) {
            let first = LocalDate(year: year, month: quarter * 3 - 2, day: 1)!
            self.init(kind: .quarter, from: first, to: first.adding(months: 3).adding(days: -1), description: "\(pad(year, 4))-Q\(quarter)")
            return
        }
        guard bytes.count == 7, let two = decimal(bytes, 5..<7) else { throw usage() }
        if (1...12).contains(two) {
            self = Self.month(two, of: year)
        } else if two == (year + 1) % 100 {
            guard let financialYear = Self.financialYear(startingIn: year) else {
                throw LedgerError(.usage, "\"\(text)\" would end on 10000-03-31, after \(LocalDate.lastWritten), the last day a date is written for (YYYY-MM-DD): use \(year)-04-01..\(LocalDate.lastWritten)")
            }
            self = financialYear
        } else {
            throw usage()
        }
    }

    /// The calendar month `month` (1 to 12) of `year`, written `YYYY-MM` as every month is.
    public static func month(_ month: Int, of year: Int) -> Period {
        let first = LocalDate(year: year, month: month, day: 1)!
        return Period(kind: .month, from: first, to: first.adding(months: 1).adding(days: -1), description: "\(pad(year, 4))-\(pad(month, 2))")
    }

    /// The financial year (programme phase) from April of `year`: `nil` for 9999, whose year
    /// ends past ``LocalDate/lastWritten``.
    static func financialYear(startingIn year: Int) -> Period? {
        guard (LocalDate.firstWritten.components.year..<LocalDate.lastWritten.components.year).contains(year) else { return nil }
        return Period(kind: .financialYear, from: LocalDate(year: year, month: 4, day: 1)!, to: LocalDate(year: year + 1, month: 3, day: 31)!,
                      description: "\(pad(year, 4))-\(pad((year + 1) % 100, 2))")
    }

    /// The financial year that holds `date`, the period a query covers when none is given. As a
    /// range where `YYYY-YY` would not say it: where its two digits name a month (the year from
    /// April 2100 is not `2100-01`, which is January 2100), and at the ends of the calendar
    /// (before 0000-04-01, after 9999-03-31), where it is the part from ``LocalDate/firstWritten`` or to
    /// ``LocalDate/lastWritten``. Every answer's period then reads back as the days it covered.
    /// A date beyond those ends (a date a year before 0000-06-01, say) counts as the end it passed.
    public static func financialYear(containing date: LocalDate) -> Period {
        let (year, month, _) = min(max(date, LocalDate.firstWritten), LocalDate.lastWritten).components
        let start = month >= 4 ? year : year - 1
        if let whole = financialYear(startingIn: start), !(1...12).contains((start + 1) % 100) { return whole }
        let from = max(LocalDate(year: start, month: 4, day: 1)!, LocalDate.firstWritten)
        let to = min(LocalDate(year: start + 1, month: 3, day: 31)!, LocalDate.lastWritten)
        return Period(kind: .range, from: from, to: to, description: "\(from)..\(to)")
    }

    /// The period a person most likely meant by `text`, written as the SPEC writes it, for the
    /// ways programme papers write periods: `2024/25` and `FY2024-25` for a financial year,
    /// `2025Q1` and `Q1 2025` for a quarter, and a bare year `2025`, which could be either the
    /// calendar year or the financial year it begins, and is answered with both.
    static func likelyMeant(_ text: String) -> String? {
        var plain = String(text.filter { $0 != " " }.uppercased())
        if plain.hasPrefix("FY") { plain.removeFirst(2) }
        let characters = Array(plain)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= characters.count, characters[range].allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
            return Int(String(characters[range]))
        }
        var candidates: [String] = []
        if characters.count == 4, let year = digits(0..<4) {
            return "\(year)-\(pad((year + 1) % 100, 2)) for the financial year from April, or \(year)-01-01..\(year)-12-31 for the calendar year"
        }
        if characters.count == 7, characters[4] == "/" || characters[4] == "-", let year = digits(0..<4), let next = digits(5..<7) {
            candidates.append("\(year)-\(pad(next, 2))")
        }
        if characters.count == 9, characters[4] == "/" || characters[4] == "-", let year = digits(0..<4), let next = digits(5..<9) {
            candidates.append("\(year)-\(pad(next % 100, 2))")
        }
        if characters.count == 6, characters[4] == "Q", let year = digits(0..<4) { candidates.append("\(year)-Q\(characters[5])") }
        if characters.count >= 6, characters[0] == "Q", let year = digits(characters.count - 4..<characters.count) {
            candidates.append("\(year)-Q\(characters[1])")
        }
        return candidates.first { $0 != text && (try? Period($0)) != nil }
    }

    private init(kind: Kind, from: LocalDate, to: LocalDate, description: String) {
        self.kind = kind
        self.from = from
        self.to = to
        self.description = description
    }

    /// Whether `date` lies in the period.
    public func contains(_ date: LocalDate) -> Bool { from <= date && date <= to }

    /// The calendar months the period touches, as `YYYY-MM` periods, in order.
    public var months: [Period] {
        var result: [Period] = []
        var (year, month, _) = from.components
        while LocalDate(year: year, month: month, day: 1)! <= to {
            result.append(Self.month(month, of: year))
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
        return result
    }
}
