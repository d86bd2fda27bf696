public import LedgerJSON

/// A schema in words and as a starting point, for the people who write events by hand
/// (`careledger schemas TYPE`): read from the same file the validator is compiled from, so what
/// it says is what is checked.
extension EventCatalogue.Entry {
    /// One field of the event's `data`.
    public struct Field: Sendable {
        /// Its name, such as `contractType`.
        public let name: String
        /// Whether every event of the type must carry it.
        public let required: Bool
        /// What it holds, such as `one of permanent, temporary, poolBank, agency, other`.
        public let summary: String
    }

    /// The schema's own one-line description, such as "An employment spell starts."
    public var summary: String { SchemaReader(text).schema["description"]?.stringValue ?? "" }

    /// The fields of `data`, in the schema's order.
    public var fields: [Field] {
        let reader = SchemaReader(text)
        let data = reader.schema["properties"]?["data"]
        let required = Set(data?["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        return (data?["properties"]?.objectValue ?? []).map { name, property in
            Field(name: name, required: required.contains(name), summary: reader.describe(property))
        }
    }

    /// An event of this type with every required field filled with a value of the right form
    /// (the first of an enumeration, the least number allowed, `ID` for an id), dated `date`:
    /// valid against the schema, to be edited into the event meant.
    public func example(on date: LocalDate) -> JSONValue {
        let reader = SchemaReader(text), day = date.description
        return .object([("type", .string(type.rawValue)), ("schemaVersion", .integer(Int64(schemaVersion))),
                        ("occurredOn", .string(day)), ("data", reader.example(of: reader.schema["properties"]?["data"] ?? .null, date: day))])
    }
}

extension EventCatalogue {
    /// Every schema as `GET /v1/schemas` and `careledger schemas --json` give them (SPEC 8):
    /// `{"schemas": [{"type", "schemaVersion", "stream", "schema", "csvColumns"}, …], "sha256"}`,
    /// where `csvColumns` is the header of a spreadsheet's rows of that type (`POST
    /// /v1/events?type=`, `record TYPE --rows`), so that a system exporting one can be set up from
    /// this answer alone, and `sha256` is every schema's together (``schemaFingerprint``), so that
    /// it can tell at a glance whether they changed since it was.
    public var published: JSONValue { published(of: nil) }

    /// ``published``, of `types` alone when given (`GET /v1/schemas?types=`).
    public func published(of types: Set<EventType>?) -> JSONValue {
        .object([("schemas", .array(entries.filter { types?.contains($0.type) ?? true }.map { entry in
            .object([("type", .string(entry.type.rawValue)), ("schemaVersion", .integer(Int64(entry.schemaVersion))),
                     ("stream", .string(entry.streamTemplate)), ("schema", SchemaReader(entry.text).schema),
                     ("csvColumns", .array(entry.rowColumns.map(JSONValue.string)))])
        })), ("sha256", .string(Self.schemaFingerprint))])
    }
}

/// One schema file, parsed, read for its words and its examples.
struct SchemaReader {
    let schema: JSONValue

    /// The embedded files parsed when the catalogue was built; they parse here too.
    init(_ text: String) { schema = (try? JSONValue(parsing: text)) ?? .null }

    /// A property, followed through `$ref` into the file's `$defs`.
    func resolved(_ property: JSONValue) -> JSONValue {
        guard let reference = property["$ref"]?.stringValue, reference.hasPrefix("#/$defs/") else { return property }
        return schema["$defs"]?[String(reference.dropFirst("#/$defs/".count))] ?? property
    }

    func describe(_ property: JSONValue) -> String {
        let isDefinition = property["$ref"] != nil
        let property = resolved(property)
        let note = property["description"]?.stringValue.map { " (\($0))" } ?? ""
        if let values = property["enum"]?.arrayValue {
            // A long list, such as the 250 country codes, is named by its description, as a refusal names it.
            if values.count > SchemaNode.listedEnumerationLimit, let description = property["description"]?.stringValue {
                return description + "; one of \(values.count), listed in the schema file (--json)"
            }
            return "one of " + values.map { $0.stringValue ?? $0.compactText }.joined(separator: ", ")
        }
        if isDefinition, let description = property["description"]?.stringValue { return description }
        switch property["type"]?.stringValue {
        case "array":
            let items = property["items"].map(resolved)
            let values = items?["enum"]?.arrayValue.map { $0.map { $0.stringValue ?? $0.compactText }.joined(separator: ", ") }
            let least = property["minItems"]?.integerValue ?? 0
            return "a list (\(least > 0 ? "at least \(least)" : "may be empty"), no repeats) of " + (values ?? items.map(describe) ?? "values")
        case "object":
            let required = Set(property["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            let members = (property["properties"]?.objectValue ?? []).map { required.contains($0.0) ? $0.0 : $0.0 + "?" }
            return "an object of " + members.joined(separator: ", ") + note
        case "integer": return "a whole number" + range(property)
        case "number": return "a number" + range(property)
        case "boolean": return "true or false"
        case "string":
            let most = property["maxLength"]?.integerValue.map { ", at most \($0) characters" } ?? ""
            return "text" + most + note
        default: return property["description"]?.stringValue ?? "any JSON value"
        }
    }

    private func range(_ property: JSONValue) -> String {
        guard let least = property["minimum"]?.doubleValue else { return "" }
        let most = property["maximum"]?.doubleValue
        let shown = { (value: Double) in value.rounded() == value ? String(Int64(value)) : String(value) }
        if let most, most < 1e6 { return " from \(shown(least)) to \(shown(most))" }
        return " of \(shown(least)) or more"
    }

    func example(of property: JSONValue, date: String) -> JSONValue {
        let property = resolved(property)
        if let first = property["enum"]?.arrayValue?.first { return first }
        switch property["type"]?.stringValue {
        case "object":
            let required = Set(property["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            return .object((property["properties"]?.objectValue ?? []).filter { required.contains($0.0) }.map { name, member in
                (name, example(of: member, date: date))
            })
        case "array":
            let least = property["minItems"]?.integerValue ?? 0
            return .array(least > 0 ? [example(of: property["items"] ?? .null, date: date)] : [])
        case "integer": return .integer(property["minimum"]?.integerValue ?? 0)
        case "number": return .integer(property["minimum"]?.integerValue ?? 0)
        case "boolean": return .bool(false)
        default:
            if property["format"]?.stringValue == "date" { return .string(date) }
            if let pattern = property["pattern"]?.stringValue { return .string(Self.sample(matching: pattern)) }
            return .string("text")
        }
    }

    /// A value of each pattern the schemas use, shown as a person would write one.
    private static func sample(matching pattern: String) -> String {
        switch pattern {
        case "^[EWSN][0-9]{8}$": "E08000025"
        case "^[A-Z]{2}$": "GB"
        case let uuid where uuid.contains("{12}"): "00000000-0000-4000-8000-000000000000"
        default: "ID"
        }
    }
}
