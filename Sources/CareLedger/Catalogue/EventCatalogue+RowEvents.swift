public import LedgerJSON
internal import Foundation

/// A spreadsheet's rows as events of one type (`careledger record TYPE --rows FILE`, and the
/// dashboard's page for recording them): the header names the columns as `record` names fields.
extension EventCatalogue.Entry {
    /// One row's event and the line of the file it came from.
    public struct RowEvent: Sendable {
        public let line: Int
        public let event: JSONValue

        public init(line: Int, event: JSONValue) {
            self.line = line
            self.event = event
        }
    }

    /// Each row of `csv` as an event of this type, `source` naming the file in refusals. Its
    /// columns: `occurredOn` (required), `id`, `meta.KEY`, and the data's fields as `record`
    /// takes them (`reason`, `repaymentClause.months`). A blank cell is no value, but for a list,
    /// whose blank is the empty list.
    /// - Throws: ``LedgerError`` `usage` for a header that cannot be read that way.
    public func events(of csv: CSVRows, source file: String) throws(LedgerError) -> [RowEvent] {
        let columns = csv.header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        let known = columns.filter { !$0.hasPrefix("meta.") && $0 != "occurredOn" && $0 != "id" }.joined(separator: ", ")
        guard let dateColumn = columns.firstIndex(of: "occurredOn") else {
            throw LedgerError(.usage, "\(file)'s header names no occurredOn column, the day each row's event happened (YYYY-MM-DD); its columns: \(columns.joined(separator: ", "))")
        }
        if let twice = columns.first(where: { name in columns.count { $0 == name } > 1 }) {
            throw LedgerError(.usage, "\(file)'s header names the column \(twice) twice")
        }
        for name in columns where name != "occurredOn" && name != "id" && !name.hasPrefix("meta.") && EventCatalogue.Entry.TypedField(name + "=") == nil {
            throw LedgerError(.usage, "\(file)'s header has a column \"\(name)\", which is not a field's name (such as reason, or repaymentClause.months); fields here: \(known)")
        }
        let lists = Set(columns.filter { takesList($0.split(separator: ".").map(String.init)) })
        let reader = SchemaReader(text)
        return try csv.rows.map { row throws(LedgerError) in
            let cells = row.fields + Array(repeating: "", count: columns.count - row.fields.count)
            var fields: [EventCatalogue.Entry.TypedField] = []
            var meta: [(String, String)] = []
            var id: String?
            for (name, cell) in zip(columns, cells) {
                switch name {
                case "occurredOn": continue
                case "id": id = cell.isEmpty ? nil : cell
                case _ where name.hasPrefix("meta."): if !cell.isEmpty { meta.append((String(name.dropFirst(5)), cell)) }
                default: if !cell.isEmpty || lists.contains(name) { fields.append(EventCatalogue.Entry.TypedField(name + "=" + cell)!) }
                }
            }
            do throws(LedgerError) {
                return RowEvent(line: row.line, event: try event(dated: cells[dateColumn], fields: fields, id: id, meta: meta, reader: reader))
            } catch {
                throw LedgerError(error.code, "\(file)'s header: \(error.rule)")
            }
        }
    }
}

extension EventCatalogue.Entry.RowEvent {
    /// The events as NDJSON whose line N holds the event of the file's line N (blank lines
    /// between), so that append's refusals, which name lines, name the spreadsheet's.
    public static func alignedBody(_ events: [Self]) -> [UInt8] {
        var body: [UInt8] = []
        var line = 1
        for row in events {
            body += repeatElement(UInt8(ascii: "\n"), count: row.line - line)
            body += Array(row.event.compactText.utf8) + [UInt8(ascii: "\n")]
            line = row.line + 1
        }
        return body
    }
}
