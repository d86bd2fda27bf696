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
    /// whose blank is the empty list. A `type` column, if any, must name this type or be blank.
    /// - Throws: ``LedgerError`` `usage` for a header that cannot be read that way; `rejected`,
    ///   naming the line, for a row whose `type` names another.
    public func events(of csv: CSVRows, source file: String) throws(LedgerError) -> [RowEvent] {
        let header = try RowHeader(csv, source: file)
        // Rows whose type column names another type are refused by their lines, columns and all.
        try header.refuseColumns(in: csv.rows.filter { [nil, "", type.rawValue].contains(header.type(of: $0)) }, of: [self])
        let reading = RowReading(self, under: header)
        return try csv.rows.map { row throws(LedgerError) in
            if let named = header.type(of: row), !named.isEmpty, named != type.rawValue {
                throw LedgerError(.rejected, "this row's type column says \(named), and the rows are recorded as \(type.rawValue): name no type (record --rows FILE, POST /v1/events without type=) for the column to give each row's",
                                  location: .line(row.line), pointer: "/type")
            }
            return try reading.event(of: row)
        }
    }
}

extension EventCatalogue {
    /// Each row of `csv` as an event of `type`, in its latest schema version, or, with no type
    /// given, of the type its `type` column names: `record [TYPE] --rows`, a CSV body, `/record`.
    /// Each row without an `id` cell is given the id its content derives
    /// (``Entry/RowEvent/identified(_:)``): the same return recorded again changes nothing.
    public func events(ofRows csv: CSVRows, source file: String, type: EventType?) throws(LedgerError) -> [Entry.RowEvent] {
        guard let type else { return Entry.RowEvent.identified(try events(ofTypedRows: csv, source: file)) }
        guard let version = versions(of: type).max(), let entry = entry(type, version: version) else {
            throw LedgerError(.usage, "\(type.rawValue) has no schema")
        }
        return Entry.RowEvent.identified(try entry.events(of: csv, source: file))
    }

    /// Each row of `csv` as an event of the type its `type` column names: a provider's return
    /// of starters and leavers in one sheet, every column blank where the row's type has no such
    /// field. Each type's latest schema version reads its rows.
    /// A row whose type is blank or unknown becomes an event of that type and no data, which
    /// append and its check refuse at `/type` by the row's line, with the rows' other problems.
    /// - Throws: ``LedgerError`` `usage` for a header without a `type` column or one that cannot
    ///   be read.
    public func events(ofTypedRows csv: CSVRows, source file: String) throws(LedgerError) -> [Entry.RowEvent] {
        let header = try RowHeader(csv, source: file)
        guard header.typeColumn != nil else {
            throw LedgerError(.usage, "\(file)'s header names no type column: give the type of every row (careledger record TYPE --rows FILE, POST /v1/events?type=TYPE), or add a column type naming each row's")
        }
        // Where every row names a type of the catalogue: a row whose type is blank or misspelt is
        // refused at /type, and its columns say nothing until the type is mended.
        var named: [EventType] = []
        for row in csv.rows {
            guard let type = header.type(of: row).flatMap(EventType.init(rawValue:)) else { named = []; break }
            if !named.contains(type) { named.append(type) }
        }
        try header.refuseColumns(in: csv.rows, of: named.compactMap { type in versions(of: type).max().flatMap { entry(type, version: $0) } })
        var readings: [EventType: Entry.RowReading] = [:]
        return try csv.rows.map { row throws(LedgerError) in
            let named = header.type(of: row) ?? ""
            guard let type = EventType(rawValue: named), let version = versions(of: type).max(), let entry = entry(type, version: version) else {
                // The validator refuses it at /type, naming the nearest type, with the rows' other
                // problems: a check lists them all at once.
                return Entry.RowEvent(line: row.line, event: .object([("type", .string(named)), ("schemaVersion", 1),
                                                                      ("occurredOn", .string(header.cells(of: row)[header.dateColumn])), ("data", .object([]))]))
            }
            let reading = readings[type] ?? Entry.RowReading(entry, under: header)
            readings[type] = reading
            return try reading.event(of: row)
        }
    }
}

/// The header of a spreadsheet's rows, checked once for all its rows: where `occurredOn` and
/// `type` are, and that every other column names a field, `id` or `meta.KEY`.
struct RowHeader {
    let columns: [String]
    let dateColumn: Int
    let typeColumn: Int?
    let source: String

    init(_ csv: CSVRows, source file: String) throws(LedgerError) {
        let columns = csv.header.fields.map(CSVRows.trimmed)
        let known = columns.filter { !$0.hasPrefix("meta.") && !Self.reserved.contains($0) }.joined(separator: ", ")
        guard let dateColumn = columns.firstIndex(of: "occurredOn") else {
            let slip = columns.first(where: CSVRows.nearlyOccurredOn).map { "; rename \($0) to occurredOn" } ?? ""
            throw LedgerError(.usage, "\(file)'s header names no occurredOn column, the day each row's event happened (YYYY-MM-DD); its columns: \(columns.joined(separator: ", "))\(slip)")
        }
        if let twice = columns.first(where: { name in !name.isEmpty && columns.count { $0 == name } > 1 }) {
            throw LedgerError(.usage, "\(file)'s header names the column \(twice) twice")
        }
        for name in columns where !name.isEmpty && !Self.reserved.contains(name) && !name.hasPrefix("meta.") && EventCatalogue.Entry.TypedField(name + "=") == nil {
            throw LedgerError(.usage, "\(file)'s header has a column \"\(name)\", which is not a field's name (such as reason, or repaymentClause.months); fields here: \(known)")
        }
        self.columns = columns
        self.dateColumn = dateColumn
        typeColumn = columns.firstIndex(of: "type")
        source = file
    }

    /// The columns that are not the data's fields.
    static let reserved: Set<String> = ["occurredOn", "id", "type"]

    /// Refuses, once, a header whose columns would refuse every row of `entries` (the rows'
    /// types) that `rows` holds, rather than listing the same problem a hundred times: first a
    /// column of the data that none of the types takes and some row fills (a column misspelt,
    /// `Worker Ref`, or a provider's own, `Comments`), most likely the missing one; then a field
    /// a type requires that no column names. A column every row leaves blank loses nothing and
    /// is let be; a field of one of the types filled in a row of another is that row's to refuse.
    /// - Throws: ``LedgerError`` `usage`, naming the column (with its letter, the first line that
    ///   fills it and the nearest field) or the field, and the fields.
    func refuseColumns(in rows: [CSVRows.Row], of entries: [EventCatalogue.Entry]) throws(LedgerError) {
        guard !entries.isEmpty, !rows.isEmpty else { return }
        var fields: [String] = []
        for entry in entries { fields += entry.rowColumns.dropFirst().filter { !fields.contains($0) } }
        for (index, name) in columns.enumerated() where !name.isEmpty && !Self.reserved.contains(name) && !name.hasPrefix("meta.") && !fields.contains(name) {
            guard let filled = rows.first(where: { index < $0.fields.count && !$0.fields[index].allSatisfy(\.isWhitespace) }) else { continue }
            let types = entries.map(\.type.rawValue)
            let named = types.count == 1 ? types[0] : types.dropLast().joined(separator: ", ") + " or " + types.last!
            let beside = typeColumn == nil ? "occurredOn, id and meta.KEY" : "type, occurredOn, id and meta.KEY"
            throw LedgerError(.usage, "\(source)'s column \"\(name)\" (\(CSVRows.columnLetters(index))) is not a field of \(named)\(NearestName.hint(for: name, among: fields + Array(Self.reserved))), and line \(filled.line) fills it: \(types.count == 1 ? "its" : "their") fields are \(fields.joined(separator: ", ")), beside \(beside)")
        }
        for entry in entries {
            let required = entry.fields.filter(\.required).map(\.name)
            // An object's members stand for it (repaymentClause.months); a list's column may be blank.
            for field in required where !columns.contains(where: { $0 == field || $0.hasPrefix(field + ".") }) {
                throw LedgerError(.usage, "\(source)'s header names no column \(field), which every \(entry.type.rawValue) needs: its required fields are \(required.joined(separator: ", "))")
            }
        }
    }

    /// The row's cell in each column, blank past its last field, without the spaces and line
    /// breaks at its ends: typed or pasted into a cell (a no-break space from a web page too),
    /// they are no part of its value, where a date or an id with one was refused and a title
    /// with one recorded a fact of its own, under an id of its own.
    func cells(of row: CSVRows.Row) -> [String] {
        row.fields.map(CSVRows.trimmed) + Array(repeating: "", count: columns.count - row.fields.count)
    }

    /// The row's `type` cell, trimmed, where the header has that column.
    func type(of row: CSVRows.Row) -> String? {
        typeColumn.map { $0 < row.fields.count ? CSVRows.trimmed(row.fields[$0]) : "" }
    }
}

extension EventCatalogue.Entry {
    /// One type's way of reading rows under a header: its schema read once, and which of the
    /// header's columns it takes as lists.
    struct RowReading {
        let entry: EventCatalogue.Entry
        let header: RowHeader
        let reader: SchemaReader
        let lists: Set<String>

        init(_ entry: EventCatalogue.Entry, under header: RowHeader) {
            self.entry = entry
            self.header = header
            reader = SchemaReader(entry.text)
            let reader = reader
            lists = Set(header.columns.filter { entry.takesList($0.split(separator: ".").map(String.init), reader: reader) })
        }

        func event(of row: CSVRows.Row) throws(LedgerError) -> RowEvent {
            let cells = header.cells(of: row)
            var fields: [EventCatalogue.Entry.TypedField] = []
            var meta: [(String, String)] = []
            var id: String?
            for (index, (name, cell)) in zip(header.columns, cells).enumerated() {
                switch name {
                case "occurredOn", "type": continue
                case "" where !cell.isEmpty:
                    throw LedgerError(.rejected, "this row has a value in column \(CSVRows.columnLetters(index)), which the header leaves without a name: name the column or clear the cell", location: .line(row.line))
                case "": continue
                case "id": id = cell.isEmpty ? nil : cell
                case _ where name.hasPrefix("meta."): if !cell.isEmpty { meta.append((String(name.dropFirst(5)), cell)) }
                default: if !cell.isEmpty || lists.contains(name) { fields.append(EventCatalogue.Entry.TypedField(name + "=" + cell)!) }
                }
            }
            do throws(LedgerError) {
                return RowEvent(line: row.line, event: try entry.event(dated: cells[header.dateColumn], fields: fields, id: id, meta: meta, reader: reader))
            } catch {
                throw LedgerError(error.code, "\(header.source)'s header: \(error.rule)")
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
