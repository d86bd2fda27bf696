public import CareLedger
internal import Foundation
internal import ZIPFoundation

/// A sheet to fill in (``RowSheet``) as an `.xlsx` workbook, for a programme officer to send to
/// providers: a CSV file opened in a spreadsheet has its identifiers turned into numbers and its
/// dates into the day a locale reads, and nothing in it says which values a field takes.
///
/// Its first sheet, `Return`, has the columns in bold, frozen above the rows, and the example
/// rows. Each column is formatted by what it holds: a date column as dates (`yyyy-mm-dd`), and
/// accepting only dates; a field of listed values with a drop-down of them, from a second sheet,
/// `Choices`, which shows them all; every other text column as text, so that `00123` and `1-2`
/// stay as typed. ``Workbook`` reads it back, its example rows as the types' example events.
public enum ReturnWorkbook {
    /// The `.xlsx` file of `sheet`.
    public static func xlsx(_ sheet: RowSheet) -> [UInt8] {
        let choiceColumns = choiceColumns(of: sheet)
        var parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes(sheets: choiceColumns.isEmpty ? 1 : 2)),
            ("_rels/.rels", relationships([("officeDocument", "xl/workbook.xml")])),
            ("xl/workbook.xml", workbook(sheets: choiceColumns.isEmpty ? ["Return"] : ["Return", choicesSheet])),
            ("xl/_rels/workbook.xml.rels", relationships([("worksheet", "worksheets/sheet1.xml"), ("styles", "styles.xml")]
                                                         + (choiceColumns.isEmpty ? [] : [("worksheet", "worksheets/sheet2.xml")]))),
            ("xl/styles.xml", styles),
            ("xl/worksheets/sheet1.xml", returnSheet(sheet, choiceColumns: choiceColumns)),
        ]
        if !choiceColumns.isEmpty { parts.append(("xl/worksheets/sheet2.xml", choicesSheet(sheet, choiceColumns: choiceColumns))) }
        return zipped(parts)
    }

    /// A workbook's file format, named as its file's extension.
    public enum Format: String, Sendable, CaseIterable {
        case xlsx, ods

        /// The media type a download of it is sent as.
        public var mediaType: String {
            switch self {
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .ods: OpenDocumentSheet.mediaType
            }
        }
    }

    /// The file of `sheet` in `format`: ``xlsx(_:)`` or ``ods(_:)``.
    public static func file(_ sheet: RowSheet, as format: Format) -> [UInt8] {
        switch format {
        case .xlsx: xlsx(sheet)
        case .ods: ods(sheet)
        }
    }

    /// The name of the sheet that lists the values of the drop-downs.
    static let choicesSheet = "Choices"

    /// The cell styles of `styles`, by their index.
    enum Style: Int { case general = 0, header, date, text }

    /// A spreadsheet's last row, down to which a column's check reaches.
    static let lastRow = 1_048_576

    /// The columns of fields of listed values, each with a drop-down from the sheet `Choices`.
    static func choiceColumns(of sheet: RowSheet) -> [Int] {
        sheet.kinds.indices.filter { if case .choice = sheet.kinds[$0] { true } else { false } }
    }

    /// Each listed column's values, in the order of `choiceColumns`: the sheet `Choices`'s columns.
    static func choiceLists(of sheet: RowSheet, _ choiceColumns: [Int]) -> [[String]] {
        choiceColumns.map { index in
            if case .choice(let values) = sheet.kinds[index] { values } else { [] }
        }
    }

    /// What the check of column `index` says of a value that breaks it, in either format: a
    /// date column's, or a listed one's; `nil` for a column without a check.
    static func checkWording(of index: Int, in sheet: RowSheet) -> (title: String, message: String)? {
        switch sheet.kinds[index] {
        case .date: ("A date", "\(sheet.columns[index]) is a date: the day, as 2025-07-22 or 22/07/2025.")
        case .choice: ("One of the listed values", "\(sheet.columns[index]) takes one of the values listed under it on the sheet \(choicesSheet).")
        default: nil
        }
    }

    /// Column `index`'s width in characters: its widest text, and room besides, up to 40.
    static func columnWidth(_ index: Int, of sheet: RowSheet) -> Int {
        width(sheet.columns[index], sheet.rows.map { $0[index] })
    }

    /// The width in characters of a column headed `name` over `values`: its widest text, and
    /// room besides, up to 40.
    static func width(_ name: String, _ values: [String]) -> Int {
        min(40, max(name.count, values.map(\.count).max() ?? 0) + 3)
    }

    private static func returnSheet(_ sheet: RowSheet, choiceColumns: [Int]) -> String {
        var xml = #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        xml += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>"#
        for (index, kind) in sheet.kinds.enumerated() {
            xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(columnWidth(index, of: sheet))" style="\#(style(of: kind).rawValue)" customWidth="1"/>"#
        }
        xml += "</cols><sheetData>" + row(1, sheet.columns.map { inline($0, style: .header) })
        for (number, cells) in zip(2..., sheet.rows) {
            xml += row(number, zip(cells, sheet.kinds).map { cell($0, kind: $1) })
        }
        xml += "</sheetData>"
        var validations: [String] = []
        for (index, kind) in sheet.kinds.enumerated() {
            let range = "\(column(index))2:\(column(index))\(lastRow)"
            guard let (title, message) = checkWording(of: index, in: sheet) else { continue }
            let said = #"allowBlank="1" showErrorMessage="1" errorTitle="\#(escaped(title))" error="\#(escaped(message))" sqref="\#(range)""#
            switch kind {
            case .choice(let values):
                let choices = column(choiceColumns.firstIndex(of: index)!)
                validations.append(#"<dataValidation type="list" \#(said)><formula1>\#(choicesSheet)!$\#(choices)$2:$\#(choices)$\#(values.count + 1)</formula1></dataValidation>"#)
            default:
                validations.append(#"<dataValidation type="date" operator="greaterThan" \#(said)><formula1>1</formula1></dataValidation>"#)
            }
        }
        if !validations.isEmpty { xml += #"<dataValidations count="\#(validations.count)">"# + validations.joined() + "</dataValidations>" }
        return declaration + xml + "</worksheet>"
    }

    private static func choicesSheet(_ sheet: RowSheet, choiceColumns: [Int]) -> String {
        let lists = choiceLists(of: sheet, choiceColumns)
        var xml = #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cols>"#
        for (index, values) in lists.enumerated() {
            xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(width(sheet.columns[choiceColumns[index]], values))" customWidth="1"/>"#
        }
        xml += "</cols><sheetData>" + row(1, choiceColumns.map { inline(sheet.columns[$0], style: .header) })
        for number in 0..<(lists.map(\.count).max() ?? 0) {
            xml += row(number + 2, lists.map { number < $0.count ? inline($0[number], style: .text) : nil })
        }
        return declaration + xml + "</sheetData></worksheet>"
    }

    static func style(of kind: RowColumnKind) -> Style {
        switch kind {
        case .date: .date
        case .wholeNumber, .number, .boolean: .general
        case .text, .choice, .list: .text
        }
    }

    /// A cell's attributes but its reference (`s="2"`), and what it holds (`<v>45474</v>`).
    private struct Cell {
        let attributes: String
        let content: String
    }

    /// A cell of an example row: a date as the day's serial number, a number or a boolean as
    /// such, anything else (or what does not read as its kind) as text; nothing when blank.
    private static func cell(_ text: String, kind: RowColumnKind) -> Cell? {
        guard !text.isEmpty else { return nil }
        switch kind {
        case .date:
            if let serial = LocalDate(text)?.spreadsheetSerial {
                return Cell(attributes: #"s="\#(Style.date.rawValue)""#, content: "<v>\(serial)</v>")
            }
        case .wholeNumber, .number:
            if Double(text) != nil { return Cell(attributes: "", content: "<v>\(text)</v>") }
        case .boolean:
            if text == "true" || text == "false" { return Cell(attributes: #"t="b""#, content: "<v>\(text == "true" ? 1 : 0)</v>") }
        case .text, .choice, .list: break
        }
        return inline(text, style: .text)
    }

    private static func inline(_ text: String, style: Style) -> Cell {
        Cell(attributes: #"s="\#(style.rawValue)" t="inlineStr""#, content: #"<is><t xml:space="preserve">\#(escaped(text))</t></is>"#)
    }

    /// A row of cells, each given its reference (`C7`); a blank cell is left out.
    private static func row(_ number: Int, _ cells: [Cell?]) -> String {
        var xml = #"<row r="\#(number)">"#
        for (index, cell) in cells.enumerated() {
            guard let cell else { continue }
            xml += #"<c r="\#(column(index))\#(number)"\#(cell.attributes.isEmpty ? "" : " " + cell.attributes)>\#(cell.content)</c>"#
        }
        return xml + "</row>"
    }

    /// The letters of column `index` (0 is A, 26 is AA).
    static func column(_ index: Int) -> String { CSVRows.columnLetters(index) }

    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"

    private static func contentTypes(sheets: Int) -> String {
        let main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        var xml = #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>"#
            + #"<Override PartName="/xl/workbook.xml" ContentType="\#(main).sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="\#(main).styles+xml"/>"#
        for number in 1...sheets { xml += #"<Override PartName="/xl/worksheets/sheet\#(number).xml" ContentType="\#(main).worksheet+xml"/>"# }
        return declaration + xml + "</Types>"
    }

    private static func relationships(_ targets: [(type: String, target: String)]) -> String {
        var xml = #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for (index, relation) in targets.enumerated() {
            xml += #"<Relationship Id="rId\#(index + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/\#(relation.type)" Target="\#(relation.target)"/>"#
        }
        return declaration + xml + "</Relationships>"
    }

    /// The workbook's sheets: the first is `rId1`, the second `rId3` (`rId2` is the styles).
    private static func workbook(sheets: [String]) -> String {
        var xml = #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#
        for (index, name) in sheets.enumerated() {
            xml += #"<sheet name="\#(name)" sheetId="\#(index + 1)" r:id="rId\#(index == 0 ? 1 : 3)"/>"#
        }
        return declaration + xml + "</sheets></workbook>"
    }

    /// The styles ``Style`` names: general, the header (bold text), a date (`yyyy-mm-dd`), text.
    private static let styles = declaration + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts>"#
        + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4">"#
        + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#

    /// `parts` as a ZIP archive, in order, each compressed but those named in `stored`.
    static func zipped(_ parts: [(String, String)], stored: Set<String> = []) -> [UInt8] {
        // An archive in memory cannot fail to take parts made here: a failure is a fault of this code.
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (path, text) in parts {
                let data = Data(text.utf8)
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: Date(timeIntervalSince1970: 1_735_689_600),
                                     compressionMethod: stored.contains(path) ? .none : .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            return Array(archive.data ?? Data())
        } catch {
            preconditionFailure("an in-memory workbook could not be written: \(error)")
        }
    }
}
