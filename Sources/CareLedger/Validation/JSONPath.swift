internal import LedgerJSON

/// Where the validator is inside an event, kept cheaply as token indices and turned into a JSON
/// pointer (RFC 6901) such as `/data/contractType` only when there is an error to report.
struct JSONPath {
    enum Step { case member(keyToken: Int), element(Int), name(String) }
    var steps: [Step] = []

    func pointer(in document: JSONDocument) -> String {
        var out = ""
        for step in steps {
            out += "/"
            switch step {
            case .member(let key): out += Self.escape(document.string(key))
            case .element(let index): out += String(index)
            case .name(let name): out += Self.escape(name)
            }
        }
        return out
    }

    static func escape(_ name: String) -> String {
        name.replacingTilde()
    }
}

extension String {
    func replacingTilde() -> String {
        var out = ""
        for c in self {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(c)
            }
        }
        return out
    }
}
