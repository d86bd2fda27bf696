internal import LedgerJSON

/// The event catalogue: one compiled schema per event type and version, from the files of
/// `Schemas/` embedded in the binary. Validation runs these schemas, so the files that other
/// systems integrate against are exactly what the ledger enforces.
public final class EventCatalogue: Sendable {
    /// One schema file, compiled.
    ///
    /// A class: an import hands one to each event it prepares and commits, and a struct of this
    /// many references was retained and released field by field at every copy.
    public final class Entry: Sendable {
        /// The event type the schema describes.
        public let type: EventType
        /// Its schema version (1 for every type until a later version comes with an upcaster).
        public let schemaVersion: Int
        /// The file under `Schemas/`, such as `EmploymentStarted.v1.json`.
        public let fileName: String
        /// The schema file's text, as published (`GET /v1/schemas`).
        public let text: String
        /// The stream template of the file's `x-stream`, such as `worker-{workerRef}`.
        public let streamTemplate: String
        let root: SchemaNode
        let stream: StreamRule
        /// The type's name as the key of the `types` index, and its one-byte code in `eventIds`.
        let typeKey: [UInt8]
        let typeCode: UInt8
        /// The stored form's last member and its end, `,"type":"NAME"}`: a type's name is plain
        /// ASCII, so it is the same bytes for every event, made once.
        let typeMember: [UInt8]

        init(type: EventType, schemaVersion: Int, fileName: String, text: String, streamTemplate: String, root: SchemaNode,
             stream: StreamRule, typeKey: [UInt8], typeCode: UInt8, typeMember: [UInt8]) {
            self.type = type
            self.schemaVersion = schemaVersion
            self.fileName = fileName
            self.text = text
            self.streamTemplate = streamTemplate
            self.root = root
            self.stream = stream
            self.typeKey = typeKey
            self.typeCode = typeCode
            self.typeMember = typeMember
        }
    }

    /// How an event's stream is derived from its data.
    enum StreamRule: Sendable {
        /// A kind prefix and the value of one data field: `worker-` + `workerRef`.
        case field(prefix: String, field: String)
        /// The stream of the event named by a data field (retractions).
        case streamOfTarget(field: String)
    }

    /// Every schema of the catalogue, sorted by type and version (`GET /v1/schemas`).
    public let entries: [Entry]
    private let byType: [EventType: [Int: Entry]]

    /// The catalogue built into this binary.
    public static let standard: EventCatalogue = {
        do { return try EventCatalogue(files: embeddedSchemaFiles) } catch {
            fatalError("The schemas built into careledger do not compile: \(error). Run Tools/embed-schemas.sh and rebuild.")
        }
    }()

    /// Compiles schema files given as (file name, text).
    init(files: [(name: String, text: String)]) throws {
        var entries: [Entry] = []
        for file in files {
            let root = try JSONValue(parsing: file.text)
            guard let typeName = root["properties"]?["type"]?["const"]?.stringValue,
                  let type = EventType(rawValue: typeName),
                  let version = root["properties"]?["schemaVersion"]?["const"]?.integerValue,
                  let template = root["x-stream"]?.stringValue
            else {
                throw SchemaCompiler.Failure(file: file.name, pointer: "", reason: "needs properties.type.const naming a catalogue type, properties.schemaVersion.const and x-stream")
            }
            guard file.name == "\(typeName).v\(version).json" else {
                throw SchemaCompiler.Failure(file: file.name, pointer: "", reason: "should be named \(typeName).v\(version).json")
            }
            let compiler = SchemaCompiler(file: file.name, root: root)
            let node = try compiler.compile(root, at: "")
            entries.append(Entry(type: type, schemaVersion: Int(version), fileName: file.name, text: file.text,
                                 streamTemplate: template, root: node,
                                 stream: try Self.streamRule(template, file: file.name, data: node.property("data")),
                                 typeKey: Array(type.rawValue.utf8), typeCode: EventTypeCode.code(of: type),
                                 typeMember: Array(",\"type\":\"\(type.rawValue)\"}".utf8)))
        }
        self.entries = entries.sorted { ($0.type.rawValue, $0.schemaVersion) < ($1.type.rawValue, $1.schemaVersion) }
        var byType: [EventType: [Int: Entry]] = [:]
        for entry in entries { byType[entry.type, default: [:]][entry.schemaVersion] = entry }
        self.byType = byType
    }

    private static let typeNames: [(utf8: [UInt8], type: EventType)] = EventType.allCases.map { (Array($0.rawValue.utf8), $0) }

    /// The event type whose name is `utf8`, without making a string of it.
    func type(utf8: UnsafeBufferPointer<UInt8>) -> EventType? {
        guard let given = utf8.baseAddress else { return nil }
        // Compared in words: the generic element-by-element comparison was a fiftieth of an
        // import's preparing thread.
        for candidate in Self.typeNames where candidate.utf8.count == utf8.count {
            if candidate.utf8.withUnsafeBytes({ PlainText.equal($0.baseAddress!, given, count: utf8.count) }) { return candidate.type }
        }
        return nil
    }

    /// The schema for `type` at `version`, if the catalogue has one.
    public func entry(_ type: EventType, version: Int) -> Entry? { byType[type]?[version] }

    /// The versions the catalogue has for `type`.
    public func versions(of type: EventType) -> [Int] { (byType[type] ?? [:]).keys.sorted() }

    /// The values the schema of `type` (version 1) allows for `data.field` (or for each item of
    /// it, for a list), in the file's order: for read models that count by an enumeration, so
    /// that they count exactly what validation lets in (the validator's own compiled list).
    /// Empty when the field is no enumeration.
    public func values(of type: EventType, field: String) -> [String] {
        guard let property = entry(type, version: 1)?.root.property("data")?.property(field) else { return [] }
        if property.enumeration != nil { return property.enumerationText }
        return property.items?.enumeration != nil ? property.items!.enumerationText : []
    }

    private static func streamRule(_ template: String, file: String, data: SchemaNode?) throws -> StreamRule {
        guard let open = template.firstIndex(of: "{"), let close = template.lastIndex(of: "}"), template.hasSuffix("}") else {
            throw SchemaCompiler.Failure(file: file, pointer: "/x-stream", reason: "a stream template needs a {field}")
        }
        let prefix = String(template[..<open])
        let field = String(template[template.index(after: open)..<close])
        if prefix.isEmpty, field.hasSuffix(".stream") {
            return .streamOfTarget(field: String(field.dropLast(".stream".count)))
        }
        guard data?.required.contains(field) == true, prefix.hasSuffix("-") else {
            throw SchemaCompiler.Failure(file: file, pointer: "/x-stream", reason: "\(template) must be kind-{a required data field}")
        }
        return .field(prefix: prefix, field: field)
    }
}
