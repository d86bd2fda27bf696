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
