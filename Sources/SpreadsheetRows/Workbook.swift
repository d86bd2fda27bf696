public import CareLedger
internal import Foundation

/// A provider's return as the workbook it came in, so that nobody has to save it as "CSV UTF-8"
/// first, the step where a code page or a date's format goes wrong: an `.xlsx` file (Office
/// Open XML, as Excel and Google Sheets save a workbook) or an `.ods` file (OpenDocument, as
/// LibreOffice saves one, and the format the UK government's open standards name for sharing
/// spreadsheets; or its flat XML form, `.fods`), an Excel 2003 XML spreadsheet, as older
/// HR and rostering systems export, or a web page's tables, as a case system's "export to
/// Excel" writes them (``HTMLTableSheet``). A sheet's rows (its first, or the one named) are read as
/// ``CSVRows`` reads a CSV file.
///
/// Its columns are named by its first row that names `occurredOn` (a title above it is not
/// read), and each row keeps its row number in the sheet, which is what refusals call its line:
/// the number a person sees at the sheet's left edge. A cell holding a date is written `YYYY-MM-DD` (in an
/// `.xlsx`, a cell formatted as a date, in the workbook's 1900 or 1904 date system, or an ISO
/// 8601 date cell's day); a number as its value's text (`37.5`, `1240`); a boolean as `true` or
/// `false`; a formula as its cached result.
public enum Workbook {
    /// The most bytes one part of a workbook (its sheet's XML, say) is unpacked to: some 200
    /// times what a return of a few thousand rows takes.
    static let partLimit = 256 << 20

    /// Whether `bytes` are a workbook that is read as one, not as CSV: a ZIP archive, as every
    /// `.xlsx` and `.ods` file is, a flat OpenDocument spreadsheet (`.fods`), an Excel 2003
    /// XML spreadsheet, or a web page.
    public static func isWorkbook(_ bytes: some Collection<UInt8>) -> Bool {
        isArchive(bytes) || OpenDocumentSheet.isFlatSpreadsheet(bytes) || SpreadsheetMLSheet.isSpreadsheet(bytes) || HTMLTableSheet.isWebPage(bytes)
    }

    /// The kinds of workbook read, as help and refusals list them.
    public static let kinds = ".xlsx, .ods, .fods, Excel 2003 XML or a web page's tables"

    /// Whether `bytes` begin as a ZIP archive does.
    static func isArchive(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }

    /// One sheet of a workbook, read as rows, and the names of all its sheets: a return may
    /// keep its starters on one and its leavers on another.
    public struct Sheet: Sendable {
        /// The sheet's name, on its tab.
        public let name: String
        /// Every sheet's name, in order.
        public let names: [String]
        public let rows: CSVRows
    }

    /// The first sheet (the first not hidden) of the workbook in `bytes`, `.xlsx`, `.ods` or
    /// `.fods` (known by its bytes).
    /// - Parameter source: the file's name in refusals.
    /// - Throws: ``LedgerError`` `rejected` for bytes that are not a workbook that can be read
    ///   (an old `.xls`, a damaged file, a text document, a sheet with no rows).
    public static func rows(of bytes: [UInt8], source: String) throws(LedgerError) -> CSVRows {
        try sheet(of: bytes, source: source).rows
    }

    /// The sheet named `name` (else the first not hidden) of the workbook in `bytes`, `.xlsx`,
    /// `.ods` or `.fods`.
    /// - Parameter source: the file's name in refusals.
    /// - Throws: ``LedgerError`` `usage` when the workbook has no sheet of that name;
    ///   `rejected` for bytes that are not a workbook that can be read (an old `.xls`, a damaged
    ///   file, a text document, a sheet with no rows).
    public static func sheet(of bytes: [UInt8], source: String, named name: String? = nil) throws(LedgerError) -> Sheet {
        try sheet(of: bytes, source: source, named: name, partLimit: partLimit)
    }

    /// ``sheet(of:source:named:)`` with another limit on a part's unpacked bytes.
    static func sheet(of bytes: [UInt8], source: String, named wanted: String? = nil, partLimit: Int) throws(LedgerError) -> Sheet {
        let read: (rows: [CSVRows.Row], name: String, names: [String])
        if !isArchive(bytes) && OpenDocumentSheet.isFlatSpreadsheet(bytes) {
            read = try OpenDocumentSheet.rows(ofFlat: bytes, source: source, sheet: wanted, partLimit: partLimit)
        } else if !isArchive(bytes) && SpreadsheetMLSheet.isSpreadsheet(bytes) {
            read = try SpreadsheetMLSheet.rows(of: bytes, source: source, sheet: wanted, partLimit: partLimit)
        } else if !isArchive(bytes) && HTMLTableSheet.isWebPage(bytes) {
            read = try HTMLTableSheet.rows(of: bytes, source: source, sheet: wanted, partLimit: partLimit)
        } else {
            let archive = try WorkbookArchive(bytes, source: source, partLimit: partLimit)
            if let openDocument = try OpenDocumentSheet.rows(of: archive, sheet: wanted) { read = openDocument } else { read = try OfficeOpenXMLSheet.rows(of: archive, sheet: wanted) }
        }
        let sheet = read.rows, which = read.names.first == read.name ? "first sheet" : "sheet \(read.name)"
        guard !sheet.isEmpty else {
            throw LedgerError(.rejected, "\(source)'s \(which) holds no rows: its first row names the columns")
        }
        let header = sheet[CSVRows.headerIndex(in: sheet)]
        let rows = sheet.drop { $0.line <= header.line }
        for row in rows where row.fields.count > header.fields.count && row.fields[header.fields.count...].contains(where: { !$0.isEmpty }) {
            throw LedgerError(.rejected, "this row has cells beyond the \(header.fields.count) columns that row \(header.line) names", location: .line(row.line))
        }
        return Sheet(name: read.name, names: read.names,
                     rows: CSVRows(header: header, rows: rows.map { CSVRows.Row(line: $0.line, fields: Array($0.fields.prefix(header.fields.count))) }))
    }

    /// Which of the sheets `names` to read: the one named `wanted`, else the first that is not
    /// `hidden` (a workbook may keep a hidden sheet of lookups before the one people see), else
    /// the first; `nil` when there are none.
    /// - Throws: ``LedgerError`` `usage` when none is named `wanted`, with the sheets' names.
    static func choose(_ wanted: String?, among names: [String], hidden: Set<Int> = [], source: String) throws(LedgerError) -> Int? {
        guard let wanted else { return names.indices.first { !hidden.contains($0) } ?? names.indices.first }
        guard let index = names.firstIndex(of: wanted) else {
            throw LedgerError(.usage, "\(source) has no sheet named \"\(wanted)\"\(NearestName.hint(for: wanted, among: names)); its sheets: \(names.joined(separator: ", "))")
        }
        return index
    }
}

extension Workbook.Sheet {
    /// Every sheet's name but `Choices`, the values a workbook of ``ReturnWorkbook`` lists for
    /// its drop-downs: the sheets a person might mean to record.
    public var sheetsOfRows: [String] { names.filter { $0 != ReturnWorkbook.choicesSheet } }

    /// Which sheet was read and which were not, when the workbook has others: so that nobody
    /// takes a return's first sheet for the whole of it. `nil` for a workbook of one sheet. A
    /// sheet named `Choices`, the values a workbook of ``ReturnWorkbook`` lists for its
    /// drop-downs, goes unsaid.
    /// - Parameter source: the file's name.
    public func otherSheets(of source: String) -> String? {
        let others = sheetsOfRows.filter { $0 != name }
        guard !others.isEmpty else { return nil }
        return "read \(source)'s sheet \(name), not its \(others.count == 1 ? "other sheet" : "\(others.count) other sheets"), \(others.joined(separator: ", "))"
    }
}

extension Workbook {
    /// `rows` as CSV text whose line N holds the row of line N (blank lines between), so that
    /// the rows of a sheet, shown in a text box and read back, are still named by their row
    /// numbers: the `/record` page shows a workbook's sheet so.
    public static func csvText(of rows: CSVRows) -> String {
        var text = ""
        var line = 1
        for row in [rows.header] + rows.rows {
            if row.line > line { text += String(repeating: "\n", count: row.line - line) }
            text += row.fields.map(CSVRows.quoted).joined(separator: ",") + "\n"
            // A line break inside a cell takes a line of the text too ("\r\n" is one Character).
            line = max(line, row.line) + 1 + row.fields.reduce(0) { $0 + $1.unicodeScalars.count { $0 == "\n" } }
        }
        return text
    }
}
