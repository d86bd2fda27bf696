internal import CareLedger
internal import Foundation
#if canImport(FoundationXML)
internal import FoundationXML
#endif

/// `xl/workbook.xml`: the sheets in order, each with its name, relation id and whether it is
/// hidden, and the date system.
final class WorkbookPart: PartReader {
    private(set) var sheets: [(name: String, relation: String?, hidden: Bool)] = []
    private(set) var date1904 = false

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "workbookPr": date1904 = ["1", "true"].contains(attributes["date1904"] ?? "")
        case "sheet":
            sheets.append((attributes["name"] ?? "", attributes.first { Self.local($0.key) == "id" && $0.key != "sheetId" }?.value,
                           ["hidden", "veryHidden"].contains(attributes["state"] ?? "")))
        default: break
        }
    }
}

/// `xl/_rels/workbook.xml.rels`: where each related part is.
final class RelationsPart: PartReader {
    private(set) var targets: [String: String] = [:]

    override func start(_ name: String, _ attributes: [String: String]) {
        if name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] { targets[id] = target }
    }
}

/// `xl/sharedStrings.xml`: the text cells refer to by index, each the text of its runs (not
/// of its phonetic guides). At most as many as a sheet read may fill (``SheetSize/filledCells``):
/// a 146 KB workbook held twenty million empty ones, 760 MB and 25 s to read.
final class SharedStringsPart: PartReader {
    private(set) var strings: [String] = []
    /// Whether the table ran past the most read: reading stopped there.
    private(set) var tooLarge = false
    private let most: Int

    init(most: Int = SheetSize.filledCells) {
        self.most = most
    }
    private var current = "", inText = false, inPhonetic = false

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "si": current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }

    override func end(_ name: String) {
        switch name {
        case "si":
            guard strings.count < most else {
                tooLarge = true
                return stopReading()
            }
            strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }

    override func text(_ text: String) { if inText { current += text } }
}

/// `xl/styles.xml`: which cell styles show a date.
final class StylesPart: PartReader {
    private var formatCodes: [Int: String] = [:]
    private var cellFormats: [Int] = []
    private var inCellFormats = false

    /// The indexes (a cell's `s`) of the styles whose number format shows a date.
    var dateStyles: Set<Int> {
        Set(cellFormats.indices.filter { ExcelDates.isDateFormat(id: cellFormats[$0], code: formatCodes[cellFormats[$0]]) })
    }

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "numFmt": if let id = attributes["numFmtId"].flatMap(Int.init) { formatCodes[id] = attributes["formatCode"] }
        case "cellXfs": inCellFormats = true
        case "xf" where inCellFormats: cellFormats.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
        default: break
        }
    }

    override func end(_ name: String) { if name == "cellXfs" { inCellFormats = false } }
}

/// A worksheet: its rows with anything in them, each with its row number and its cells by
/// column, a missing cell blank.
final class SheetPart: PartReader {
    private(set) var rows: [CSVRows.Row] = []
    /// Whether a row or a cell lies past ``SheetSize`` (the rows are then not all read).
    private(set) var tooLarge = false
    /// The bytes of text in the cells read so far: a long shared text counts wherever it appears.
    private var textBytes = 0
    private let strings: [String]
    private let dateStyles: Set<Int>
    private let dates: ExcelDates
    private var rowNumber = 0, cells: [String] = [], rowCells = 0
    private var column = 0, kind = "", style = 0, value = "", inValue = false, inRow = false

    init(strings: [String], dateStyles: Set<Int>, dates: ExcelDates) {
        self.strings = strings
        self.dateStyles = dateStyles
        self.dates = dates
    }

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells = []
            inRow = true
            if !(1...SheetSize.rows).contains(rowNumber) { stop() }
        case "c" where inRow:
            column = attributes["r"].flatMap(Self.columnIndex) ?? cells.count
            kind = attributes["t"] ?? "n"
            style = attributes["s"].flatMap(Int.init) ?? 0
            value = ""
        case "v", "t": inValue = inRow
        default: break
        }
    }

    override func end(_ name: String) {
        switch name {
        case "v", "t": inValue = false
        case "c" where inRow:
            let text = cellText()
            guard !text.isEmpty else { return }  // a blank cell, styled or not, takes no room
            textBytes += text.utf8.count
            guard column < SheetSize.columns && textBytes <= SheetSize.textBytes else { return stop() }
            if cells.count <= column { cells += Array(repeating: "", count: column + 1 - cells.count) }
            cells[column] = text
        case "row":
            inRow = false
            guard cells.contains(where: { !$0.isEmpty }) else { return }
            guard !SheetSize.exceedsRowCells(&rowCells, adding: cells.count) else { return stop() }
            rows.append(CSVRows.Row(line: rowNumber, fields: cells))
        default: break
        }
    }

    override func text(_ text: String) { if inValue { value += text } }

    /// The cell as text: a shared string's text, a date's day, a boolean's word, else its value.
    private func cellText() -> String {
        switch kind {
        case "s": return Int(value).flatMap { strings.indices.contains($0) ? strings[$0] : nil } ?? ""
        case "b": return value == "1" ? "true" : value == "0" ? "false" : value
        case "n" where dateStyles.contains(style):
            return Double(value).flatMap(dates.day).map(\.description) ?? value
        case "d":
            // An ISO 8601 date cell (some writers' choice): its day, without a time of day.
            return LocalDate(String(value.prefix(10))).map(\.description) ?? value
        default: return value
        }
    }

    private func stop() {
        tooLarge = true
        stopReading()
    }

    /// `C7`'s column, 2 (A is 0); past the last column a sheet has (`XFD`), ``SheetSize/columns``.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0, letters = 0
        for scalar in reference.unicodeScalars {
            guard (65...90).contains(scalar.value) else { break }
            guard letters < 3 else { return SheetSize.columns }
            index = index * 26 + Int(scalar.value - 64)
            letters += 1
        }
        return letters > 0 ? index - 1 : nil
    }
}
