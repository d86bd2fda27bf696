public import CareLedger
internal import Foundation

/// A provider's return as the workbook it came in, so that nobody has to save it as "CSV UTF-8"
/// first, the step where a code page or a date's format goes wrong: an `.xlsx` file (Office
/// Open XML, as Excel and Google Sheets save a workbook) or an `.ods` file (OpenDocument, as
/// LibreOffice saves one, and the format the UK government's open standards name for sharing
/// spreadsheets). Its first sheet's rows are read as ``CSVRows`` reads a CSV file.
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

    /// What a refusal of a file that is not a workbook that can be read asks a person to do.
    static let saveAs = "save it as .xlsx or .ods, or as \"CSV UTF-8\""

    /// Whether `bytes` begin as a ZIP archive does, as every `.xlsx` and `.ods` file does.
    public static func isWorkbook(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }

    /// The first sheet of the workbook in `bytes`, `.xlsx` or `.ods` (known by its parts).
    /// - Parameter source: the file's name in refusals.
    /// - Throws: ``LedgerError`` `rejected` for bytes that are not a workbook that can be read
    ///   (an old `.xls`, a damaged file, a text document, a sheet with no rows).
    public static func rows(of bytes: [UInt8], source: String) throws(LedgerError) -> CSVRows {
        try rows(of: bytes, source: source, partLimit: partLimit)
    }

    /// ``rows(of:source:)`` with another limit on a part's unpacked bytes.
    static func rows(of bytes: [UInt8], source: String, partLimit: Int) throws(LedgerError) -> CSVRows {
        let archive = try WorkbookArchive(bytes, source: source, partLimit: partLimit)
        let sheet: [CSVRows.Row]
        if let openDocument = try OpenDocumentSheet.rows(of: archive) { sheet = openDocument } else { sheet = try OfficeOpenXMLSheet.rows(of: archive) }
        guard !sheet.isEmpty else {
            throw LedgerError(.rejected, "\(source)'s first sheet holds no rows: its first row names the columns")
        }
        let header = sheet[CSVRows.headerIndex(in: sheet)]
        let rows = sheet.drop { $0.line <= header.line }
        for row in rows where row.fields.count > header.fields.count && row.fields[header.fields.count...].contains(where: { !$0.isEmpty }) {
            throw LedgerError(.rejected, "this row has cells beyond the \(header.fields.count) columns that row \(header.line) names", location: .line(row.line))
        }
        return CSVRows(header: header, rows: rows.map { CSVRows.Row(line: $0.line, fields: Array($0.fields.prefix(header.fields.count))) })
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

extension CSVRows {
    /// The rows of a spreadsheet's file as it came: a workbook's first sheet (`.xlsx` or `.ods`,
    /// known by its bytes, whatever its name or media type), else CSV text. What `record --rows`
    /// and a spreadsheet sent to `POST /v1/events` read.
    /// - Parameter source: the file's name in a workbook's refusals.
    public init(spreadsheet bytes: [UInt8], source: String) throws(LedgerError) {
        self = Workbook.isWorkbook(bytes) ? try Workbook.rows(of: bytes, source: source) : try CSVRows(bytes)
    }
}
