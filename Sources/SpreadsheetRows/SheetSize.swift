internal import CareLedger

/// The largest sheet Excel and LibreOffice make: a workbook's sheet past it is damaged or made to
/// exhaust memory (a cell at column ZZZZZZZ, a row of number 2^63), and is refused rather than read.
enum SheetSize {
    static let rows = 1_048_576, columns = 16_384
    /// The most cells with something in them read from one sheet: an `.ods` writes a row or a
    /// cell once for many, so a small file could otherwise stand for a sheet of billions.
    static let filledCells = 10_000_000

    /// The refusal of `source`'s sheet `sheet` for running past the largest.
    static func refusal(_ source: String, sheet: String) -> LedgerError {
        LedgerError(.rejected, "\(source)'s sheet \(sheet) runs past \(rows) rows or \(columns) columns, the most a spreadsheet program makes, or holds over \(filledCells) cells with something in them: it cannot be read; record a sheet this large in parts")
    }
}
