import CareLedger
import Foundation
import ProjectionKit
@testable import SpreadsheetRows
import Testing

/// What a workbook's cells become beyond the two fixtures: the date systems and which number
/// formats show a date, and the sheet shown as CSV whose line N is its row N.
@Suite struct WorkbookTests {
    @Test func serialDaysAreTheWorkbooksDates() {
        let days1900 = ExcelDates(date1904: false), days1904 = ExcelDates(date1904: true)
        #expect(days1900.day(1)?.description == "1900-01-01")
        #expect(days1900.day(59)?.description == "1900-02-28")
        #expect(days1900.day(61)?.description == "1900-03-01", "past the 29 February 1900 the 1900 system counts")
        #expect(days1900.day(45474.75)?.description == "2024-07-01", "a time of day is dropped")
        #expect(days1904.day(0)?.description == "1904-01-01" && days1904.day(44012)?.description == "2024-07-01")
        #expect(days1900.day(-1) == nil && days1900.day(.nan) == nil)
    }

    @Test func aDateFormatIsKnownByItsYearOrDay() {
        #expect(ExcelDates.isDateFormat(id: 14, code: nil) && ExcelDates.isDateFormat(id: 22, code: nil))
        #expect(ExcelDates.isDateFormat(id: 164, code: "dd/mm/yyyy") && ExcelDates.isDateFormat(id: 165, code: "[$-809]d mmmm yyyy"))
        #expect(!ExcelDates.isDateFormat(id: 0, code: nil) && !ExcelDates.isDateFormat(id: 2, code: nil))
        #expect(!ExcelDates.isDateFormat(id: 166, code: #"0 "days""#), "a quoted d is text")
        #expect(!ExcelDates.isDateFormat(id: 167, code: "[Red]0.00") && !ExcelDates.isDateFormat(id: 168, code: #"0\d"#))
    }

    /// A part that unpacks past the limit is refused before it is unpacked: a few megabytes of
    /// ZIP may hold gigabytes.
    @Test func aPartLargerThanTheLimitIsRefused() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: RecordCommandTests.workbooks[0])))
        #expect(try Workbook.rows(of: bytes, source: "return.xlsx", partLimit: 1 << 20).rows.count == 4)
        #expect {
            try Workbook.rows(of: bytes, source: "return.xlsx", partLimit: 1_000)
        } throws: { error in
            (error as? LedgerError)?.rule.hasPrefix("return.xlsx's part xl/worksheets/sheet1.xml unpacks to over") == true
        }
    }

    @Test func aSheetShownAsCSVKeepsItsRowNumbersAsLines() throws {
        let rows = CSVRows(header: .init(line: 1, fields: ["occurredOn", "title"]),
                           rows: [.init(line: 3, fields: ["2024-07-01", "ESOL, \"Entry 3\""]), .init(line: 4, fields: ["2024-07-02", "two\nlines"]),
                                  .init(line: 6, fields: ["2024-07-03", "after"]), .init(line: 7, fields: ["2024-07-04", "windows\r\nbreak"]),
                                  .init(line: 9, fields: ["2024-07-05", "last"])])
        let text = Workbook.csvText(of: rows)
        #expect(text == "occurredOn,title\n\n2024-07-01,\"ESOL, \"\"Entry 3\"\"\"\n2024-07-02,\"two\nlines\"\n2024-07-03,after\n2024-07-04,\"windows\r\nbreak\"\n2024-07-05,last\n",
                "\(text)")
        #expect(try CSVRows(Array(text.utf8)).rows.map(\.line) == [3, 4, 6, 7, 9])
    }

    /// A cell holding a Windows line break is quoted in every CSV the ledger writes (a read
    /// model's table, a sheet shown in a box): `"\r\n"` is one Character, and a check by
    /// Characters let it through unquoted, splitting its row in two.
    @Test func aCellWithAWindowsLineBreakIsQuoted() throws {
        #expect(CSVRows.quoted("a\r\nb") == "\"a\r\nb\"" && CSVRows.quoted("plain") == "plain")
        let table = ReportTable(title: "", columns: ["partnerId", "name"], rows: [["PT-1", "Line one\r\nline two"]])
        #expect(table.csv == "partnerId,name\r\nPT-1,\"Line one\r\nline two\"\r\n", "\(table.csv)")
        #expect(try CSVRows(Array(table.csv.utf8)).rows.map(\.fields) == [["PT-1", "Line one\r\nline two"]])
    }
}
