internal import CareLedger

/// `POST /v1/events?type=T` with a CSV body: a system that exports a spreadsheet (a provider's
/// return, a job platform's placements) sends it as it is, each row an event of type `T`, read
/// as `careledger record T --rows FILE` reads a file, and appended as one atomic batch whose
/// refusals name the body's lines.
enum CSVBody {
    /// What a CSV export is sent as: `text/csv`, tab-separated text, or `application/vnd.ms-excel`,
    /// the type Windows gives a `.csv` file.
    static func isCSV(contentType: String) -> Bool {
        ["text/csv", "text/tab-separated-values", "application/vnd.ms-excel"].contains { contentType.hasPrefix($0) }
    }

    /// A spreadsheet's own file (`.xlsx`, or an `.ods`), which the ledger does not read: it is sent as CSV.
    static func isSpreadsheetFile(contentType: String) -> Bool {
        contentType.hasPrefix("application/vnd.openxmlformats-officedocument.spreadsheetml")
            || contentType.hasPrefix("application/vnd.oasis.opendocument.spreadsheet")
    }

    /// The rows of `bytes` as NDJSON events of the type `typeName` names, each on the line its
    /// row starts on, so that append's refusals name the CSV's lines.
    /// - Throws: ``LedgerError`` `usage` for a missing or unknown type or a header naming no
    ///   field, `rejected` for rows that cannot be read (not UTF-8, a quote left open).
    static func events(_ bytes: [UInt8], typeName: String?) throws(LedgerError) -> [UInt8] {
        guard let typeName else {
            throw LedgerError(.usage, "a CSV body's rows are events of one type: name it, as in POST /v1/events?type=EmploymentEnded (its columns: csvColumns in GET /v1/schemas, or careledger schemas TYPE --csv); nothing was written")
        }
        guard let type = EventType(rawValue: typeName), let entry = EventCatalogue.standard.entry(type, version: 1) else {
            let hint = NearestName.hint(for: typeName, among: EventType.allCases.map(\.rawValue))
            throw LedgerError(.usage, "type \"\(typeName)\" is not an event type of the catalogue\(hint); nothing was written")
        }
        let rows = try entry.events(of: try CSVRows(bytes), source: "the CSV body")
        guard !rows.isEmpty else { throw LedgerError(.rejected, "the CSV body holds a header and no rows; nothing was written") }
        return EventCatalogue.Entry.RowEvent.alignedBody(rows)
    }
}
