/// A JSON value as a Swift tree, with object members in the order they were given.
///
/// For schemas, command output and tests: places where a tree is convenient and speed is not
/// the point. The append path reads events through ``JSONDocument`` instead.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.integer(a), .number(b)), let (.number(b), .integer(a)): return Double(a) == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            let sortedA = a.sorted { $0.0 < $1.0 }, sortedB = b.sorted { $0.0 < $1.0 }
            return zip(sortedA, sortedB).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value at `index` of `document`.
    public init(_ document: JSONDocument, at index: Int) {
        switch document.kind(index) {
        case .null: self = .null
        case .true: self = .bool(true)
        case .false: self = .bool(false)
        case .string: self = .string(document.string(index))
        case .number:
            if document.tokens[index].flag, let integer = document.integer(index) {
                self = .integer(integer)
            } else {
                self = .number(document.double(index))
            }
        case .array: self = .array(document.elements(index).map { JSONValue(document, at: $0) })
        case .object:
            self = .object(document.members(index).map { (document.string($0.key), JSONValue(document, at: $0.value)) })
        }
    }

    /// Parses `text` into a tree.
    public init(parsing text: String) throws(JSONSyntaxError) {
        let document = try JSONDocument(parsing: text)
        self.init(document, at: document.root)
    }

    /// The member named `name` of an object, or `nil`.
    public subscript(name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == name }?.1
    }

    /// The element at `index`, when this is an array that long.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The string, when this is one.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The whole number, when this is one.
    public var integerValue: Int64? {
        switch self {
        case .integer(let i): return i
        case .number(let d) where d.rounded() == d && abs(d) < 9.007_199_254_740_992e15: return Int64(d)
        default: return nil
        }
    }
    /// The number, when this is one.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }
    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    /// The members, when this is an object.
    public var objectValue: [(String, JSONValue)]? { if case .object(let o) = self { o } else { nil } }
    /// The boolean, when this is one.
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }

    /// The value as RFC 8785 canonical JSON.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalJSONWriter()
        write(into: &writer, sorted: true)
        return writer.bytes
    }

    /// The value as compact JSON with members in their given order, on one line; a whole-valued
    /// ``number(_:)`` is written with `.0`.
    public var compactText: String {
        var writer = CanonicalJSONWriter()
        write(into: &writer, sorted: false)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Writes the value; `sorted` orders members as RFC 8785 does, else keeps their order.
    public func write(into writer: inout CanonicalJSONWriter, sorted: Bool) {
        switch self {
        case .null: writer.writeRaw("null")
        case .bool(let b): b ? writer.writeRaw("true") : writer.writeRaw("false")
        case .integer(let i): writer.writeInteger(i)
        case .number(let d) where !sorted && d.rounded() == d && abs(d) < 1e15:
            // Display JSON keeps a whole-valued number visibly a number with a fraction (a rate
            // of 1 reads 1.0, as SPEC section 9 shows); canonical JSON must write 1.
            writer.writeInteger(Int64(d))
            writer.writeRaw(".0")
        case .number(let d): writer.writeNumber(d)
        case .string(let s): writer.writeString(s)
        case .array(let elements):
            writer.writeRaw("[")
            for (i, element) in elements.enumerated() {
                if i > 0 { writer.writeRaw(",") }
                element.write(into: &writer, sorted: sorted)
            }
            writer.writeRaw("]")
        case .object(let members):
            let ordered = sorted ? members.sorted { Array($0.0.utf16).lexicographicallyPrecedes(Array($1.0.utf16)) } : members
            writer.writeRaw("{")
            for (i, member) in ordered.enumerated() {
                if i > 0 { writer.writeRaw(",") }
                writer.writeString(member.0)
                writer.writeRaw(":")
                member.1.write(into: &writer, sorted: sorted)
            }
            writer.writeRaw("}")
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(floatLiteral value: Double) { self = .number(value) }
}
