internal import LedgerJSON

/// How two answers of a read model are compared figure by figure: each row by what identifies
/// it, each figure by its JSON pointer in the row.
extension FigureChanges {
    /// One row of an answer: what identifies it, and its figures by JSON pointer.
    struct Row {
        let identity: JSONValue
        let figures: [(pointer: String, value: JSONValue)]

        /// `answer[list]`'s rows, each identified by `keys`, less the members that are not figures.
        static func rows(of answer: JSONValue, in list: String, identifiedBy keys: [String], excluding: Set<String> = []) -> [Row] {
            (answer[list]?.arrayValue ?? []).map { element in
                let members = element.objectValue ?? []
                return Row(identity: .object(keys.map { key in (key, element[key] ?? .null) }),
                           figures: flattened(.object(members.filter { !keys.contains($0.0) && !excluding.contains($0.0) })))
            }
        }

        /// An answer that is one row of totals, less the members that are not figures.
        static func totals(of answer: JSONValue, excluding: Set<String>) -> [Row] {
            [Row(identity: .null, figures: flattened(.object((answer.objectValue ?? []).filter { !excluding.contains($0.0) })))]
        }

        /// Every leaf of `value` under its pointer; objects are walked, anything else is a leaf.
        static func flattened(_ value: JSONValue, at pointer: String = "") -> [(pointer: String, value: JSONValue)] {
            guard case .object(let members) = value else { return [(pointer, value)] }
            return members.flatMap { name, member in
                flattened(member, at: pointer + "/" + name.replacing("~", with: "~0").replacing("/", with: "~1"))
            }
        }
    }

    /// The figures of `now` that differ from `then`, row by row; a row or a member one side
    /// lacks reads as what the answer leaves out (``absent(besides:)``).
    static func compare(_ readModel: ReadModel, then: [Row], now: [Row]) -> [Change] {
        let thenRows = Dictionary(then.map { ($0.identity.compactText, $0) }, uniquingKeysWith: { first, _ in first })
        let nowRows = Dictionary(now.map { ($0.identity.compactText, $0) }, uniquingKeysWith: { first, _ in first })
        let order = merged(now.map(\.identity.compactText), then.map(\.identity.compactText))
        return order.flatMap { key -> [Change] in
            let before = thenRows[key], after = nowRows[key]
            let identity = (after ?? before)!.identity
            let thenFigures = Dictionary((before?.figures ?? []).map { ($0.pointer, $0.value) }, uniquingKeysWith: { first, _ in first })
            let nowFigures = Dictionary((after?.figures ?? []).map { ($0.pointer, $0.value) }, uniquingKeysWith: { first, _ in first })
            let pointers = merged((after?.figures ?? []).map(\.pointer), (before?.figures ?? []).map(\.pointer))
            return pointers.compactMap { pointer in
                let was = thenFigures[pointer], reads = nowFigures[pointer]
                let thenValue = was ?? absent(besides: reads!), nowValue = reads ?? absent(besides: was!)
                return thenValue == nowValue ? nil : Change(readModel: readModel, row: identity, figure: pointer, then: thenValue, now: nowValue)
            }
        }
    }

    /// What an answer that leaves a member out means by it, judged from the other side's value:
    /// a count (exact, or published as `"<5"`) reads 0, a flag false, anything else (a rate, a
    /// median, a name) is absent.
    static func absent(besides value: JSONValue) -> JSONValue {
        switch value {
        case .integer, .string("<5"): .integer(0)
        case .bool: .bool(false)
        default: .null
        }
    }

    /// `first`, with each key only `second` has placed after the key it follows there: both
    /// lists are in their answer's order, which is the same order.
    static func merged(_ first: [String], _ second: [String]) -> [String] {
        var result = first
        var present = Set(first)
        var position = 0  // where the next key of `second` goes: after the last one found
        for key in second {
            if present.contains(key) {
                position = result.firstIndex(of: key)! + 1
            } else {
                result.insert(key, at: position)
                present.insert(key)
                position += 1
            }
        }
        return result
    }
}
