internal import LedgerJSON

/// One compiled JSON Schema (2020-12) subschema: the checks it makes, ready to run over a tape.
///
/// Unchecked `Sendable`: the node never changes after `init`, and its member table is memory of
/// its own, freed with it.
final class SchemaNode: @unchecked Sendable {
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

    /// A property as the validator matches it on every event: its name's bytes and its node,
    /// neither reference counted. Reading `properties` retained an array, a name and a node per
    /// member tried, a seventh of the preparing thread's time in an import.
    struct Member {
        let name: UnsafeBufferPointer<UInt8>
        let node: Unmanaged<SchemaNode>
    }

    let types: Types
    /// `const`, as canonical JSON bytes.
    let constant: [UInt8]?
    /// `enum`, as canonical JSON bytes, with the values for messages.
    let enumeration: [[UInt8]]?
    let enumerationText: [String]
    let properties: [Property]
    /// `properties` again, in memory of the node's own (the names laid end to end); the nodes
    /// are kept alive by `properties`.
    let members: UnsafeBufferPointer<Member>
    private let memberNames: UnsafeMutableBufferPointer<UInt8>
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
    /// The schema's `description`: said to a person whose value breaks a pattern, or is not one
    /// of an enumeration too long to list.
    let explanation: String?
    /// Whether the value is money in whole pence (SPEC 1), as every member whose name ends in
    /// `Pence` is: a fraction sent there is most likely pounds, and the refusal says so.
    let inPence: Bool

    /// The most values a refusal lists; a longer enumeration is named by its description.
    static let listedEnumerationLimit = 24

    init(types: Types, constant: [UInt8]?, enumeration: [[UInt8]]?, enumerationText: [String],
         properties: [Property], required: [String], additional: Additional,
         minProperties: Int?, maxProperties: Int?, items: SchemaNode?, minItems: Int?, maxItems: Int?,
         uniqueItems: Bool, minLength: Int?, maxLength: Int?, pattern: BytePattern?, isDate: Bool,
         minimum: Double?, maximum: Double?, explanation: String?, inPence: Bool = false) {
        self.types = types
        self.constant = constant
        self.enumeration = enumeration
        self.enumerationText = enumerationText
        self.properties = properties
        let names = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: properties.reduce(0) { $0 + $1.utf8.count })
        let members = UnsafeMutableBufferPointer<Member>.allocate(capacity: properties.count)
        var offset = 0
        for (position, property) in properties.enumerated() {
            let name = UnsafeMutableBufferPointer(rebasing: names[offset..<(offset + property.utf8.count)])
            _ = name.initialize(from: property.utf8)
            members.initializeElement(at: position, to: Member(name: UnsafeBufferPointer(name), node: .passUnretained(property.node)))
            offset += property.utf8.count
        }
        self.memberNames = names
        self.members = UnsafeBufferPointer(members)
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
        self.inPence = inPence
    }

    deinit {
        UnsafeMutableBufferPointer(mutating: members).deallocate()
        memberNames.deallocate()
    }

    /// The subschema of the property `name`, if the schema describes it.
    func property(_ name: String) -> SchemaNode? {
        properties.first { $0.name == name }?.node
    }
}
