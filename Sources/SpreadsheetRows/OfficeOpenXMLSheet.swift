internal import CareLedger

/// A sheet of an `.xlsx` workbook (Office Open XML, as Excel saves it): found through the
/// workbook's part and its relations, its text in a shared table or inline, its dates numbers
/// that a date format shows as days.
enum OfficeOpenXMLSheet {
    /// The rows with anything in them of the sheet named `wanted` (else the first), each with
    /// its row number, and the names of all the workbook's sheets.
    /// - Throws: ``LedgerError`` `rejected` for a ZIP file that is not an `.xlsx` workbook, one
    ///   whose parts are missing or cannot be read, or one with no sheet of that name.
    static func rows(of archive: WorkbookArchive, sheet wanted: String?) throws(LedgerError) -> (rows: [CSVRows.Row], name: String, names: [String]) {
        let source = archive.source
        let workbook = WorkbookPart()
        guard try archive.read("xl/workbook.xml", with: workbook) else {
            throw LedgerError(.rejected, "\(source) is a ZIP file but not a workbook (it has no xl/workbook.xml, as an .xlsx has, nor an OpenDocument spreadsheet's mimetype, as an .ods has): \(CSVRows.saveAs)")
        }
        let relations = RelationsPart()
        try archive.read("xl/_rels/workbook.xml.rels", with: relations)
        let names = workbook.sheets.map(\.name)
        let hidden = Set(workbook.sheets.indices.filter { workbook.sheets[$0].hidden })
        guard let chosen = try Workbook.choose(wanted, among: names, hidden: hidden, source: source).map({ workbook.sheets[$0] }),
              let sheetID = chosen.relation, let target = relations.targets[sheetID] else {
            throw LedgerError(.rejected, "\(source) names no sheet to read")
        }
        let sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        guard let sheetXML = try archive.part(sheetPath) else {
            throw LedgerError(.rejected, "\(source) is damaged: its sheet \(chosen.name), \(sheetPath), is missing")
        }
        let strings = SharedStringsPart(), styles = StylesPart()
        try archive.read("xl/sharedStrings.xml", with: strings)
        guard !strings.tooLarge else { throw SheetSize.refusal(source, sheet: chosen.name) }
        try archive.read("xl/styles.xml", with: styles)
        let sheet = SheetPart(strings: strings.strings, dateStyles: styles.dateStyles, dates: ExcelDates(date1904: workbook.date1904))
        try archive.read(sheetXML, of: sheetPath, with: sheet)
        guard !sheet.tooLarge else { throw SheetSize.refusal(source, sheet: chosen.name) }
        return (sheet.rows, chosen.name, names)
    }
}
