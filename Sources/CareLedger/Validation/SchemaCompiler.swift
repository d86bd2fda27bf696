internal import LedgerJSON

/// Compiles a schema file into ``SchemaNode``s, refusing any keyword the validator does not
/// enforce: a schema that says more than the validator checks would let the two disagree.
struct SchemaCompiler {
    struct Failure: Error, CustomStringConvertible {
        let file: String
        let pointer: String
        let reason: String
        var description: String { "schema \(file) at \(pointer.isEmpty ? "/" : pointer): \(reason)" }
    }

    /// Keywords that only annotate, which the validator may ignore.
    static let annotations: Set<String> = ["$schema", "$id", "$comment", "title", "description", "examples", "x-stream", "$defs"]
    /// Keywords the validator enforces.
    static let assertions: Set<String> = [
        "$ref", "type", "const", "enum", "required", "properties", "additionalProperties", "minProperties",
        "maxProperties", "items", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern",
        "format", "minimum", "maximum",
    ]

    let file: String
    let definitions: [(String, JSONValue)]

    init(file: String, root: JSONValue) {
        self.file = file
        self.definitions = root["$defs"]?.objectValue ?? []
    }

    func compile(_ schema: JSONValue, at pointer: String, depth: Int = 0) throws(Failure) -> SchemaNode {
        guard depth < 32 else { throw Failure(file: file, pointer: pointer, reason: "$ref nests too deep") }
        guard let members = schema.objectValue else {
            throw Failure(file: file, pointer: pointer, reason: "a subschema must be an object")
        }
        for (keyword, _) in members where !Self.annotations.contains(keyword) && !Self.assertions.contains(keyword) {
            throw Failure(file: file, pointer: pointer, reason: "keyword \"\(keyword)\" is not supported by the validator")
        }
        if let reference = schema["$ref"]?.stringValue {
            guard members.count == 1 || members.allSatisfy({ $0.0 == "$ref" || Self.annotations.contains($0.0) }) else {
                throw Failure(file: file, pointer: pointer, reason: "$ref beside other assertions is not supported")
            }
            let prefix = "#/$defs/"
            guard reference.hasPrefix(prefix),
                  let target = definitions.first(where: { $0.0 == String(reference.dropFirst(prefix.count)) })?.1
            else { throw Failure(file: file, pointer: pointer, reason: "$ref \(reference) does not name an entry of $defs") }
            return try compile(target, at: "/$defs/" + reference.dropFirst(prefix.count), depth: depth + 1)
        }

        var types = SchemaNode.Types.any
        if let type = schema["type"] {
            let names = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue].compactMap { $0 }
            types = []
            for name in names {
                switch name {
                case "null": types.insert(.null)
                case "boolean": types.insert(.boolean)
                case "integer": types.insert(.integer)
                case "number": types.formUnion([.integer, .number])
                case "string": types.insert(.string)
                case "array": types.insert(.array)
                case "object": types.insert(.object)
                default: throw Failure(file: file, pointer: pointer + "/type", reason: "unknown type \(name)")
                }
            }
        }

        var properties: [SchemaNode.Property] = []
        for (name, subschema) in schema["properties"]?.objectValue ?? [] {
            let node = try compile(subschema, at: pointer + "/properties/" + name, depth: depth)
            properties.append(.init(name: name, utf8: Array(name.utf8), node: node))
        }
        let required = schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []

        let additional: SchemaNode.Additional
        switch schema["additionalProperties"] {
        case nil, .bool(true)?: additional = .allowed
        case .bool(false)?: additional = .forbidden
        case let sub?: additional = .schema(try compile(sub, at: pointer + "/additionalProperties", depth: depth))
        }

        var pattern: BytePattern?
        if let source = schema["pattern"]?.stringValue {
            do { pattern = try BytePattern(source) } catch {
                throw Failure(file: file, pointer: pointer + "/pattern", reason: error.reason)
            }
        }
        var isDate = false
        if let format = schema["format"]?.stringValue {
            guard format == "date" else {
                throw Failure(file: file, pointer: pointer + "/format", reason: "format \(format) is not enforced by the validator")
            }
            isDate = true
        }
        let enumValues = schema["enum"]?.arrayValue
        let items = try schema["items"].map { (sub) throws(Failure) in try compile(sub, at: pointer + "/items", depth: depth) }

        return SchemaNode(
            types: types,
            constant: schema["const"]?.canonicalBytes,
            enumeration: enumValues?.map(\.canonicalBytes),
            enumerationText: enumValues?.map { $0.stringValue ?? $0.compactText } ?? [],
            properties: properties,
            required: required,
            additional: additional,
            minProperties: schema["minProperties"]?.integerValue.map(Int.init),
            maxProperties: schema["maxProperties"]?.integerValue.map(Int.init),
            items: items,
            minItems: schema["minItems"]?.integerValue.map(Int.init),
            maxItems: schema["maxItems"]?.integerValue.map(Int.init),
            uniqueItems: schema["uniqueItems"]?.boolValue ?? false,
            minLength: schema["minLength"]?.integerValue.map(Int.init),
            maxLength: schema["maxLength"]?.integerValue.map(Int.init),
            pattern: pattern,
            isDate: isDate,
            minimum: schema["minimum"]?.doubleValue,
            maximum: schema["maximum"]?.doubleValue,
            explanation: schema["description"]?.stringValue,
            // Money's members are named so (hourlyPayPence, amountPence): the name is the
            // contract, where the description's wording is not.
            inPence: pointer.hasSuffix("Pence") && types == .integer
        )
    }
}
