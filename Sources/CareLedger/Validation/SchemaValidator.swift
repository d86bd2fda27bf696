internal import LedgerJSON

/// A value that breaks its schema: where (a JSON pointer) and which rule, in words.
struct SchemaViolation: Error, Equatable {
    let pointer: String
    let rule: String
}

/// Runs a compiled schema over a value in a tape. It stops at the first violation, in document
/// order, so that the error a person sees is the first thing to fix.
struct SchemaValidator {
    let document: JSONDocument
    var path = JSONPath()
    private var canonical = CanonicalJSONWriter()

    init(document: JSONDocument) { self.document = document }

    mutating func validate(_ index: Int, against node: SchemaNode) -> SchemaViolation? {
        let token = document.tokens[index]
        let kind = token.kind
        // type
        let actual: SchemaNode.Types
        switch kind {
        case .null: actual = .null
        case .true, .false: actual = .boolean
        case .string: actual = .string
        case .array: actual = .array
        case .object: actual = .object
        case .number: actual = document.integer(index) != nil ? [.integer, .number] : .number
        }
        if node.types.intersection(actual).isEmpty {
            return fail("must be \(describe(node.types)), not \(describe(actual))")
        }
        if let constant = node.constant {
            guard canonicalBytes(index) == constant else {
                return fail("must be \(String(decoding: constant, as: UTF8.self))")
            }
        }
        if let enumeration = node.enumeration {
            let bytes = canonicalBytes(index)
            guard enumeration.contains(bytes) else {
                return fail("must be one of \(node.enumerationText.joined(separator: ", ")), not \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        switch kind {
        case .string: return validateString(index, node)
        case .number: return validateNumber(index, node)
        case .object: return validateObject(index, node)
        case .array: return validateArray(index, node)
        default: return nil
        }
    }

    private mutating func validateString(_ index: Int, _ node: SchemaNode) -> SchemaViolation? {
        if node.minLength != nil || node.maxLength != nil {
            let length = document.scalarCount(index)
            if let min = node.minLength, length < min {
                return fail(min == 1 ? "must not be empty" : "must be at least \(min) characters long")
            }
            if let max = node.maxLength, length > max { return fail("must be at most \(max) characters long") }
        }
        if node.pattern != nil || node.isDate {
            let token = document.tokens[index]
            let text: [UInt8] = token.flag ? Array(document.string(index).utf8) : Array(document.bytes[document.byteRange(index)])
            let matches = text.withUnsafeBytes { raw in
                (node.pattern?.matches(raw) ?? true) && (!node.isDate || LocalDate(utf8: raw) != nil)
            }
            if !matches {
                let shown = String(decoding: text, as: UTF8.self)
                if node.isDate { return fail("must be \(node.explanation ?? "a calendar date as YYYY-MM-DD"), and \"\(shown)\" is not one") }
                return fail("must be \(node.explanation ?? "a string matching \(node.pattern!.source)"), not \"\(shown)\"")
            }
        }
        return nil
    }

    private mutating func validateNumber(_ index: Int, _ node: SchemaNode) -> SchemaViolation? {
        guard node.minimum != nil || node.maximum != nil else { return nil }
        let value = document.double(index)
        if let min = node.minimum, value < min { return fail("must be at least \(format(min))") }
        if let max = node.maximum, value > max { return fail("must be at most \(format(max))") }
        return nil
    }

    private mutating func validateObject(_ index: Int, _ node: SchemaNode) -> SchemaViolation? {
        let count = document.count(index)
        if let max = node.maxProperties, count > max { return fail("may have at most \(max) members, not \(count)") }
        if let min = node.minProperties, count < min { return fail("must have at least \(min) members") }
        var seen: UInt64 = 0
        for (key, value) in document.members(index) {
            var matched = -1
            for (position, property) in node.properties.enumerated() where keyEquals(key, property.utf8) {
                matched = position
                break
            }
            path.steps.append(.member(keyToken: key))
            if matched >= 0 {
                seen |= 1 << UInt64(matched)
                if let violation = validate(value, against: node.properties[matched].node) { return violation }
            } else {
                switch node.additional {
                case .allowed: break
                case .forbidden:
                    let allowed = node.properties.map(\.name).joined(separator: ", ")
                    return fail("is not a known field here (known: \(allowed))")
                case .schema(let sub):
                    if let violation = validate(value, against: sub) { return violation }
                }
            }
            path.steps.removeLast()
        }
        for name in node.required {
            let position = node.properties.firstIndex { $0.name == name }
            let present = position.map { seen & (1 << UInt64($0)) != 0 } ?? (document.member(index, named: name) != nil)
            if !present {
                path.steps.append(.name(name))
                return fail("is required and missing")
            }
        }
        return nil
    }

    private mutating func validateArray(_ index: Int, _ node: SchemaNode) -> SchemaViolation? {
        let count = document.count(index)
        if let min = node.minItems, count < min {
            return fail(min == 1 ? "must have at least one element" : "must have at least \(min) elements")
        }
        if let max = node.maxItems, count > max { return fail("may have at most \(max) elements") }
        var seenValues: [[UInt8]] = []
        for (position, element) in document.elements(index).enumerated() {
            path.steps.append(.element(position))
            if let items = node.items, let violation = validate(element, against: items) { return violation }
            if node.uniqueItems {
                let bytes = canonicalBytes(element)
                if seenValues.contains(bytes) { return fail("repeats an earlier element") }
                seenValues.append(bytes)
            }
            path.steps.removeLast()
        }
        return nil
    }

    private func keyEquals(_ key: Int, _ utf8: [UInt8]) -> Bool {
        utf8.withUnsafeBufferPointer { document.stringEquals(key, $0) }
    }

    private mutating func canonicalBytes(_ index: Int) -> [UInt8] {
        let token = document.tokens[index]
        if token.kind == .string && !token.flag {
            // An unescaped string is canonical as it stands, between quotes.
            var bytes = [UInt8(ascii: "\"")]
            bytes.append(contentsOf: document.bytes[document.byteRange(index)])
            bytes.append(UInt8(ascii: "\""))
            return bytes
        }
        canonical.reset()
        canonical.write(document, value: index)
        return canonical.bytes
    }

    private func fail(_ rule: String) -> SchemaViolation {
        SchemaViolation(pointer: path.pointer(in: document), rule: rule)
    }

    private func describe(_ types: SchemaNode.Types) -> String {
        var names: [String] = []
        if types.contains(.object) { names.append("an object") }
        if types.contains(.array) { names.append("an array") }
        if types.contains(.string) { names.append("a string") }
        if types.contains(.number) { names.append("a number") } else if types.contains(.integer) { names.append("a whole number") }
        if types.contains(.boolean) { names.append("true or false") }
        if types.contains(.null) { names.append("null") }
        return names.joined(separator: " or ")
    }

    private func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int64(value)) : String(value)
    }
}
