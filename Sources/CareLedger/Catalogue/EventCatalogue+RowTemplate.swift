public import LedgerJSON

/// What a column of a sheet to fill in holds, read from the schema: a workbook written for the
/// sheet formats its cells by it (a date as a date, an identifier as text that a spreadsheet
/// must not turn into a number) and offers an enumeration's values to choose from.
public enum RowColumnKind: Sendable, Equatable {
    case date, wholeNumber, number, boolean, text
    /// One of these values: an enumeration, or the event types of a sheet of several.
    case choice([String])
    /// Values separated by commas in one cell (`fees,debt`).
    case list
}

/// A sheet to fill in: its columns, what each holds, and example rows.
public struct RowSheet: Sendable {
    public let columns: [String]
    public let kinds: [RowColumnKind]
    public let rows: [[String]]
}

/// A type's events as a spreadsheet's rows, as `careledger record TYPE --rows FILE` reads them and
/// `careledger schemas TYPE --csv` offers them to start from: staff fill in a provider's return
/// in the columns the ledger will read.
extension EventCatalogue.Entry {
    /// `occurredOn`, then each field of `data`, an object field by its members
    /// (`repaymentClause.months`, `pii.givenName`).
    public var rowColumns: [String] { rowColumnProperties.map(\.name) }

    /// What each of ``rowColumns`` holds.
    public var rowColumnKinds: [RowColumnKind] { rowColumnProperties.map(\.kind) }

    private var rowColumnProperties: [(name: String, kind: RowColumnKind)] {
        let reader = SchemaReader(text)
        let data = reader.resolved(reader.schema["properties"]?["data"] ?? .null)
        return [("occurredOn", .date)] + (data["properties"]?.objectValue ?? []).flatMap { name, property -> [(name: String, kind: RowColumnKind)] in
            let members = reader.resolved(property)["properties"]?.objectValue ?? []
            if members.isEmpty { return [(name, Self.kind(of: reader.resolved(property)))] }
            return members.map { ("\(name).\($0.0)", Self.kind(of: reader.resolved($0.1))) }
        }
    }

    private static func kind(of property: JSONValue) -> RowColumnKind {
        if property["format"]?.stringValue == "date" { return .date }
        if let values = property["enum"]?.arrayValue?.compactMap(\.stringValue), !values.isEmpty { return .choice(values) }
        switch property["type"]?.stringValue {
        case "integer": return .wholeNumber
        case "number": return .number
        case "boolean": return .boolean
        case "array": return .list
        default: return .text
        }
    }

    /// ``example(on:)`` as a row under ``rowColumns``: a list's values joined by commas, and the
    /// fields the example leaves out (the optional ones) blank.
    public func exampleRow(on date: LocalDate) -> [String] { row(of: example(on: date)) }

    /// `event` as a row under ``rowColumns``, each cell as a person types it (a list's values
    /// joined by commas; blank where the event has no such field): what the dashboard's
    /// correction page offers to change.
    public func row(of event: JSONValue) -> [String] {
        rowColumns.map { column in
            if column == "occurredOn" { return event["occurredOn"]?.stringValue ?? "" }
            var value: JSONValue? = event["data"]
            for name in column.split(separator: ".") { value = value?[String(name)] }
            switch value {
            case .string(let text)?: return text
            case .array(let items)?: return items.map { $0.stringValue ?? $0.compactText }.joined(separator: ",")
            case let other?: return other.compactText
            case nil: return ""
            }
        }
    }
}

extension EventCatalogue {
    /// A sheet to fill in with rows of `types` (`schemas TYPE… --csv`, `GET /v1/schemas?format=csv`):
    /// for one type, its ``Entry/rowColumns`` and its example row; for several, as `record
    /// --rows` reads them without a type, a `type` column, `occurredOn`, each type's fields in
    /// the order the types are given, and an example row of each, blank in the columns its type
    /// has not. Each type in its latest schema version.
    public func rowSheet(of types: [EventType], on date: LocalDate) -> RowSheet {
        let entries = types.compactMap { type in versions(of: type).max().flatMap { entry(type, version: $0) } }
        if entries.count == 1, let entry = entries.first {
            return RowSheet(columns: entry.rowColumns, kinds: entry.rowColumnKinds, rows: [entry.exampleRow(on: date)])
        }
        var columns = ["type"]
        var kinds: [RowColumnKind] = [.choice(entries.map(\.type.rawValue))]
        for entry in entries {
            for (column, kind) in zip(entry.rowColumns, entry.rowColumnKinds) {
                guard let index = columns.firstIndex(of: column) else {
                    columns.append(column)
                    kinds.append(kind)
                    continue
                }
                // A field of several types with its values listed: any of theirs.
                if case .choice(let values) = kinds[index], case .choice(let more) = kind {
                    kinds[index] = .choice(values + more.filter { !values.contains($0) })
                }
            }
        }
        let rows = entries.map { entry in
            let cells = Dictionary(uniqueKeysWithValues: zip(entry.rowColumns, entry.exampleRow(on: date)))
            return columns.map { $0 == "type" ? entry.type.rawValue : cells[$0] ?? "" }
        }
        return RowSheet(columns: columns, kinds: kinds, rows: rows)
    }
}
