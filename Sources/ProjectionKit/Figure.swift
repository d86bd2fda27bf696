public import CareLedger
public import LedgerJSON

/// Counts and maps as a read model's JSON shows them (SPEC section 9): exact, or published under
/// disclosure control (section 5.5) when `publish` is set.
public struct Figure: Sendable {
    /// Whether disclosure control applies.
    public let publish: Bool

    public init(publish: Bool) { self.publish = publish }

    /// A count: exact, or 0, `"<5"` or rounded to the nearest 5.
    public func count(_ value: Int) -> JSONValue {
        publish ? Disclosure.count(value) : .integer(Int64(value))
    }

    /// A map of counts listing only non-zero entries, in key order.
    public func counts(_ values: [String: Int]) -> JSONValue {
        .object(values.filter { $0.value != 0 }.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, count($0.value)) })
    }

    /// A count as a table cell.
    public func cell(_ value: Int) -> String {
        switch count(value) {
        case .string(let text): text
        case .integer(let n): String(n)
        default: "?"
        }
    }

    /// A map of counts as one table cell: `spocMailbox 2, partner 1`, or `none` (`-`) when empty.
    public func cell(_ values: [String: Int], none: String = "-") -> String {
        let entries = values.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \(cell($0.value))" }
        return entries.isEmpty ? none : entries.joined(separator: ", ")
    }
}

extension JSONValue {
    /// A date, or null.
    public static func date(_ date: LocalDate?) -> JSONValue { date.map { .string($0.description) } ?? .null }
    /// A string, or null.
    public static func text(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
    /// A rate or median, or null.
    public static func decimal(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
}

/// Sorting ids as bytes, so every machine and locale orders rows the same way.
extension String {
    public func precedesByBytes(_ other: String) -> Bool {
        // Through memcmp: the UTF-8 views compared element by element were a caseload query's
        // largest cost of sorting.
        var a = self, b = other
        return a.withUTF8 { x in b.withUTF8 { y in bytesPrecede(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) } }
    }
}
