/// JSON pointers (RFC 6901), for naming where in an event a rule was broken.
enum JSONPath {
    /// A member name as a pointer step: `~` becomes `~0` and `/` becomes `~1`.
    static func escape(_ name: String) -> String {
        var out = ""
        for c in name {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(c)
            }
        }
        return out
    }
}
