internal import CareLedger
internal import Foundation

/// A table of an OpenDocument spreadsheet, the one named or else the first, read from
/// `content.xml` after `styles.xml` (for the styles a cell names, read by the same reader): its
/// rows with anything in them, each with its row number, and its cells by column, a missing
/// cell blank; and the names of all the tables, the workbook's sheets.
///
/// A row or a cell written once for several (`table:number-rows-repeated`,
/// `table:number-columns-repeated`, as LibreOffice writes the blank million rows after the last)
/// is as many rows or cells; blank ones take no memory. A cell's text is its paragraphs, one a
/// line, with the white space OpenDocument collapses collapsed and its comments left out.
final class OpenDocumentTablePart: PartReader {
    private(set) var rows: [CSVRows.Row] = []
    /// Every table's name, in order.
    private(set) var names: [String] = []
    /// Which of them was read.
    private(set) var chosen: Int?
    /// The table styles that hide a table, and the one being read in the styles.
    private var hidingStyles: Set<String> = [], tableStyle: String?
    /// Whether the table runs past ``SheetSize`` (its rows are then not all read).
    private(set) var tooLarge = false
    /// The name of the table to read; `nil` for the first.
    private let wanted: String?
    /// Whether the reader is in the table it reads (at its top level).
    private var reading = false

    /// The data styles (number formats) that show a boolean, and each cell style's data style.
    private var booleanStyles: Set<String> = [], dataStyles: [String: String] = [:]
    /// Runs of the first table's columns' default cell styles, each to the column it ends before.
    private var columnStyles: [(end: Int, style: String?)] = []
    private var tableDepth = 0
    /// Inside an annotation, a note's body or a drawing: text that is not the cell's.
    private var excluded = 0
    private var nextRow = 1, row: (number: Int, repeated: Int)?, cells: [String] = [], column = 0
    /// The cells with something in them read so far, and the bytes of their text, repeats counted.
    private var filled = 0, textBytes = 0, rowCells = 0
    private var cell: Cell?, paragraph: Paragraph?

    private struct Cell {
        let attributes: [String: String]
        let repeated: Int
        var text = "", paragraphs = 0
    }

    init(sheet wanted: String?) {
        self.wanted = wanted
    }

    private static let excludedElements: Set = ["annotation", "note-body", "ruby-text", "frame", "custom-shape", "g", "rect", "ellipse",
                                                "circle", "line", "polyline", "polygon", "path", "connector", "caption", "measure", "control"]

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "boolean-style": if let style = attributes["style:name"] { booleanStyles.insert(style) }
        case "style" where attributes["style:family"] == "table-cell":
            if let style = attributes["style:name"], let data = attributes["style:data-style-name"] { dataStyles[style] = data }
        case "style" where attributes["style:family"] == "table": tableStyle = attributes["style:name"]
        case "table-properties" where attributes["table:display"] == "false": if let tableStyle { hidingStyles.insert(tableStyle) }
        case "table":
            tableDepth += 1
            if tableDepth == 1 {
                // The table named, else the first not hidden (a hidden sheet of lookups may come first).
                let name = attributes["table:name"] ?? ""
                let hidden = attributes["table:style-name"].map(hidingStyles.contains) ?? false
                reading = chosen == nil && (wanted.map { $0 == name } ?? !hidden)
                if reading { chosen = names.count }
                names.append(name)
            }
        default: break
        }
        guard tableDepth == 1 && reading else { return }
        switch name {
        case "table-column":
            columnStyles.append((end: (columnStyles.last?.end ?? 0) + Self.repeats(attributes["table:number-columns-repeated"], upTo: SheetSize.columns),
                                 style: attributes["table:default-cell-style-name"]))
        case "table-row":
            row = (nextRow, Self.repeats(attributes["table:number-rows-repeated"], upTo: SheetSize.rows))
            cells = []
            column = 0
        case "table-cell", "covered-table-cell":
            guard row != nil else { return }
            cell = Cell(attributes: attributes, repeated: Self.repeats(attributes["table:number-columns-repeated"], upTo: SheetSize.columns))
        case _ where Self.excludedElements.contains(name): excluded += 1
        case _ where excluded > 0: break
        case "p", "h":
            guard var current = cell else { return }
            if current.paragraphs > 0 { current.text += "\n" }
            current.paragraphs += 1
            cell = current
            paragraph = Paragraph()
        case "s":
            // A run of spaces written once: no cell holds more than a spreadsheet's cell can.
            let count = Self.repeats(attributes["text:c"], upTo: SheetSize.cellCharacters)
            guard (cell?.text.utf8.count ?? 0) + (paragraph?.text.utf8.count ?? 0) + count <= SheetSize.cellCharacters else { return stop() }
            paragraph?.append(spaces: count)
        case "tab": paragraph?.append(kept: "\t")
        case "line-break": paragraph?.append(kept: "\n")
        default: break
        }
    }

    override func end(_ name: String) {
        defer {
            if name == "table" {
                tableDepth -= 1
                if tableDepth == 0 { reading = false }  // the later tables are read for their names alone
            }
        }
        guard tableDepth == 1 && reading else { return }
        switch name {
        case _ where Self.excludedElements.contains(name): excluded -= 1
        case _ where excluded > 0: break
        case "p", "h":
            if let paragraph { cell?.text += paragraph.text }
            paragraph = nil
        case "table-cell", "covered-table-cell": endCell()
        case "table-row": endRow()
        default: break
        }
    }

    override func text(_ text: String) {
        if tableDepth == 1 && excluded == 0 { paragraph?.append(collapsing: text) }
    }

    private func endCell() {
        guard let cell, row != nil else { return }
        self.cell = nil
        let text = value(of: cell)
        guard !text.isEmpty else { column += cell.repeated; return }
        guard column + cell.repeated <= SheetSize.columns else { return stop() }
        if cells.count < column { cells += Array(repeating: "", count: column - cells.count) }
        cells += Array(repeating: text, count: cell.repeated)
        column += cell.repeated
    }

    private func endRow() {
        guard let row else { return }
        self.row = nil
        nextRow = row.number + row.repeated
        let filledHere = cells.count { !$0.isEmpty }
        guard filledHere > 0 else { return }
        filled += filledHere * row.repeated
        textBytes += cells.reduce(0) { $0 + $1.utf8.count } * row.repeated
        guard nextRow - 1 <= SheetSize.rows && filled <= SheetSize.filledCells && textBytes <= SheetSize.textBytes,
              !SheetSize.exceedsRowCells(&rowCells, adding: cells.count, times: row.repeated) else { return stop() }
        rows += (row.number..<nextRow).map { CSVRows.Row(line: $0, fields: cells) }
    }

    private func stop() {
        tooLarge = true
        stopReading()
    }

    /// The cell as text: a number's value, a date's day, a boolean's word, else the text it shows.
    private func value(of cell: Cell) -> String {
        let attributes = cell.attributes
        switch attributes["office:value-type"] {
        case "float", "percentage", "currency":
            guard let value = attributes["office:value"] else { return cell.text }
            return isBoolean(cell) ? (Double(value) == 0 ? "false" : "true") : value
        case "boolean":
            return attributes["office:boolean-value"] ?? cell.text
        case "date":
            // A date, or a date and a time of day: its day.
            guard let value = attributes["office:date-value"] else { return cell.text }
            return LocalDate(String(value.prefix(10))).map(\.description) ?? value
        case "string":
            return attributes["office:string-value"] ?? cell.text
        default:
            return cell.text  // a time of day as it shows, or nothing
        }
    }

    /// Whether a number is a boolean: a cell formatted as one, or the result of `TRUE()` or
    /// `FALSE()` (as LibreOffice keeps an `.xlsx` file's boolean cell).
    private func isBoolean(_ cell: Cell) -> Bool {
        if let formula = cell.attributes["table:formula"]?.lowercased(), ["of:=true()", "of:=false()"].contains(formula) { return true }
        let style = cell.attributes["table:style-name"] ?? columnStyles.first { $0.end > column }?.style
        return style.flatMap { dataStyles[$0] }.map(booleanStyles.contains) ?? false
    }

    /// A count attribute's value, at least 1 and at most `limit` + 1 (past any sheet's size).
    private static func repeats(_ text: String?, upTo limit: Int) -> Int {
        min(max(text.flatMap(Int.init) ?? 1, 1), limit + 1)
    }
}

/// A paragraph's text as OpenDocument says to read it: each run of spaces, tabs and line breaks
/// in the XML one space, none at the paragraph's start or end; the spaces, tabs and line breaks
/// written as elements (`text:s`, `text:tab`, `text:line-break`) kept as they are.
struct Paragraph {
    private(set) var text = ""
    private var spacePending = false

    mutating func append(collapsing characters: String) {
        for scalar in characters.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                spacePending = !text.isEmpty
            } else {
                flushSpace()
                text.unicodeScalars.append(scalar)
            }
        }
    }

    mutating func append(kept characters: String) {
        flushSpace()
        text += characters
    }

    mutating func append(spaces count: Int) { append(kept: String(repeating: " ", count: count)) }

    private mutating func flushSpace() {
        if spacePending { text += " " }
        spacePending = false
    }
}
