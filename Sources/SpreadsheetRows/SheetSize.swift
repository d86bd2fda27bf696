internal import CareLedger

/// The largest sheet read: Excel's and LibreOffice's largest, and no more text than one part of
/// a workbook may unpack to. A sheet past it is damaged or made to exhaust memory (a cell at
/// column ZZZZZZZ, a row numbered 2^63, one long text that a million cells refer to, a row or a
/// run of spaces an `.ods` writes once for millions), and is refused rather than read.
enum SheetSize {
    static let rows = 1_048_576, columns = CSVRows.mostColumns
    /// The most characters a cell holds in Excel and LibreOffice.
    static let cellCharacters = 32_767
    /// The most cells with something in them, repeats counted.
    static let filledCells = 10_000_000
    /// The most bytes of text in the cells of one sheet, each cell counted where it appears.
    static let textBytes = Workbook.partLimit
    /// The most cells the rows hold, each row counted up to its last filled cell, the blanks
    /// before it included: each row is held that wide, so a sheet whose rows fill one cell at
    /// the far right (`ss:Index="16000"`, a run of repeated blanks, `XFD2`) held a thousand
    /// times what it filled: 1.2 MB of SpreadsheetML took 2.5 GB, and 16 MB would have taken
    /// the machine's whole memory.
    static let rowCells = 20_000_000

    /// Whether rows of `width` cells, `count` of them, take the sheet past ``rowCells``,
    /// adding them to `held`, the cells of the rows before.
    static func exceedsRowCells(_ held: inout Int, adding width: Int, times count: Int = 1) -> Bool {
        held += width * count
        return held > rowCells
    }

    /// The refusal of `source`'s sheet `sheet` for running past the largest.
    static func refusal(_ source: String, sheet: String) -> LedgerError {
        LedgerError(.rejected, "\(source)'s sheet \(sheet) is larger than the largest sheet read (\(rows) rows, \(columns) columns, \(cellCharacters) characters in a cell, \(filledCells) cells with something in them, \(rowCells) cells in its rows up to each row's last filled one, or \(textBytes >> 20) MiB of text in them): it cannot be read; record a sheet this large in parts")
    }
}
