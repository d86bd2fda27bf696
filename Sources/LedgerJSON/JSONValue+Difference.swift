extension JSONValue {
    /// Where `other` first differs from this value: the JSON pointer of the difference, with the
    /// value here and the value there (`nil` for a member one side lacks); `nil` when they are
    /// equal. Object members are compared by name, in the order of their names; array elements by
    /// position.
    ///
    /// For refusals that should say what changed, such as an id sent again with other content:
    /// "/data/laCode: stored "E08000026", sent "E08000099"" rather than only "different content".
    public func firstDifference(from other: JSONValue, at pointer: String = "") -> (pointer: String, here: JSONValue?, there: JSONValue?)? {
        switch (self, other) {
        case let (.object(mine), .object(theirs)):
            let names = Set(mine.map(\.0)).union(theirs.map(\.0)).sorted()
            for name in names {
                let here = mine.first { $0.0 == name }?.1, there = theirs.first { $0.0 == name }?.1
                let inner = pointer + "/" + Self.escapedForPointer(name)
                guard let here, let there else { return (inner, here, there) }
                if let found = here.firstDifference(from: there, at: inner) { return found }
            }
            return nil
        case let (.array(mine), .array(theirs)):
            for index in 0..<max(mine.count, theirs.count) {
                let inner = pointer + "/\(index)"
                guard index < mine.count, index < theirs.count else {
                    // `Optional(…)`: a bare `nil` would be read as JSON's null here.
                    return (inner, index < mine.count ? Optional(mine[index]) : .none, index < theirs.count ? Optional(theirs[index]) : .none)
                }
                if let found = mine[index].firstDifference(from: theirs[index], at: inner) { return found }
            }
            return nil
        default:
            return self == other ? nil : (pointer, self, other)
        }
    }

    /// A member name as a JSON pointer writes it (RFC 6901): `~` as `~0`, `/` as `~1`.
    static func escapedForPointer(_ name: String) -> String {
        name.replacing("~", with: "~0").replacing("/", with: "~1")
    }
}
