internal import CareLedger
internal import Foundation

/// The tables of a web page read as a workbook's sheets: what a case or HR system's "export to
/// Excel" writes, often named `.xls`, and what Excel itself opens as a sheet. Each `table` is a
/// sheet, named by its `caption`, else by the heading above it, else (the page's only table) by
/// the sheet name Excel shows for the page (``ExcelWorksheets``), else `Table N` in the order
/// the tables begin; by default, or asked for by that name when the page has several, the
/// first whose rows name `occurredOn` is read (a page may lay out a title or a logo in a table
/// before the data's), else the first with rows.
///
/// A row (`tr`) keeps its number in its table, counted from 1 as Excel numbers the rows of a
/// page holding that table alone. A cell (`td` or `th`) is its text with the page's white space
/// run together, as a browser shows it, and a line break (`br`, or a paragraph's end) kept as
/// one; it spans the columns and rows its `colspan` and `rowspan` say (its value in the first,
/// as a merged cell's). A script's or a style's text is not a cell's. A cell LibreOffice or
/// Excel saved is its value where they wrote one beside its text (``HTMLSavedValue``): a date's
/// day, a boolean's word.
enum HTMLTableSheet {
    /// Whether `bytes` are a web page (``CSVRows/isWebPage(_:)``).
    static func isWebPage(_ bytes: some Collection<UInt8>) -> Bool { CSVRows.isWebPage(bytes) }

    /// The rows with anything in them of the table named `wanted` (else the first that names
    /// `occurredOn`, else the first with rows), each with its row number, and every table's name.
    /// - Throws: ``LedgerError`` `rejected` for a page over `partLimit` bytes, text in no code
    ///   page read, no table, or a table past the largest sheet read; `usage` for no table of
    ///   that name.
    static func rows(of bytes: [UInt8], source: String, sheet wanted: String?, partLimit: Int) throws(LedgerError) -> (rows: [CSVRows.Row], name: String, names: [String]) {
        guard bytes.count <= partLimit else {
            throw LedgerError(.rejected, "\(source) is a web page of more than \(byteSize(partLimit)), larger than a sheet read: record it in parts")
        }
        var reader = HTMLTableReader()
        let page = Array(try HTMLText.decoded(bytes, source: source).utf8)
        reader.read(page)
        let tables = reader.tables
        var names = tables.map(\.name)
        guard !reader.tooLarge else { throw SheetSize.refusal(source, sheet: names.last ?? "Table \(names.count + 1)") }
        let excel = ExcelWorksheets(in: page)
        guard !tables.isEmpty else { throw noTable(in: source, declaring: excel) }
        // The name on the tab Excel shows for the page: the name of its one table, if the page
        // gives it none of its own; with several, the name of the page, whose table of rows is
        // read as when no sheet is named.
        let excelName = excel.name
        if let excelName, tables.count == 1, !tables[0].named { names[0] = excelName }
        let readsDefault = wanted.map { $0 == excelName && !names.contains($0) } ?? true
        let chosen = try readsDefault
            ? tables.firstIndex { $0.rows.contains { $0.fields.contains { CSVRows.trimmed($0) == "occurredOn" } } }
                ?? tables.firstIndex { !$0.rows.isEmpty } ?? 0
            : Workbook.choose(wanted, among: names, source: source) ?? 0
        return (tables[chosen].rows, names[chosen], names)
    }

    /// The refusal of a page with no table: for the frame of a workbook Excel saved as a web
    /// page, the files its sheets are in, which are what can be read.
    private static func noTable(in source: String, declaring excel: ExcelWorksheets) -> LedgerError {
        let files = excel.worksheets.compactMap { sheet in sheet.source.map { "\($0) (\(sheet.name))" } }
        guard !files.isEmpty else { return LedgerError(.rejected, "\(source) is a web page with no table in it: there are no rows to read") }
        return LedgerError(.rejected, "\(source) is the frame of a workbook saved as a web page, which holds no table: each sheet is a file of its own, beside it; give the sheet's file instead: \(files.joined(separator: ", "))")
    }
}

/// The text of a web page's bytes: UTF-8 (with or without its byte order mark), UTF-16 after
/// its mark, or the code page it declares (`<meta charset="windows-1252">`), Windows-1252 when
/// it declares none and is not UTF-8, as a browser reads it.
enum HTMLText {
    static func decoded(_ bytes: [UInt8], source: String) throws(LedgerError) -> String {
        if let utf16 = try CSVRows.utf16Text(of: bytes, named: source) { return utf16 }
        let body = FileLineReader.startsWithByteOrderMark(bytes) ? bytes.dropFirst(3) : bytes[...]
        let declared = declaredCharset(bytes)
        switch declared {
        case nil, "utf-8", "utf8", "unicode-1-1-utf-8":
            if let text = String(validating: body, as: UTF8.self) { return text }
            if declared == nil, let text = String(bytes: body, encoding: .windowsCP1252) { return text }
            throw LedgerError(.rejected, "\(source) is not UTF-8 text, though it says it is: \(CSVRows.saveAs)")
        case "windows-1252", "cp1252", "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii":
            // As a browser does: a page that says Latin-1 is read as Windows-1252, its superset.
            if let text = String(bytes: body, encoding: .windowsCP1252) { return text }
            throw LedgerError(.rejected, "\(source) is not Windows-1252 text, though it says it is")
        case let other?:
            throw LedgerError(.rejected, "\(source) is a web page in the code page \(other), which is not read: \(CSVRows.saveAs)")
        }
    }

    /// The code page a page's head names (`charset=NAME` in a `meta` element), lowercased.
    static func declaredCharset(_ bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
        guard let mark = head.firstRange(of: "charset=") else { return nil }
        let name = head[mark.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
            .prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":" || $0 == "." }
        return name.isEmpty ? nil : String(name)
    }
}
