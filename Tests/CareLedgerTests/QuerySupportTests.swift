import CareLedger
import LedgerJSON
import Testing

@Suite("Periods, disclosure control, rates and medians")
struct QuerySupportTests {
    @Test("periods of SPEC section 1", arguments: [
        ("2024-05", "2024-05-01", "2024-05-31"), ("2024-02", "2024-02-01", "2024-02-29"),
        ("2023-02", "2023-02-01", "2023-02-28"), ("2024-Q3", "2024-07-01", "2024-09-30"),
        ("2024-Q1", "2024-01-01", "2024-03-31"), ("2024-25", "2024-04-01", "2025-03-31"),
        ("2099-00", "2099-04-01", "2100-03-31"), ("2024-01-10..2024-03-31", "2024-01-10", "2024-03-31"),
        ("2024-06-01..2024-06-01", "2024-06-01", "2024-06-01"),
    ])
    func periods(text: String, from: String, to: String) throws {
        let period = try Period(text)
        #expect(period.from.description == from && period.to.description == to)
    }

    @Test("anything else is a usage error", arguments: [
        "2024", "2024-13", "2024-00", "2024-Q5", "2024-26", "24-25", "2024-5", "2024-05-01", "2024-03-31..2024-01-01",
        "2024-02-30..2024-03-01", "last month", "",
    ])
    func notPeriods(text: String) {
        let error = #expect(throws: LedgerError.self) { try Period(text) }
        #expect(error?.code == .usage)
    }

    /// The ways programme papers write periods are refused (SPEC section 1 names the forms), with
    /// the form that was most likely meant; a slip that could mean anything gets no guess.
    @Test("a period written another way names the SPEC's form", arguments: [
        ("2024/25", "did you mean 2024-25?"), ("FY2024-25", "did you mean 2024-25?"), ("fy 2024/2025", "did you mean 2024-25?"),
        ("2025Q1", "did you mean 2025-Q1?"), ("Q1 2025", "did you mean 2025-Q1?"), ("q3-2025", "did you mean 2025-Q3?"),
        ("2025", "did you mean 2025-26 for the financial year from April, or 2025-01-01..2025-12-31 for the calendar year?"),
        ("2024-26", nil), ("2024-Q5", nil), ("2025/13", nil), ("+123", nil), ("last month", nil),
    ])
    func likelyMeant(text: String, hint: String?) {
        let error = #expect(throws: LedgerError.self) { try Period(text) }
        if let hint {
            #expect(error?.rule.contains("is not a period (\(hint))") == true, "\(error?.rule ?? "")")
        } else {
            #expect(error?.rule.contains("did you mean") == false, "\(error?.rule ?? "")")
        }
    }

    /// A date written as spreadsheets in England write it is named in the SPEC's form; day first,
    /// and never a guess at a century or at a day that does not exist.
    @Test("a date written another way", arguments: [
        ("30/06/2025", "2025-06-30" as String?), ("03/04/2025", "2025-04-03"), ("3.4.2025", "2025-04-03"), ("2025/06/30", "2025-06-30"),
        ("2025-6-3", "2025-06-03"), ("2025-06-30T09:00:00Z", "2025-06-30"), ("31/02/2025", nil), ("30/06/25", nil),
        ("2025-06-30", nil), ("2025-02-30", nil), ("soon", nil), ("1/2/3/2025", nil),
        // A spreadsheet's long dates, and an American one: the month's name says which is which.
        ("3 June 2025", "2025-06-03"), ("03 Jun 2025", "2025-06-03"), ("Monday, 30 June 2025", "2025-06-30"),
        ("June 30, 2025", "2025-06-30"), ("30-Jun-2025", "2025-06-30"), ("Sept 4 2025", "2025-09-04"),
        ("31 June 2025", nil), ("June 2025", nil), ("3 Juno 2025", nil), ("30 June 25", nil),
        // A date cell exported as its serial number, days from 1899-12-30, in this century's range.
        ("45839", "2025-07-01"), ("36526", "2000-01-01"), ("12", nil), ("450000", nil), ("45838.5", nil),
        // A date with a time of day, as a database or a date-and-time cell exports it.
        ("2025-06-30 00:00:00", "2025-06-30"), ("30/06/2025 09:15", "2025-06-30"), ("2025-06-30T09:00:00.000+01:00", "2025-06-30"),
        ("30/06/2025 9:15 AM", "2025-06-30"), ("2025-06-31 00:00:00", nil), ("2025-06-30 late", nil), ("30 June 2025 09:00", nil),
    ])
    func dateLikelyMeant(text: String, meant: String?) {
        #expect(LocalDate.likelyMeant(text) == meant)
    }

    /// The 1900 date system, one rule for reading a workbook's dates, writing a template's and
    /// hinting at a serial saved as CSV: its phantom 29 February 1900 sits between 59 and 61.
    @Test func spreadsheetSerialsAreThe1900DateSystem() {
        #expect(LocalDate(spreadsheetSerial: 1)?.description == "1900-01-01" && LocalDate(spreadsheetSerial: 59)?.description == "1900-02-28")
        #expect(LocalDate(spreadsheetSerial: 61)?.description == "1900-03-01" && LocalDate(spreadsheetSerial: 45839)?.description == "2025-07-01")
        #expect(LocalDate(spreadsheetSerial: 0) == nil)
        #expect(LocalDate("2025-07-01")?.spreadsheetSerial == 45839 && LocalDate("1900-03-01")?.spreadsheetSerial == 61 && LocalDate("1900-02-28")?.spreadsheetSerial == nil)
    }

    /// The hint says how a date was read where that is a guess: day first, or a serial number.
    @Test func dateHintsSayHowTheyRead() {
        #expect(LocalDate.hint(for: "03/04/2025") == " (did you mean 2025-04-03, reading it day first?)")
        #expect(LocalDate.hint(for: "3 April 2025") == " (did you mean 2025-04-03?)")
        #expect(LocalDate.hint(for: "03/04/2025 00:00") == " (did you mean 2025-04-03, reading it day first?)")
        #expect(LocalDate.hint(for: "45839") == " (did you mean 2025-07-01, the day a spreadsheet numbers 45839? format the cell as a date)")
    }

    /// A date in the right form naming no day says why, rather than to write it as YYYY-MM-DD,
    /// as it already was.
    @Test("a day that does not exist", arguments: [
        ("2025-06-31", " (June 2025 has 30 days)"), ("31/06/2025", " (June 2025 has 30 days)"), ("2025-04-31", " (April 2025 has 30 days)"),
        ("2025-02-29", " (2025 is not a leap year: February 2025 has 28 days)"), ("2024-02-30", " (February 2024 has 29 days)"),
        ("2025-13-01", " (there is no month 13: a year has 12)"), ("2025-00-10", " (there is no month 0: a year has 12)"),
        ("2025-06-00", " (a month's days are numbered from 1)"), ("2025-06-31 00:00:00", " (June 2025 has 30 days)"), ("2025-06-30", ""), ("31/06/25", ""), ("soon", ""),
    ])
    func impossibleDays(text: String, hint: String) {
        #expect(LocalDate.hint(for: text) == hint)
    }

    /// An instant written without seconds or a zone is named as RFC 3339, in UK time that day
    /// and, in British Summer Time, in UTC too: the ledger does not choose a zone for an auditor.
    @Test("an instant written another way", arguments: [
        ("2025-04-01 09:00", ["2025-04-01T09:00:00+01:00", "2025-04-01T09:00:00Z"]),
        ("2025-01-10T09:00", ["2025-01-10T09:00:00Z"]),
        ("2025-03-29 09:00", ["2025-03-29T09:00:00Z"]), ("2025-03-30 09:00", ["2025-03-30T09:00:00+01:00", "2025-03-30T09:00:00Z"]),
        ("2025-10-25 09:00", ["2025-10-25T09:00:00+01:00", "2025-10-25T09:00:00Z"]), ("2025-10-26 09:00", ["2025-10-26T09:00:00Z"]),
        ("2025-04-01T09:00:30.5", ["2025-04-01T09:00:30.5+01:00", "2025-04-01T09:00:30.5Z"]),
        ("2025-04-01T09:00Z", ["2025-04-01T09:00:00Z"]), ("2025-04-01T09:00+01:00", ["2025-04-01T09:00:00+01:00"]),
        ("2025-04-01T25:00", []), ("2025-02-30 09:00", []), ("yesterday", []), ("2025-04-01", []), ("1969-07-20 20:17", ["1969-07-20T20:17:00+01:00", "1969-07-20T20:17:00Z"]),
    ])
    func instantLikelyMeant(text: String, meant: [String]) {
        #expect(Instant.likelyMeant(text).map(\.instant) == meant)
    }

    @Test func aMonthWinsOverAnOldFinancialYear() throws {
        #expect(try Period("2011-12").kind == .month)
        #expect(try Period("2012-13").kind == .financialYear)
    }

    /// At the ends of the calendar a period stops at the last day a date can be written, and a
    /// query's default period reads back as the days it covers: these once stopped the process
    /// (and the server) on a `try!`.
    @Test("the financial year holding a date", arguments: [
        ("2025-06-30", "2025-26", "2025-04-01", "2026-03-31"), ("2025-03-31", "2024-25", "2024-04-01", "2025-03-31"),
        ("0000-02-01", "0000-01-01..0000-03-31", "0000-01-01", "0000-03-31"), ("0001-02-01", "0000-04-01..0001-03-31", "0000-04-01", "0001-03-31"),
        ("2100-06-30", "2100-04-01..2101-03-31", "2100-04-01", "2101-03-31"), ("9999-12-31", "9999-04-01..9999-12-31", "9999-04-01", "9999-12-31"),
        ("2112-04-01", "2112-13", "2112-04-01", "2113-03-31"),
    ])
    func theFinancialYearHolding(date: String, written: String, from: String, to: String) throws {
        let year = Period.financialYear(containing: try #require(LocalDate(date)))
        #expect(year.description == written && year.from.description == from && year.to.description == to)
        let again = try Period(year.description)
        #expect(again.from == year.from && again.to == year.to, "\(written) reads back as the days it covers")
    }

    @Test func aDateBeyondTheCalendarsEndsCountsAsTheEndItPassed() throws {
        let before = Period.financialYear(containing: try #require(LocalDate("0000-06-01")).adding(months: -24))
        #expect(before.description == "0000-01-01..0000-03-31" && before.from <= before.to)
        #expect(Period.financialYear(containing: try #require(LocalDate("9999-12-31")).adding(days: 400)).description == "9999-04-01..9999-12-31")
    }

    @Test func noPeriodEndsPastTheLastDayAWrittenDateCanHave() throws {
        #expect(throws: LedgerError.self) { try Period("9999-00") }
        #expect(try Period("9998-99").to.description == "9999-03-31")
        #expect(try Period("9999-Q4").months.last?.description == "9999-12")
        #expect(try Period("0000-01-01..0001-02-01").months.count == 14)
    }

    @Test func monthsOfAPeriod() throws {
        #expect(try Period("2024-25").months.map(\.description) == ["2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09",
                                                                  "2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03"])
        #expect(try Period("2024-01-31..2024-03-01").months.count == 3)
        #expect(try Period("2024-Q4").months.last?.description == "2024-12")
    }

    @Test("published counts", arguments: [
        (0, JSONValue.integer(0)), (1, "<5"), (4, "<5"), (5, 5), (6, 5), (7, 5), (8, 10), (12, 10), (13, 15), (100, 100), (102, 100), (103, 105),
    ])
    func publishedCounts(value: Int, shown: JSONValue) {
        #expect(Disclosure.count(value) == shown)
    }

    @Test func ratesUnderTenAreSuppressed() {
        #expect(Disclosure.suppresses(denominator: 9))
        #expect(!Disclosure.suppresses(denominator: 10))
    }

    @Test("rates round half up to 4 places", arguments: [
        (11, 12, 0.9167), (2, 3, 0.6667), (1, 3, 0.3333), (1, 8, 0.125), (12, 12, 1.0), (0, 5, 0.0), (1, 20_000, 0.0001), (1, 20_001, 0.0),
    ])
    func rates(numerator: Int, denominator: Int, expected: Double) {
        #expect(Figures.rate(numerator, denominator) == expected)
    }

    @Test func rateOfNothingIsNull() {
        #expect(Figures.rate(0, 0) == nil)
    }

    @Test func medians() {
        #expect(Figures.median([]) == nil)
        #expect(Figures.median([35]) == 35)
        #expect(Figures.median([40, 10, 30]) == 30)
        #expect(Figures.median([10, 40, 20, 30]) == 25)
        #expect(Figures.median([1, 2]) == 1.5)
    }
}
