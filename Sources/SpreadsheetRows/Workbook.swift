public import CareLedger
internal import Foundation
internal import ZIPFoundation

/// A provider's return as the `.xlsx` file it came in (Office Open XML, as Excel, LibreOffice
/// and Google Sheets save a workbook): its first sheet's rows, read as ``CSVRows`` reads a CSV
/// file, so that nobody has to save it as "CSV UTF-8" first, the step where a code page or a
/// date's format goes wrong.
///
/// Each row keeps its row number in the sheet, which is what refusals call its line: the number
/// a person sees at the sheet's left edge. A cell formatted as a date is written `YYYY-MM-DD`
/// (the workbook's 1900 or 1904 date system, or an ISO 8601 date cell's day); a number as its
/// shortest text (`37.5`, `1240`); a boolean as `true` or `false`; a formula as its cached result.
public enum Workbook {
    /// The most bytes one part of a workbook (its sheet's XML, say) is unpacked to: some 200
    /// times what a return of a few thousand rows takes.
    static let partLimit = 256 << 20

    private struct PartTooLarge: Error {}

    /// Whether `bytes` begin as a ZIP archive does, as every `.xlsx` file does.
    public static func isWorkbook(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }

    /// The first sheet of the workbook in `bytes`.
    /// - Parameter source: the file's name in refusals.
    /// - Throws: ``LedgerError`` `rejected` for bytes that are not a workbook that can be read
    ///   (an old `.xls`, a damaged file, a sheet with no rows).
    public static func rows(of bytes: [UInt8], source: String) throws(LedgerError) -> CSVRows {
        try rows(of: bytes, source: source, partLimit: partLimit)
    }

    /// ``rows(of:source:)`` with another limit on a part's unpacked bytes.
    static func rows(of bytes: [UInt8], source: String, partLimit: Int) throws(LedgerError) -> CSVRows {
        func part(_ archive: Archive, _ path: String) throws(LedgerError) -> Data? {
            guard let entry = archive[path] else { return nil }
            // A few megabytes of ZIP can unpack to gigabytes: no part is unpacked past the limit,
            // whatever its header claims.
            let tooLarge = LedgerError(.rejected, "\(source)'s part \(path) unpacks to over \(partLimit >> 20) MiB: record a sheet this large in parts")
            guard entry.uncompressedSize <= UInt64(partLimit) else { throw tooLarge }
            var data = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    guard data.count + chunk.count <= partLimit else { throw PartTooLarge() }
                    data.append(chunk)
                }
            } catch is PartTooLarge {
                throw tooLarge
            } catch {
                throw LedgerError(.rejected, "\(source) is damaged: its part \(path) cannot be read (\(error))")
            }
            return data
        }
        let archive: Archive
        do { archive = try Archive(data: Data(bytes), accessMode: .read) } catch {
            throw LedgerError(.rejected, "\(source) is not a workbook that can be read (\(error)): save it as .xlsx, or as \"CSV UTF-8\"")
        }
        guard let workbookXML = try part(archive, "xl/workbook.xml") else {
            throw LedgerError(.rejected, "\(source) is a ZIP file but not an .xlsx workbook (it has no xl/workbook.xml): save it as .xlsx, or as \"CSV UTF-8\"")
        }
        let workbook = WorkbookPart(workbookXML)
        let relations = try part(archive, "xl/_rels/workbook.xml.rels").map(RelationsPart.init) ?? RelationsPart(Data())
        guard let sheetID = workbook.firstSheetRelation, let target = relations.targets[sheetID] else {
            throw LedgerError(.rejected, "\(source) names no sheet to read")
        }
        let sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        guard let sheetXML = try part(archive, sheetPath) else {
            throw LedgerError(.rejected, "\(source) is damaged: its first sheet, \(sheetPath), is missing")
        }
        let strings = try part(archive, "xl/sharedStrings.xml").map(SharedStringsPart.init)?.strings ?? []
        let styles = try part(archive, "xl/styles.xml").map(StylesPart.init) ?? StylesPart(Data())
        let sheet = SheetPart(sheetXML, strings: strings, dateStyles: styles.dateStyles, dates: ExcelDates(date1904: workbook.date1904))
        guard let header = sheet.rows.first else {
            throw LedgerError(.rejected, "\(source)'s first sheet holds no rows: its first row names the columns")
        }
        for row in sheet.rows.dropFirst() where row.fields.count > header.fields.count && row.fields[header.fields.count...].contains(where: { !$0.isEmpty }) {
            throw LedgerError(.rejected, "this row has cells beyond the \(header.fields.count) columns the first row names", location: .line(row.line))
        }
        return CSVRows(header: header, rows: sheet.rows.dropFirst().map { CSVRows.Row(line: $0.line, fields: Array($0.fields.prefix(header.fields.count))) })
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
    /// The rows of a spreadsheet's file as it came: an `.xlsx` workbook's first sheet (known by
    /// its bytes, whatever its name or media type), else CSV text. What `record --rows` and a
    /// spreadsheet sent to `POST /v1/events` read.
    /// - Parameter source: the file's name in a workbook's refusals.
    public init(spreadsheet bytes: [UInt8], source: String) throws(LedgerError) {
        self = Workbook.isWorkbook(bytes) ? try Workbook.rows(of: bytes, source: source) : try CSVRows(bytes)
    }
}
