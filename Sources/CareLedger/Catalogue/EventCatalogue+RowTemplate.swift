internal import LedgerJSON

/// A type's events as a spreadsheet's rows, as `careledger record TYPE --rows FILE` reads them and
/// `careledger schemas TYPE --csv` offers them to start from: staff fill in a provider's return
/// in the columns the ledger will read.
extension EventCatalogue.Entry {
    /// `occurredOn`, then each field of `data`, an object field by its members
    /// (`repaymentClause.months`, `pii.givenName`).
    public var rowColumns: [String] {
        let reader = SchemaReader(text)
        let data = reader.resolved(reader.schema["properties"]?["data"] ?? .null)
        return ["occurredOn"] + (data["properties"]?.objectValue ?? []).flatMap { name, property -> [String] in
            let members = reader.resolved(property)["properties"]?.objectValue ?? []
            return members.isEmpty ? [name] : members.map { "\(name).\($0.0)" }
        }
    }

    /// ``example(on:)`` as a row under ``rowColumns``: a list's values joined by commas, and the
    /// fields the example leaves out (the optional ones) blank.
    public func exampleRow(on date: LocalDate) -> [String] {
        let example = example(on: date)
        return rowColumns.map { column in
            if column == "occurredOn" { return date.description }
            var value: JSONValue? = example["data"]
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
    public func rowSheet(of types: [EventType], on date: LocalDate) -> (columns: [String], rows: [[String]]) {
        let entries = types.compactMap { type in versions(of: type).max().flatMap { entry(type, version: $0) } }
        if entries.count == 1, let entry = entries.first { return (entry.rowColumns, [entry.exampleRow(on: date)]) }
        var columns = ["type"]
        for column in entries.flatMap(\.rowColumns) where !columns.contains(column) { columns.append(column) }
        let rows = entries.map { entry in
            let cells = Dictionary(uniqueKeysWithValues: zip(entry.rowColumns, entry.exampleRow(on: date)))
            return columns.map { $0 == "type" ? entry.type.rawValue : cells[$0] ?? "" }
        }
        return (columns, rows)
    }
}
