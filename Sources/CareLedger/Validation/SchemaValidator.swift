internal import LedgerJSON

/// A value that breaks its schema: where (a JSON pointer) and which rule, in words.
struct SchemaViolation: Error, Equatable {
    let pointer: String
    let rule: String
}

/// Runs a compiled schema over a value in a tape, stopping at the first violation in document
/// order, so that the error a person sees is the first thing to fix.
///
/// This is on the append path of every event: it reads the borrowed tape directly, allocates
/// nothing while the value is valid, and builds the JSON pointer only on the way back up from a
/// violation.
struct SchemaValidator {
    let document: JSONDocument

    init(document: JSONDocument) { self.document = document }

    /// The first violation of `node` by the value at `index`, or `nil`.
    func validate(_ index: Int, against node: SchemaNode) -> SchemaViolation? {
        document.withTape { tape in Self.validate(tape, index, against: node) }
    }

    /// The first violation of `node` by the value at `index` of a borrowed tape, or `nil`.
    static func validate(_ tape: JSONTape, _ index: Int, against node: SchemaNode) -> SchemaViolation? {
        Pass(tape: tape).check(index, node).map { violation($0, in: tape) }
    }

    /// Every violation of `node` by the value at `index`, the first being ``validate(_:_:against:)``'s:
    /// in an object, each member's (an object member's, member by member), in the value's order,
    /// then each required member missing. What a check lists of one event, so that a row of a
    /// return with three mistakes is mended in one go; slower than the first alone, and run only
    /// once an event is refused.
    static func violations(_ tape: JSONTape, _ index: Int, against node: SchemaNode) -> [SchemaViolation] {
        Pass(tape: tape).collect(index, node).map { violation($0, in: tape) }
    }

    private static func violation(_ failure: Failure, in tape: JSONTape) -> SchemaViolation {
        let pointer = failure.steps.reversed().map { step -> String in
            switch step {
            case .member(let key): "/" + JSONPath.escape(tape.decodedString(key))
            case .element(let position): "/\(position)"
            case .name(let name): "/" + JSONPath.escape(name)
            }
        }.joined()
        return SchemaViolation(pointer: pointer, rule: failure.rule)
    }

    /// A violation on its way up: the rule, and the path from the violation back to the root.
    struct Failure {
        enum Step { case member(Int), element(Int), name(String) }
        var steps: [Step] = []
        let rule: String
    }

    /// One validation over a borrowed tape.
    struct Pass {
        let tape: JSONTape

        func check(_ index: Int, _ node: SchemaNode) -> Failure? {
            let kind = tape.kind(index)
            let actual: SchemaNode.Types
            switch kind {
            case .null: actual = .null
            case .true, .false: actual = .boolean
            case .string: actual = .string
            case .array: actual = .array
            case .object: actual = .object
            case .number: actual = isWholeNumber(index) ? [.integer, .number] : .number
            }
            if node.types.intersection(actual).isEmpty {
                let inPence = node.inPence
                if kind == .number {
                    // A number where text belongs (an id or a code such as a SOC, 6135, sent
                    // unquoted), 1 or 0 for a boolean, a fraction where a whole number belongs
                    // (in pence, as pounds' pence): shown, with what it most likely meant.
                    let shown = String(decoding: canonical(index), as: UTF8.self)
                    let hint = node.types.contains(.string) ? " (did you mean \"\(shown)\"? send it as text)"
                        : node.types.contains(.boolean) ? Self.booleanHint(for: shown)
                        : Self.numberHint(for: shown, whole: true, inPence: inPence)
                    return Failure(rule: "must be \(describe(node.types)), not \(shown)\(hint)")
                }
                guard kind == .string else { return Failure(rule: "must be \(describe(node.types)), not \(describe(actual))") }
                // Text where a number or a boolean belongs (a spreadsheet's cell, say): shown, as the
                // sender wrote it, with what a yes or a no, or a number written for people, most
                // likely meant.
                let text = tape.decodedString(index)
                let shown = text.count <= 40 ? "the text \"\(text)\"" : "a text"
                let hint = node.types.contains(.boolean) ? Self.booleanHint(for: text)
                    : !node.types.intersection([.number, .integer]).isEmpty
                    ? Self.numberHint(for: text, whole: !node.types.contains(.number), inPence: inPence) : ""
                return Failure(rule: "must be \(describe(node.types)), not \(shown)\(hint)")
            }
            if let constant = node.constant, !matches(index, canonical: constant) {
                return Failure(rule: "must be \(String(decoding: constant, as: UTF8.self))")
            }
            if let enumeration = node.enumeration, !enumeration.contains(where: { matches(index, canonical: $0) }) {
                let hint = kind == .string ? NearestName.hint(for: tape.decodedString(index), among: node.enumerationText) : ""
                let shown = String(decoding: canonical(index), as: UTF8.self)
                // A long list, such as the 250 country codes, is named by its description.
                if node.enumerationText.count > SchemaNode.listedEnumerationLimit, let explanation = node.explanation {
                    return Failure(rule: "must be \(explanation), not \(shown)\(hint)")
                }
                return Failure(rule: "must be one of \(node.enumerationText.joined(separator: ", ")), not \(shown)\(hint)")
            }
            switch kind {
            case .string: return checkString(index, node)
            case .number: return checkNumber(index, node)
            case .object: return checkObject(index, node)
            case .array: return checkArray(index, node)
            default: return nil
            }
        }

        private func checkString(_ index: Int, _ node: SchemaNode) -> Failure? {
            if node.minLength != nil || node.maxLength != nil {
                var length = 0
                if tape.isEscaped(index) {
                    length = tape.decodedString(index).unicodeScalars.count
                } else {
                    for byte in tape.raw(index) where byte & 0xC0 != 0x80 { length += 1 }
                }
                if let min = node.minLength, length < min {
                    return Failure(rule: min == 1 ? "must not be empty" : "must be at least \(min) characters long")
                }
                if let max = node.maxLength, length > max { return Failure(rule: "must be at most \(max) characters long") }
            }
            guard node.pattern != nil || node.isDate else { return nil }
            let valid = tape.withUTF8(index) { utf8 in
                let raw = UnsafeRawBufferPointer(utf8)
                return (node.pattern?.matches(raw) ?? true) && (!node.isDate || LocalDate(utf8: raw) != nil)
            }
            if valid { return nil }
            let shown = tape.decodedString(index)
            if node.isDate {
                return Failure(rule: "must be \(node.explanation ?? "a calendar date as YYYY-MM-DD"), and \"\(shown)\" is not one\(LocalDate.hint(for: shown))")
            }
            return Failure(rule: "must be \(node.explanation ?? "a string matching \(node.pattern!.source)"), not \"\(shown)\"")
        }

        private func checkNumber(_ index: Int, _ node: SchemaNode) -> Failure? {
            guard node.minimum != nil || node.maximum != nil else { return nil }
            let value = double(index)
            if let min = node.minimum, value < min { return Failure(rule: "must be at least \(format(min))") }
            if let max = node.maximum, value > max { return Failure(rule: "must be at most \(format(max))") }
            return nil
        }

        /// ``SchemaValidator/violations(_:_:against:)``: the value's first failure, unless it is
        /// an object failing in its members, whose failures are then each collected.
        func collect(_ index: Int, _ node: SchemaNode) -> [Failure] {
            guard let first = check(index, node) else { return [] }
            // A failure of the object itself (its type, its size) is its only one.
            guard tape.kind(index) == .object, !first.steps.isEmpty else { return [first] }
            var failures: [Failure] = []
            var seen = Set<Int>()
            var key = index + 1
            for _ in 0..<tape.count(index) {
                let value = key + 1
                var found: [Failure]
                if let position = node.members.firstIndex(where: { tape.stringEquals(key, $0.name) }) {
                    seen.insert(position)
                    found = node.members[position].node._withUnsafeGuaranteedRef { collect(value, $0) }
                } else {
                    found = unknownMember(key, value, node).map { [$0] } ?? []
                }
                failures += found.map { failure in
                    var failure = failure
                    failure.steps.append(.member(key))
                    return failure
                }
                key = tape.next(value)
            }
            for (position, name) in node.requiredPositions where position < 0 || !seen.contains(position) {
                failures.append(Failure(steps: [.name(name)], rule: "is required and missing"))
            }
            return failures
        }

        /// The failure of a member the node names no property for, by what it says of others.
        private func unknownMember(_ key: Int, _ value: Int, _ node: SchemaNode) -> Failure? {
            switch node.additional {
            case .allowed: return nil
            case .forbidden:
                let names = node.properties.map(\.name)
                let guess = NearestName.suggestion(for: tape.decodedString(key), among: names).map { "; did you mean \($0)?" } ?? ""
                return Failure(rule: "is not a known field here\(guess) (known: \(names.joined(separator: ", ")))")
            case .schema(let sub):
                return check(value, sub)
            }
        }

        private func checkObject(_ index: Int, _ node: SchemaNode) -> Failure? {
            let count = tape.count(index)
            if let max = node.maxProperties, count > max { return Failure(rule: "may have at most \(max) members, not \(count)") }
            if let min = node.minProperties, count < min { return Failure(rule: "must have at least \(min) members") }
            var seen: UInt64 = 0
            var key = index + 1
            let members = node.members
            // Writers mostly send members in one order: the property after the last one matched
            // is tried first, and all of them only when it is not the one.
            var guess = 0
            func named(_ position: Int) -> Bool { tape.stringEquals(key, members[position].name) }
            for _ in 0..<count {
                let value = key + 1
                var matched = -1
                if guess < members.count, named(guess) {
                    matched = guess
                } else {
                    for position in members.indices where named(position) {
                        matched = position
                        break
                    }
                }
                if matched >= 0 { guess = matched + 1 }
                var failure: Failure?
                if matched >= 0 {
                    seen |= 1 << UInt64(matched)
                    failure = members[matched].node._withUnsafeGuaranteedRef { check(value, $0) }
                } else {
                    failure = unknownMember(key, value, node)
                }
                if var failure {
                    failure.steps.append(.member(key))
                    return failure
                }
                key = tape.next(value)
            }
            for (position, name) in node.requiredPositions where position < 0 || seen & (1 << UInt64(position)) == 0 {
                return Failure(steps: [.name(name)], rule: "is required and missing")
            }
            return nil
        }

        private func checkArray(_ index: Int, _ node: SchemaNode) -> Failure? {
            let count = tape.count(index)
            if let min = node.minItems, count < min {
                return Failure(rule: min == 1 ? "must have at least one element" : "must have at least \(min) elements")
            }
            if let max = node.maxItems, count > max { return Failure(rule: "may have at most \(max) elements") }
            var seenValues: [[UInt8]] = []
            var element = index + 1
            for position in 0..<count {
                if let items = node.items, var failure = check(element, items) {
                    failure.steps.append(.element(position))
                    return failure
                }
                if node.uniqueItems {
                    let bytes = canonical(element)
                    if seenValues.contains(bytes) { return Failure(steps: [.element(position)], rule: "repeats an earlier element") }
                    seenValues.append(bytes)
                }
                element = tape.next(element)
            }
            return nil
        }

        /// Whether the value equals one given as canonical JSON; strings compare without copying.
        private func matches(_ index: Int, canonical expected: [UInt8]) -> Bool {
            if tape.kind(index) == .string, !tape.isEscaped(index) {
                let raw = tape.raw(index)
                guard expected.count == raw.count + 2, expected.first == UInt8(ascii: "\""), expected.last == UInt8(ascii: "\"") else { return false }
                guard let given = raw.baseAddress, raw.count > 0 else { return raw.count == 0 }
                return expected.withUnsafeBytes { PlainText.equal($0.baseAddress! + 1, given, count: raw.count) }
            }
            return canonical(index) == expected
        }

        private func canonical(_ index: Int) -> [UInt8] {
            var writer = CanonicalJSONWriter()
            writer.write(tape, value: index)
            return writer.bytes
        }

        private func isWholeNumber(_ index: Int) -> Bool {
            if tape.tokens[index].flag { return true }
            let value = double(index)
            return value.isFinite && value.rounded() == value
        }

        private func double(_ index: Int) -> Double {
            Double(String(decoding: tape.raw(index), as: UTF8.self)) ?? .nan
        }
    }
}

extension SchemaValidator.Pass {
    /// `" (did you mean true?)"` for a yes written as text (`Yes`, `Y`, `1`, `"true"`), and
    /// false's for a no; nothing for anything else.
    static func booleanHint(for text: String) -> String {
        switch CSVRows.trimmed(text).lowercased() {
        case "yes", "y", "1", "true": " (did you mean true?)"
        case "no", "n", "0", "false": " (did you mean false?)"
        default: ""
        }
    }
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
