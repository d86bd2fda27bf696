internal import LedgerJSON

/// One compiled JSON Schema (2020-12) subschema: the checks it makes, ready to run over a tape.
final class SchemaNode: Sendable {
    struct Types: OptionSet, Sendable {
        let rawValue: UInt8
        static let null = Types(rawValue: 1), boolean = Types(rawValue: 2), integer = Types(rawValue: 4)
        static let number = Types(rawValue: 8), string = Types(rawValue: 16), array = Types(rawValue: 32)
        static let object = Types(rawValue: 64)
        static let any: Types = [.null, .boolean, .integer, .number, .string, .array, .object]
    }

    enum Additional: Sendable {
        case allowed
        case forbidden
        case schema(SchemaNode)
    }

    struct Property: Sendable {
        let name: String
        let utf8: [UInt8]
        let node: SchemaNode
    }

    let types: Types
    /// `const`, as canonical JSON bytes.
    let constant: [UInt8]?
    /// `enum`, as canonical JSON bytes, with the values for messages.
    let enumeration: [[UInt8]]?
    let enumerationText: [String]
    let properties: [Property]
    /// The names of the required members.
    let required: [String]
    /// Each required name with its position in `properties` (-1 when the schema does not describe it).
    let requiredPositions: [(Int, String)]
    let additional: Additional
    let minProperties: Int?
    let maxProperties: Int?
    let items: SchemaNode?
    let minItems: Int?
    let maxItems: Int?
    let uniqueItems: Bool
    let minLength: Int?
    let maxLength: Int?
    let pattern: BytePattern?
    let isDate: Bool
    let minimum: Double?
    let maximum: Double?
    /// The schema's `description`: said to a person whose value breaks a pattern.
    let explanation: String?

    init(types: Types, constant: [UInt8]?, enumeration: [[UInt8]]?, enumerationText: [String],
         properties: [Property], required: [String], additional: Additional,
         minProperties: Int?, maxProperties: Int?, items: SchemaNode?, minItems: Int?, maxItems: Int?,
         uniqueItems: Bool, minLength: Int?, maxLength: Int?, pattern: BytePattern?, isDate: Bool,
         minimum: Double?, maximum: Double?, explanation: String?) {
        self.types = types
        self.constant = constant
        self.enumeration = enumeration
        self.enumerationText = enumerationText
        self.properties = properties
        self.required = required
        self.requiredPositions = required.map { name in (properties.firstIndex { $0.name == name } ?? -1, name) }
        self.additional = additional
        self.minProperties = minProperties
        self.maxProperties = maxProperties
        self.items = items
        self.minItems = minItems
        self.maxItems = maxItems
        self.uniqueItems = uniqueItems
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.isDate = isDate
        self.minimum = minimum
        self.maximum = maximum
        self.explanation = explanation
    }

    /// The subschema of the property `name`, if the schema describes it.
    func property(_ name: String) -> SchemaNode? {
        properties.first { $0.name == name }?.node
    }
}
