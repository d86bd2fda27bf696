internal import CareLedger
internal import Foundation

/// A sheet of an `.ods` workbook (OpenDocument, as LibreOffice saves it), or of a flat `.fods`
/// one: its `content.xml` (in a flat one, the document itself) holds every sheet as a table
/// whose cells carry their values (`office:value`, `office:date-value`) beside the text they show.
enum OpenDocumentSheet {
    /// What an OpenDocument spreadsheet's `mimetype` part says (a template's adds `-template`).
    static let mediaType = "application/vnd.oasis.opendocument.spreadsheet"

    /// The rows with anything in them of the sheet named `wanted` (else the first), each with
    /// its row number, and the names of all the workbook's sheets; `nil` when the archive is not
    /// an OpenDocument file (it has no `mimetype` part).
    /// - Throws: ``LedgerError`` `rejected` for an OpenDocument file that is not a spreadsheet,
    ///   one whose content is missing or cannot be read, one with no sheet of that name, or a
    ///   sheet past the largest a spreadsheet program makes.
    static func rows(of archive: WorkbookArchive, sheet wanted: String?) throws(LedgerError) -> (rows: [CSVRows.Row], name: String, names: [String])? {
        guard let mimetype = try archive.part("mimetype") else { return nil }
        let source = archive.source
        let kind = String(decoding: mimetype, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard kind.hasPrefix(mediaType) else {
            throw LedgerError(.rejected, "\(source) is an OpenDocument file but not a spreadsheet (it says it is \(kind.isEmpty ? "nothing" : kind)): \(CSVRows.saveAs)")
        }
        let table = OpenDocumentTablePart(sheet: wanted)
        try archive.read("styles.xml", with: table)  // the styles a cell may name, before the cells
        guard try archive.read("content.xml", with: table) else {
            throw LedgerError(.rejected, "\(source) is damaged: its content.xml, which holds the sheets, is missing")
        }
        return try chosenRows(of: table, source: source, wanted: wanted)
    }

    /// Whether `bytes` are a flat OpenDocument spreadsheet (`.fods`, as LibreOffice saves "Flat
    /// XML ODF Spreadsheet" and some systems export): one XML document, not a ZIP archive, whose
    /// root, `office:document`, names the spreadsheet's media type among its first attributes.
    static func isFlatSpreadsheet(_ bytes: some Collection<UInt8>) -> Bool {
        let head = Array(bytes.prefix(flatHeadBytes))
        let start = head.firstIndex { !CSVRows.isSpaceOrMark($0) } ?? head.endIndex
        guard head[start...].starts(with: Array("<".utf8)) else { return false }
        return head.firstRange(of: Array("office:document".utf8)) != nil && head.firstRange(of: Array(mediaType.utf8)) != nil
    }

    /// How far into a flat document its root's media type is looked for: LibreOffice writes it
    /// after some 2 KB of namespace declarations.
    private static let flatHeadBytes = 16 << 10

    /// ``rows(of:sheet:)`` for a flat OpenDocument spreadsheet, `bytes`, whose styles and sheets
    /// are one XML document, read as the parts of an `.ods` are.
    /// - Throws: ``LedgerError`` `rejected` for a document over `partLimit` bytes or one that is
    ///   not well-formed, and as ``rows(of:sheet:)`` does.
    static func rows(ofFlat bytes: [UInt8], source: String, sheet wanted: String?, partLimit: Int) throws(LedgerError) -> (rows: [CSVRows.Row], name: String, names: [String]) {
        let table = OpenDocumentTablePart(sheet: wanted)
        try table.readDocument(bytes, source: source, partLimit: partLimit)
        return try chosenRows(of: table, source: source, wanted: wanted)
    }

    /// The rows of the table `table` chose, once the whole document has been read through it.
    private static func chosenRows(of table: OpenDocumentTablePart, source: String, wanted: String?) throws(LedgerError) -> (rows: [CSVRows.Row], name: String, names: [String]) {
        guard !table.tooLarge else { throw SheetSize.refusal(source, sheet: table.names.last ?? "") }
        guard let index = table.chosen else {
            // No table of that name (refused with the tables' names), or none that is not hidden.
            _ = try Workbook.choose(wanted, among: table.names, source: source)
            throw LedgerError(.rejected, "\(source) holds no sheet to read\(table.names.isEmpty ? "" : ": every sheet is hidden; name one to read it")")
        }
        return (table.rows, table.names[index], table.names)
    }
}
