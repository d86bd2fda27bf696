internal import CareLedger
internal import SpreadsheetRows

/// `POST /v1/events?type=T` with a CSV body: a system that exports a spreadsheet (a provider's
/// return, a job platform's placements) sends it as it is, each row an event of type `T` (or of
/// the type its `type` column names), read as `careledger record [T] --rows FILE` reads a file,
/// and appended as one atomic batch whose refusals name the body's lines.
enum CSVBody {
    /// What a spreadsheet's rows are sent as: `text/csv`, tab-separated text,
    /// `application/vnd.ms-excel` (the type Windows gives a `.csv` file), or a workbook, `.xlsx`
    /// or `.ods` (a flat `.fods` too, whose type begins as the `.ods` one's). Whatever its type
    /// says, a workbook is also known by its bytes.
    static func isCSV(contentType: String) -> Bool {
        (["text/csv", "text/tab-separated-values", "application/vnd.ms-excel"] + ReturnWorkbook.Format.allCases.map(\.mediaType)).contains { contentType.hasPrefix($0) }
    }

    /// The rows of `bytes` as NDJSON events of the type `typeName` names, or, with none, of the
    /// type each row's `type` column names, each on the line its row starts on, so that append's
    /// refusals name the CSV's lines.
    /// - Throws: ``LedgerError`` `usage` for an unknown type, or a header naming no type column
    ///   when no type is given; `rejected` for rows that cannot be read (not UTF-8, a quote left
    ///   open, a row's unknown type).
    /// - Parameters:
    ///   - sheet: a workbook's sheet to read, by its name (else its first).
    ///   - sheets: what reads a workbook (``SheetReader``); CSV is read on NIO's thread pool.
    static func events(_ bytes: [UInt8], typeName: String?, sheet: String? = nil, sheets: SheetReader) async throws -> [UInt8] {
        var type: EventType?
        if let typeName {
            guard let known = EventType(rawValue: typeName) else {
                let hint = NearestName.hint(for: typeName, among: EventType.allCases.map(\.rawValue))
                throw LedgerError(.usage, "type \"\(typeName)\" is not an event type of the catalogue\(hint); nothing was written")
            }
            type = known
        }
        // A workbook is known by its bytes, whatever type it was sent as.
        let isWorkbook = Workbook.isWorkbook(bytes)
        let source = isWorkbook ? "the workbook" : "the CSV body"
        if sheet != nil && !isWorkbook {
            throw LedgerError(.usage, "sheet= names a workbook's sheet, and the body is CSV, a single sheet; nothing was written")
        }
        let csv = isWorkbook ? try await sheets.sheet(of: bytes, source: source, named: sheet).rows : nil
        return try await blocking { [type] in
            let rows = try EventCatalogue.standard.events(ofRows: try csv ?? CSVRows(bytes, source: source), source: source, type: type)
            guard !rows.isEmpty else { throw LedgerError(.rejected, "\(source) holds a header and no rows; nothing was written") }
            return EventCatalogue.Entry.RowEvent.alignedBody(rows)
        }
    }
}
