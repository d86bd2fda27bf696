internal import CareLedger
internal import Foundation

/// A sheet of an `.ods` workbook (OpenDocument, as LibreOffice saves it): its `content.xml`
/// holds every sheet as a table whose cells carry their values (`office:value`,
/// `office:date-value`) beside the text they show.
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
            throw LedgerError(.rejected, "\(source) is an OpenDocument file but not a spreadsheet (it says it is \(kind.isEmpty ? "nothing" : kind)): \(Workbook.saveAs)")
        }
        let table = OpenDocumentTablePart(sheet: wanted)
        try archive.read("styles.xml", with: table)  // the styles a cell may name, before the cells
        guard try archive.read("content.xml", with: table) else {
            throw LedgerError(.rejected, "\(source) is damaged: its content.xml, which holds the sheets, is missing")
        }
        guard !table.tooLarge else { throw SheetSize.refusal(source, sheet: table.names.last ?? "") }
        guard let index = table.chosen else {
            // No table of that name (refused with the tables' names), or none that is not hidden.
            _ = try Workbook.choose(wanted, among: table.names, source: source)
            throw LedgerError(.rejected, "\(source) holds no sheet to read\(table.names.isEmpty ? "" : ": every sheet is hidden; name one to read it")")
        }
        return (table.rows, table.names[index], table.names)
    }
}
