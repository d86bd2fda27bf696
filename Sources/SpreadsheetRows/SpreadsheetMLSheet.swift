internal import CareLedger
internal import Foundation

/// A sheet of an Excel 2003 XML spreadsheet ("XML Spreadsheet 2003", SpreadsheetML): one XML
/// document whose `Worksheet`s hold `Row`s of `Cell`s, each value in a `Data` element typed
/// `String`, `Number`, `DateTime` or `Boolean`. Older HR and rostering systems still export it,
/// often named `.xls` or `.xml`, and Excel and LibreOffice save it.
enum SpreadsheetMLSheet {
    /// Whether `bytes` are an Excel 2003 XML spreadsheet (``CSVRows/isExcel2003XML(_:)``).
    static func isSpreadsheet(_ bytes: some Collection<UInt8>) -> Bool { CSVRows.isExcel2003XML(bytes) }

    /// The rows with anything in them of the worksheet named `wanted` (else the first not
    /// hidden), each with its row number, and the names of all its worksheets.
    /// - Throws: ``LedgerError`` `rejected` for a document over `partLimit` bytes, one that is
    ///   not well-formed, one with no sheet to read or a sheet past the largest a spreadsheet
    ///   program makes; `usage` for no sheet of that name.
    static func rows(of bytes: [UInt8], source: String, sheet wanted: String?, partLimit: Int) throws(LedgerError) -> (rows: [CSVRows.Row], name: String, names: [String]) {
        let reader = SpreadsheetMLReader(sheet: wanted)
        try reader.readDocument(bytes, source: source, partLimit: partLimit)
        guard !reader.tooLarge else { throw SheetSize.refusal(source, sheet: reader.names.last ?? "") }
        guard let chosen = reader.chosen else {
            _ = try Workbook.choose(wanted, among: reader.names, source: source)
            throw LedgerError(.rejected, "\(source) holds no sheet to read\(reader.names.isEmpty ? "" : ": every sheet is hidden; name one to read it")")
        }
        return (reader.rows, reader.names[chosen], reader.names)
    }
}

/// Reads the worksheets of an Excel 2003 XML spreadsheet: every one's name, and the rows of the
/// one named, else of the first that is not hidden.
///
/// A worksheet says it is hidden in its `WorksheetOptions`, after its table, so the rows of each
/// are kept until its end, and dropped if it was hidden. A row or a cell may skip ahead
/// (`ss:Index`, from 1) and a cell may span the columns after it (`ss:MergeAcross`); a cell's
/// comment (`Comment`) is not its text.
final class SpreadsheetMLReader: PartReader {
    private(set) var rows: [CSVRows.Row] = []
    private(set) var names: [String] = []
    private(set) var chosen: Int?
    private(set) var tooLarge = false
    private let wanted: String?

    /// Whether the worksheet being read is a candidate, and whether it said it is hidden.
    private var reading = false, hidden = false, inVisible = false, visibleText = ""
    private var nextRow = 1, row: Int?, cells: [String] = [], nextColumn = 1
    private var cell: (column: Int, span: Int)?, dataType: String?, inData = false, text = "", inComment = 0
    private var filled = 0, textBytes = 0, rowCells = 0

    init(sheet wanted: String?) {
        self.wanted = wanted
    }

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "Worksheet":
            let name = attributes["ss:Name"] ?? attributes["Name"] ?? "Sheet\(names.count + 1)"
            reading = chosen == nil && (wanted.map { $0 == name } ?? true)
            hidden = false
            names.append(name)
            if reading { rows = [] }
            nextRow = 1
        case "Visible": inVisible = true; visibleText = ""
        case _ where !reading: break
        case "Comment": inComment += 1
        case _ where inComment > 0: break
        case "Row":
            row = Self.index(attributes, orNext: nextRow, upTo: SheetSize.rows)
            cells = []
            nextColumn = 1
        case "Cell":
            guard row != nil else { return }
            let across = Int(attributes["ss:MergeAcross"] ?? attributes["MergeAcross"] ?? "") ?? 0
            cell = (Self.index(attributes, orNext: nextColumn, upTo: SheetSize.columns), 1 + min(max(0, across), SheetSize.columns))
            dataType = nil
            text = ""
        case "Data" where cell != nil:
            dataType = attributes["ss:Type"] ?? attributes["Type"]
            inData = true
        default: break
        }
    }

    override func end(_ name: String) {
        switch name {
        case "Visible":
            inVisible = false
            if visibleText.trimmingCharacters(in: .whitespaces).hasPrefix("SheetHidden") || visibleText.contains("VeryHidden") { hidden = true }
        case "Worksheet":
            // The first worksheet not hidden, unless one was named: its rows are the ones read.
            if reading && (wanted != nil || !hidden) { chosen = names.count - 1 } else if reading { rows = [] }
            reading = false
        case _ where !reading: break
        case "Comment": inComment -= 1
        case _ where inComment > 0: break
        case "Data": inData = false
        case "Cell": endCell()
        case "Row": endRow()
        default: break
        }
    }

    override func text(_ string: String) {
        if inVisible { visibleText += string }
        guard reading, inComment == 0, inData else { return }
        guard text.utf8.count + string.utf8.count <= SheetSize.cellCharacters * 4 else { return stop() }
        text += string
    }

    private func endCell() {
        guard let cell else { return }
        self.cell = nil
        nextColumn = cell.column + cell.span
        guard nextColumn - 1 <= SheetSize.columns else { return stop() }
        let value = Self.value(text, type: dataType)
        guard !value.isEmpty else { return }
        if cells.count < cell.column - 1 { cells += Array(repeating: "", count: cell.column - 1 - cells.count) }
        // A cell placed back over one before it (indexes out of order, which Excel never
        // writes) takes its place rather than the next column's.
        if cells.count >= cell.column { cells[cell.column - 1] = value } else { cells.append(value) }
    }

    private func endRow() {
        guard let number = row else { return }
        row = nil
        nextRow = number + 1
        guard number <= SheetSize.rows else { return stop() }
        let filledHere = cells.count { !$0.isEmpty }
        guard filledHere > 0 else { return }
        filled += filledHere
        textBytes += cells.reduce(0) { $0 + $1.utf8.count }
        guard filled <= SheetSize.filledCells && textBytes <= SheetSize.textBytes, !SheetSize.exceedsRowCells(&rowCells, adding: cells.count) else { return stop() }
        rows.append(CSVRows.Row(line: number, fields: cells))
    }

    private func stop() {
        tooLarge = true
        stopReading()
    }

    /// A row's or a cell's position: its `ss:Index` (from 1), else the one after the last; past
    /// `most`, one past it, which the sheet's size refuses (so no index overflows a count).
    private static func index(_ attributes: [String: String], orNext next: Int, upTo most: Int) -> Int {
        guard let given = (attributes["ss:Index"] ?? attributes["Index"]).flatMap({ Int($0) }), given >= 1 else { return min(next, most + 1) }
        return min(given, most + 1)
    }

    /// The cell as text: a date's day (a `DateTime` keeps its time of day, which a day leaves
    /// out), a boolean's word, else its value as written.
    static func value(_ text: String, type: String?) -> String {
        switch type {
        case "DateTime":
            let day = text.prefix(10)
            return day.count == 10 && LocalDate(String(day)) != nil ? String(day) : text
        case "Boolean": return text == "1" ? "true" : text == "0" ? "false" : text
        default: return text
        }
    }
}
