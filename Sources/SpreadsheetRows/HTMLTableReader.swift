internal import CareLedger

/// Reads the tables of a web page's UTF-8 bytes as forgivingly as a browser does: an element
/// left open (`<td>` without `</td>`, as HTML allows) ends where the next begins, names and
/// attributes are read in any case, and the text of a comment, a script, a style or a cell's
/// note is passed by.
/// A table inside another's cell is a table of its own.
struct HTMLTableReader {
    struct Table {
        var name: String
        /// Whether the page names it, by a caption or a heading, rather than its place.
        var named: Bool
        var rows: [CSVRows.Row]
    }

    /// Every table, in the order they begin.
    var tables: [Table] { finished.sorted { $0.ordinal < $1.ordinal }.map { Table(name: $0.name, named: $0.named, rows: $0.rows) } }
    /// Whether a table ran past the largest sheet read (``SheetSize``): reading stopped there.
    private(set) var tooLarge = false

    private var finished: [(ordinal: Int, name: String, named: Bool, rows: [CSVRows.Row])] = []
    private var open: [TableBuilder] = []
    private var begun = 0
    /// A heading being read outside any table, and the last read since a table began or ended:
    /// the name of the table after it, if it has no caption.
    private var heading: CellText?, lastHeading: String?
    private static let headings: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]
    /// The elements whose text is not shown as a cell's: a script, a style, the page's title, and
    /// the note LibreOffice writes in a cell it saves (`<comment>`), shown only on hovering.
    private static let notText: Set<String> = ["script", "style", "title", "textarea", "comment"]
    private var filled = 0, textBytes = 0, rowCells = 0
    /// The number format of each class the page's style sheets define, for Excel's cells.
    private var classFormats: [String: String] = [:]

    /// The most columns a cell spans, and rows, as HTML bounds `colspan` and `rowspan`.
    static let widestSpan = 1000, tallestSpan = 65534

    mutating func read(_ page: [UInt8]) {
        var at = 0
        while at < page.count && !tooLarge {
            let byte = page[at], before = at
            if byte == UInt8(ascii: "<"), let tag = HTMLTag(in: page, at: &at) {
                handle(tag)
                if !tag.closing, Self.notText.contains(tag.name) {
                    let after = HTMLTag.end(of: tag.name, in: page, from: at)
                    if tag.name == "style" {
                        classFormats.merge(HTMLSavedValue.classFormats(inStyleSheet: String(decoding: page[at..<after], as: UTF8.self))) { $1 }
                    }
                    at = after
                }
            } else if at != before {
                continue  // a comment or a document type, passed by
            } else if byte == UInt8(ascii: "&") {
                let (scalar, length) = HTMLEntity.decode(page, at: at)
                append(scalar == "\u{A0}" ? [0x20] : Array(String(scalar).utf8))
                at += length
            } else if byte == 0xC2, at + 1 < page.count, page[at + 1] == 0xA0 {
                // A no-break space, as `&nbsp;` is, often a cell's only text: a space.
                append([0x20])
                at += 2
            } else {
                // Text, up to the next mark, reference or no-break space: one run at a time.
                let end = page[(at + 1)...].firstIndex { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") || $0 == 0xC2 } ?? page.count
                append(page[at..<end])
                at = end
            }
        }
        while !open.isEmpty { closeTable() }
    }

    private mutating func handle(_ tag: HTMLTag) {
        switch (tag.name, tag.closing) {
        case ("table", false):
            begun += 1
            open.append(TableBuilder(ordinal: begun, heading: open.isEmpty ? lastHeading : nil))
            lastHeading = nil
        case ("table", true):
            if !open.isEmpty { closeTable() }
            lastHeading = nil
        case (let name, false) where open.isEmpty && Self.headings.contains(name): heading = CellText()
        case (let name, true) where open.isEmpty && Self.headings.contains(name):
            lastHeading = heading.map(\.value)
            heading = nil
        case _ where open.isEmpty: break
        case ("tr", false):
            endRow()
            open[open.count - 1].endCaption()
            if open[open.count - 1].beginRow() { tooLarge = true }
        case ("tr", true): endRow()
        case ("td", false), ("th", false):
            endCell()
            open[open.count - 1].endCaption()
            if open[open.count - 1].cells == nil, open[open.count - 1].beginRow() { return tooLarge = true }
            let span = { (name: String, most: Int) in min(max(1, Int(tag.attributes[name] ?? "") ?? 1), most) }
            if open[open.count - 1].beginCell(columns: span("colspan", Self.widestSpan), rows: span("rowspan", Self.tallestSpan),
                                              saved: HTMLSavedValue(tag.attributes, classFormats: classFormats)) { tooLarge = true }
        case ("td", true), ("th", true): endCell()
        case ("caption", false): open[open.count - 1].beginCaption()
        case ("caption", true): open[open.count - 1].endCaption()
        case ("br", _) where open[open.count - 1].isInCellOrCaption: open[open.count - 1].text.lineBreak()
        case ("p", _), ("div", _), ("li", _): if open[open.count - 1].isInCellOrCaption { open[open.count - 1].text.paragraphBreak() }
        default: break
        }
    }

    private mutating func append(_ bytes: some Collection<UInt8>) {
        if open.isEmpty { heading?.append(bytes) }
        guard !open.isEmpty, open[open.count - 1].isInCellOrCaption else { return }
        open[open.count - 1].text.append(bytes)
    }

    private mutating func endCell() {
        guard !open.isEmpty else { return }
        guard open[open.count - 1].endCell() else { return tooLarge = true }
    }

    private mutating func endRow() {
        endCell()
        guard !open.isEmpty, let row = open[open.count - 1].endRow() else { return }
        let filledHere = row.fields.count { !$0.isEmpty }
        guard filledHere > 0 else { return }
        filled += filledHere
        textBytes += row.fields.reduce(0) { $0 + $1.utf8.count }
        guard row.line <= SheetSize.rows, filled <= SheetSize.filledCells, textBytes <= SheetSize.textBytes,
              !SheetSize.exceedsRowCells(&rowCells, adding: row.fields.count) else { return tooLarge = true }
        open[open.count - 1].rows.append(row)
    }

    private mutating func closeTable() {
        endRow()
        let table = open.removeLast()
        finished.append((table.ordinal, table.name ?? "Table \(table.ordinal)", table.name != nil, table.rows))
    }
}

/// One table being read: its rows so far, the row and the cell open, and the columns that a
/// cell above spans down into.
private struct TableBuilder {
    let ordinal: Int
    var rows: [CSVRows.Row] = []
    var caption = ""
    private var inCaption = false
    var text = CellText()
    /// The open row's cells, `nil` between rows.
    var cells: [String]?
    private var line = 0, nextColumn = 0
    /// The open cell's column, from 0, and the value saved beside its text.
    private var cell: Int?, saved: HTMLSavedValue?
    /// For each column, the last row that a cell above spans down into (its `rowspan`).
    private var coveredUntil: [Int] = []
    /// The columns passed over for a cell above and marked for a cell spanning rows, so far:
    /// bounded, so that a page of spans cannot keep the reading going for hours.
    private var spanWork = 0
    private static let mostSpanWork = 50_000_000

    /// The heading just before the table, outside any other.
    private let heading: String?

    init(ordinal: Int, heading: String?) {
        self.ordinal = ordinal
        self.heading = heading
    }

    /// Its caption, else the heading before it (`Return` where LibreOffice heads a saved sheet
    /// `Sheet 1: Return`); `nil` for neither, when it is named `Table N` by its place among the
    /// page's tables.
    var name: String? {
        if !caption.isEmpty { return caption }
        if let heading = heading?.replacing("\n", with: " "), !heading.isEmpty {
            return heading.replacing(#/^Sheet [0-9]+: /#, with: "")
        }
        return nil
    }

    /// Begins a row; `true` when it is past the largest sheet's rows, empty rows counted.
    mutating func beginRow() -> Bool {
        line += 1
        cells = []
        nextColumn = 0
        return line > SheetSize.rows
    }

    /// Begins a cell in the first column no cell above spans into; `true` when it reaches past
    /// the largest sheet's columns.
    mutating func beginCell(columns: Int, rows: Int, saved: HTMLSavedValue?) -> Bool {
        while nextColumn < coveredUntil.count, coveredUntil[nextColumn] >= line {
            nextColumn += 1
            spanWork += 1
        }
        let column = nextColumn
        nextColumn += columns
        guard nextColumn <= SheetSize.columns, spanWork <= Self.mostSpanWork else { return true }
        if rows > 1 {
            if coveredUntil.count < nextColumn { coveredUntil += Array(repeating: 0, count: nextColumn - coveredUntil.count) }
            for spanned in column..<nextColumn { coveredUntil[spanned] = max(coveredUntil[spanned], line + rows - 1) }
            spanWork += columns
        }
        cell = column
        self.saved = saved
        text = CellText()
        return false
    }

    /// Ends the open cell, placing its text in its column; `false` when its text is longer
    /// than a cell holds.
    mutating func endCell() -> Bool {
        guard let column = cell, cells != nil else { return true }
        let shown = text.value
        let value = saved?.value(shown: shown) ?? shown
        text = CellText()
        cell = nil
        guard value.utf8.count <= SheetSize.cellCharacters * 4 else { return false }
        guard !value.isEmpty else { return true }
        if cells!.count < column { cells! += Array(repeating: "", count: column - cells!.count) }
        if cells!.count > column { cells![column] = value } else { cells!.append(value) }
        return true
    }

    /// Whether text now is a cell's or the caption's: text between a table's cells is neither.
    var isInCellOrCaption: Bool { cell != nil || inCaption }

    mutating func beginCaption() {
        inCaption = true
        text = CellText()
    }

    /// The caption's text, ended: the table's name, if it has none yet.
    mutating func endCaption() {
        guard inCaption else { return }
        inCaption = false
        if caption.isEmpty { caption = text.value.replacing("\n", with: " ") }
        text = CellText()
    }

    /// The open row, ended: its number and cells.
    mutating func endRow() -> CSVRows.Row? {
        guard let fields = cells else { return nil }
        cells = nil
        return CSVRows.Row(line: line, fields: fields)
    }
}

/// A cell's text as a browser shows it: each run of white space one space, a line break kept,
/// and none at either end.
struct CellText {
    private var bytes: [UInt8] = []

    mutating func append(_ more: some Collection<UInt8>) {
        for byte in more {
            if HTMLTag.isSpace(byte) {
                if let last = bytes.last, last != 0x20, last != 0x0A { bytes.append(0x20) }
            } else {
                bytes.append(byte)
            }
        }
    }

    mutating func lineBreak() {
        if bytes.last == 0x20 { bytes.removeLast() }
        bytes.append(0x0A)
    }

    /// A paragraph's start or end: a line break, unless the text is at one already.
    mutating func paragraphBreak() {
        if bytes.last == 0x20 { bytes.removeLast() }
        if let last = bytes.last, last != 0x0A { bytes.append(0x0A) }
    }

    var value: String {
        String(decoding: bytes, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { CSVRows.trimmed(String($0)) }
            .joined(separator: "\n")
            .trimmingLineBreaks
    }
}

private extension String {
    var trimmingLineBreaks: String {
        String(drop { $0 == "\n" }.reversed().drop { $0 == "\n" }.reversed())
    }
}
