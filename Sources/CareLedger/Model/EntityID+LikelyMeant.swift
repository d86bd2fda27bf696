extension EntityID {
    /// An id a person likely meant by one that names nothing, with the words that say why.
    public struct Meant: Sendable, Equatable {
        public let id: String
        /// Why the id given is not it: `ids are case-sensitive`.
        public let why: String
        /// ` (did you mean W-00007? ids are case-sensitive)`: to end the refusal with.
        public var hint: String { " (did you mean \(id)? \(why))" }
    }

    /// The ids a person likely meant by `id`, when nothing exists under it, most likely first:
    /// in capitals (`w-00007` for `W-00007`; ids are written in capitals and typed in small
    /// letters), then with its number's leading zeros as the programme wrote them (`W-7` or
    /// `W-007` for `W-00007`, `123` for `00123`, as a spreadsheet makes a number of a
    /// column of ids not formatted as text), in capitals too. Each is only a suggestion for a
    /// refusal: the caller looks up which exists.
    public static func likelyMeant(_ id: String) -> [Meant] {
        let capitals = id.uppercased()
        var meant: [Meant] = capitals == id ? [] : [Meant(id: capitals, why: "ids are case-sensitive")]
        let number = id.utf8.reversed().prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
        guard number > 0 else { return meant }
        let onlyDigits = number == id.utf8.count
        let why = onlyDigits ? "leading zeros included: a spreadsheet drops a number's, unless its column is formatted as text"
                             : "leading zeros included"
        for base in capitals == id ? [id] : [id, capitals] {
            let stem = base.dropLast(number), digits = base.suffix(number)
            let significant = digits.drop { $0 == "0" }
            guard !significant.isEmpty else { continue }
            for width in significant.count...max(paddedWidth, digits.count) where width != digits.count {
                let candidate = String(stem) + String(repeating: "0", count: width - significant.count) + significant
                guard candidate.utf8.count <= 64 else { break }
                let cased = base == id ? "" : " and ids are case-sensitive"
                meant.append(Meant(id: candidate, why: "ids are compared as written, \(why)\(cased)"))
            }
        }
        return meant
    }

    /// The widest a number in an id is padded to when looking for the id a person meant.
    private static let paddedWidth = 8
}
