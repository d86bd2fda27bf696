import CareLedger
import SpreadsheetRows

/// A spreadsheet's rows as `record --rows`, the `/record` page and `POST /v1/events` read them: a
/// workbook (.xlsx, .ods, .fods, Excel 2003 XML, a web page's tables) or CSV.
enum RowsHarness {
    static func run(_ bytes: [UInt8]) {
        if Workbook.isWorkbook(bytes) {
            _ = try? Workbook.rows(of: bytes, source: "fuzz")
        } else {
            _ = try? CSVRows(bytes, source: "fuzz")
        }
    }
}
