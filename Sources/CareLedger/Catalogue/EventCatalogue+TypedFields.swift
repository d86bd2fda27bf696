public import LedgerJSON

/// An event built from fields as a person types them on a command line (`careledger record`):
/// `reason=movedToHealth`, `weeklyHours=37.5`, `indicators=fees,debt`,
/// `repaymentClause.months=12`. The schema of the type says what each field holds, so a number
/// becomes a JSON number and a list a JSON array; what does not fit its field's form is kept as
/// the text typed, for the validator to refuse in its own words, as it refuses any event.
extension EventCatalogue.Entry {
    /// One field as typed: a path into `data` (`repaymentClause.months`) and its text.
    public struct TypedField: Sendable, Equatable {
        /// The field's name, or a dotted path to a member of an object field.
        public let path: [String]
        /// The text after the `=`.
        public let text: String

        /// `NAME=TEXT`, `OBJECT.MEMBER=TEXT`; `nil` without an `=` or a name before it.
        public init?(_ argument: String) {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
            path = argument[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            text = String(argument[argument.index(after: equals)...])
            guard !path.contains(where: \.isEmpty) else { return nil }
        }
    }

    /// The event of this type dated `occurredOn`, whose `data` holds `fields`, each converted
    /// to the JSON its schema property takes; with `id` and `meta` when given.
    /// - Throws: ``LedgerError`` `usage` for a field given twice, or given both whole and by
    ///   its members.
    public func event(occurredOn: LocalDate, fields: [TypedField], id: String? = nil, meta: [(String, String)] = []) throws(LedgerError) -> JSONValue {
        try event(dated: occurredOn.description, fields: fields, id: id, meta: meta)
    }

    /// The event as ``event(occurredOn:fields:id:meta:)`` makes it, dated as `occurredOn` is
    /// written (a spreadsheet's cell), for the validator to refuse in its own words if it is not a date.
    public func event(dated occurredOn: String, fields: [TypedField], id: String? = nil, meta: [(String, String)] = []) throws(LedgerError) -> JSONValue {
        try event(dated: occurredOn, fields: fields, id: id, meta: meta, reader: SchemaReader(text))
    }

    /// The event, its fields read through `reader`, this type's schema read once for many
    /// events (a spreadsheet's rows).
    func event(dated occurredOn: String, fields: [TypedField], id: String?, meta: [(String, String)], reader: SchemaReader) throws(LedgerError) -> JSONValue {
        var data: [(String, JSONValue)] = []
        for field in fields {
            try Self.insert(field.text, at: field.path[...], into: &data, property: reader.schema["properties"]?["data"], reader: reader, whole: field.path)
        }
        var members: [(String, JSONValue)] = []
        if let id { members.append(("id", .string(id))) }
        members += [("type", .string(type.rawValue)), ("schemaVersion", .integer(Int64(schemaVersion))),
                    ("occurredOn", .string(occurredOn)), ("data", .object(data))]
        if !meta.isEmpty { members.append(("meta", .object(meta.map { ($0.0, .string($0.1)) }))) }
        return .object(members)
    }

    /// Whether the field at `path` (`indicators`, `repaymentClause.months`) holds a list, so that
    /// nothing written for it is the empty list rather than no value; `reader` is this type's
    /// schema, read once for a spreadsheet's many columns.
    func takesList(_ path: [String], reader: SchemaReader) -> Bool {
        var property = reader.schema["properties"]?["data"]
        for name in path { property = property.map(reader.resolved)?["properties"]?[name] }
        return property.map(reader.resolved)?["type"]?.stringValue == "array"
    }

    /// Puts `text`, converted for the property at `path`, into the object `members`.
    /// - Parameter replacing: `true` to replace a value `members` holds already (an event
    ///   mended), nothing (`text` empty) removing it unless it is a list; `false` to refuse one.
    static func insert(_ text: String, at path: ArraySlice<String>, into members: inout [(String, JSONValue)],
                       property object: JSONValue?, reader: SchemaReader, whole: [String], replacing: Bool = false) throws(LedgerError) {
        let name = path.first!
        let property = object.map(reader.resolved)?["properties"]?[name].map(reader.resolved)
        let index = members.firstIndex { $0.0 == name }
        guard path.count > 1 else {
            if let index {
                guard replacing else { throw LedgerError(.usage, "\(whole.joined(separator: ".")) is given twice; give each field once") }
                members.remove(at: index)
            }
            if replacing && text.isEmpty && property?["type"]?.stringValue != "array" { return }
            members.append((name, reader.value(of: text, for: property)))
            return
        }
        var inner: [(String, JSONValue)] = []
        if let index {
            guard case .object(let existing) = members[index].1 else {
                throw LedgerError(.usage, "\(name) is given whole and by its members (\(whole.joined(separator: "."))); give it one way")
            }
            inner = existing
        }
        try insert(text, at: path.dropFirst(), into: &inner, property: property, reader: reader, whole: whole, replacing: replacing)
        if let index { members[index].1 = .object(inner) } else { members.append((name, .object(inner))) }
    }
}

extension SchemaReader {
    /// `text` as the JSON `property` takes: a whole number, a number, true or false (in any
    /// case, `TRUE` as a spreadsheet saves it), a list (comma-separated; nothing for an empty
    /// one), or text. Text that is not of the property's form stays text, and the validator says
    /// what was expected.
    func value(of text: String, for property: JSONValue?) -> JSONValue {
        guard let property else { return .string(text) }  // not a field of the type: refused by name
        if property["enum"]?.arrayValue?.allSatisfy({ $0.stringValue != nil }) == true { return .string(text) }
        switch property["type"]?.stringValue {
        case "integer":
            return Int64(text).map(JSONValue.integer) ?? .string(text)
        case "number":
            if let whole = Int64(text) { return .integer(whole) }
            // A number as JSON writes one (37.5, 1e-7), read as JSON reads it: not Swift's wider
            // forms (0x1p3, inf), which stay text for the validator to refuse.
            if let number = try? JSONValue(parsing: text), case .number = number { return number }
            return .string(text)
        case "boolean":
            // Excel and LibreOffice write a boolean cell as TRUE or FALSE when they save CSV.
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return .string(text)
            }
        case "array":
            let items = property["items"].map(resolved)
            return .array(text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false).map { value(of: String($0), for: items) })
        default:
            return .string(text)
        }
    }
}
