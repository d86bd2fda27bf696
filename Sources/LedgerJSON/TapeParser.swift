/// The RFC 8259 parser behind ``JSONDocument``: one pass over the bytes, writing tokens.
///
/// Strings are checked (escapes well-formed, UTF-8 valid, no raw control characters) but not
/// decoded; duplicate keys in an object are an error, since an event with two `workerRef`s has
/// no single meaning.
struct TapeParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var tokens: [JSONDocument.Token]
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, tokens: [JSONDocument.Token]) {
        self.bytes = bytes
        self.tokens = tokens
    }

    mutating func parseDocument() throws(JSONSyntaxError) {
        skipWhitespace()
        guard position < bytes.count else { throw fail("the text is empty") }
        try parseValue(depth: 0)
        skipWhitespace()
        if position < bytes.count { throw fail("unexpected text after the JSON value") }
    }

    private func fail(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? position, message: message)
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) {
        guard position < bytes.count else { throw fail("the text ends where a value was expected") }
        switch bytes[position] {
        case UInt8(ascii: "{"): try parseObject(depth: depth)
        case UInt8(ascii: "["): try parseArray(depth: depth)
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "t"): try parseLiteral("true", .true)
        case UInt8(ascii: "f"): try parseLiteral("false", .false)
        case UInt8(ascii: "n"): try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
        default: throw fail("expected a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func parseLiteral(_ word: StaticString, _ kind: JSONDocument.Kind) throws(JSONSyntaxError) {
        let length = word.utf8CodeUnitCount
        guard position + length <= bytes.count else { throw fail("expected \(word)") }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: length)
        for i in 0..<length where bytes[position + i] != expected[i] { throw fail("expected \(word)") }
        let start = UInt32(position)
        position += length
        tokens.append(.init(kind: kind, flag: false, start: start, end: UInt32(position),
                            next: UInt32(tokens.count + 1), count: 0))
    }

    private mutating func parseObject(depth: Int) throws(JSONSyntaxError) {
        guard depth < JSONDocument.maximumDepth else { throw fail("nested deeper than \(JSONDocument.maximumDepth) levels") }
        let index = tokens.count
        tokens.append(.init(kind: .object, flag: false, start: UInt32(position), end: 0, next: 0, count: 0))
        position += 1
        skipWhitespace()
        var count: UInt32 = 0
        // Events' objects are small: their names are compared pairwise. A large object (a key
        // file of many workers) keeps a set instead, so the check stays linear.
        var names: Set<String>?
        var ascending = true
        var previousKey: Int?
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw fail("expected a member name in double quotes")
                }
                let keyOffset = position
                try parseString()
                let keyToken = tokens.count - 1
                if ascending, previousKey.map({ precedes(tokens[$0], tokens[keyToken]) }) ?? true {
                    // Every name so far sorts after the one before (as in canonical JSON, every
                    // stored event): this one follows them all, so it repeats none.
                } else if count < Self.pairwiseNames {
                    ascending = false
                    try checkDuplicate(keyToken: keyToken, object: index, offset: keyOffset)
                } else {
                    ascending = false
                    if names == nil { names = Set(priorNames(of: index, before: keyToken)) }
                    let name = decoded(tokens[keyToken])
                    guard names!.insert(name).inserted else { throw fail("duplicate member name \"\(name)\"", at: keyOffset) }
                }
                previousKey = keyToken
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw fail("expected ':' after a member name")
                }
                position += 1
                skipWhitespace()
                try parseValue(depth: depth + 1)
                count += 1
                skipWhitespace()
                guard position < bytes.count else { throw fail("the text ends inside an object") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; break }
                throw fail("expected ',' or '}' in an object")
            }
        }
        tokens[index].end = UInt32(position)
        tokens[index].count = count
        tokens[index].next = UInt32(tokens.count)
    }

    private static let pairwiseNames: UInt32 = 32

    /// The names of the members of `object` before the key token `end`.
    private func priorNames(of object: Int, before end: Int) -> [String] {
        var names: [String] = []
        var candidate = object + 1
        while candidate < end {
            names.append(decoded(tokens[candidate]))
            candidate = Int(tokens[candidate + 1].next)
        }
        return names
    }

    /// Rejects a member name that an earlier member of the same object already used.
    private func checkDuplicate(keyToken: Int, object: Int, offset: Int) throws(JSONSyntaxError) {
        let key = tokens[keyToken]
        var candidate = object + 1
        while candidate < keyToken {
            let other = tokens[candidate]
            if sameKey(key, other) {
                throw fail("duplicate member name \"\(decoded(key))\"", at: offset)
            }
            candidate = Int(tokens[candidate + 1].next)
        }
    }

    /// Whether the name `a` sorts strictly before `b` by their bytes (so they differ); `false`
    /// when either has escapes, whose bytes are not their text's.
    private func precedes(_ a: JSONDocument.Token, _ b: JSONDocument.Token) -> Bool {
        guard !a.flag, !b.flag else { return false }
        let aLength = Int(a.end - a.start), bLength = Int(b.end - b.start)
        for i in 0..<min(aLength, bLength) {
            let x = bytes[Int(a.start) + i], y = bytes[Int(b.start) + i]
            if x != y { return x < y }
        }
        return aLength < bLength
    }

    private func sameKey(_ a: JSONDocument.Token, _ b: JSONDocument.Token) -> Bool {
        if a.flag || b.flag { return decoded(a) == decoded(b) }
        let length = Int(a.end - a.start)
        guard length == Int(b.end - b.start) else { return false }
        for i in 0..<length where bytes[Int(a.start) + i] != bytes[Int(b.start) + i] { return false }
        return true
    }

    private func decoded(_ token: JSONDocument.Token) -> String {
        StringUnescaper.string(UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.end)]), escaped: token.flag)
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) {
        guard depth < JSONDocument.maximumDepth else { throw fail("nested deeper than \(JSONDocument.maximumDepth) levels") }
        let index = tokens.count
        tokens.append(.init(kind: .array, flag: false, start: UInt32(position), end: 0, next: 0, count: 0))
        position += 1
        skipWhitespace()
        var count: UInt32 = 0
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                try parseValue(depth: depth + 1)
                count += 1
                skipWhitespace()
                guard position < bytes.count else { throw fail("the text ends inside an array") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; break }
                throw fail("expected ',' or ']' in an array")
            }
        }
        tokens[index].end = UInt32(position)
        tokens[index].count = count
        tokens[index].next = UInt32(tokens.count)
    }

    private mutating func parseString() throws(JSONSyntaxError) {
        position += 1  // the opening quote
        let start = position
        var escaped = false
        scanning: while true {
            // Whole words of plain bytes, then straight to the word's first byte that needs
            // handling (the lowest flagged byte is exact); byte by byte only near the end.
            while position + 8 <= bytes.count {
                // Little-endian order puts the word's first byte in its lowest bits.
                let word = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + position).loadUnaligned(as: UInt64.self))
                let special = PlainText.specialBytes(word)
                if special == 0 {
                    position += 8
                    continue
                }
                position += special.trailingZeroBitCount >> 3
                break
            }
            while true {
                guard position < bytes.count else { throw fail("the text ends inside a string", at: start - 1) }
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") { break scanning }
                if byte < 0x20 { throw fail("a control character must be escaped inside a string") }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    try skipEscape()
                    continue scanning
                }
                if byte < 0x80 {
                    position += 1
                    continue
                }
                try skipUTF8Sequence(lead: byte)
                continue scanning
            }
        }
        tokens.append(.init(kind: .string, flag: escaped, start: UInt32(start), end: UInt32(position),
                            next: UInt32(tokens.count + 1), count: 0))
        position += 1  // the closing quote
    }

    private mutating func skipEscape() throws(JSONSyntaxError) {
        guard position + 1 < bytes.count else { throw fail("the text ends inside an escape") }
        switch bytes[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 2
        case UInt8(ascii: "u"):
            let unit = try hexQuad(at: position + 2)
            position += 6
            if (0xD800...0xDBFF).contains(unit) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                      bytes[position + 1] == UInt8(ascii: "u"),
                      (0xDC00...0xDFFF).contains(try hexQuad(at: position + 2))
                else { throw fail("a \\u escape of a high surrogate must be followed by a low surrogate") }
                position += 6
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw fail("a lone low surrogate is not a character")
            }
        default:
            throw fail("unknown escape in a string")
        }
    }

    private func hexQuad(at offset: Int) throws(JSONSyntaxError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw fail("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for i in 0..<4 {
            guard let digit = hexValue(bytes[offset + i]) else { throw fail("a \\u escape needs four hex digits") }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Said of a byte that is not UTF-8: most often a file saved by a spreadsheet or an older
    /// system in Windows-1252 or Latin-1, where `é` or `£` is one byte.
    static let notUTF8 = "the text is not valid UTF-8; JSON is UTF-8, so save or send it as UTF-8, not Windows-1252 or Latin-1"

    private mutating func skipUTF8Sequence(lead: UInt8) throws(JSONSyntaxError) {
        let length: Int
        var minimum: UInt32
        var scalar: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(lead & 0x07)
        default: throw fail(Self.notUTF8)
        }
        guard position + length <= bytes.count else { throw fail(Self.notUTF8) }
        for i in 1..<length {
            let byte = bytes[position + i]
            guard byte & 0xC0 == 0x80 else { throw fail(Self.notUTF8) }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
        }
        guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
            throw fail(Self.notUTF8)
        }
        position += length
    }

    private mutating func parseNumber() throws(JSONSyntaxError) {
        let start = position
        var integral = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw fail("a number needs a digit") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) { throw fail("a number may not have a leading zero") }
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            integral = false
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw fail("a fraction needs a digit") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            integral = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else { throw fail("an exponent needs a digit") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        tokens.append(.init(kind: .number, flag: integral, start: UInt32(start), end: UInt32(position),
                            next: UInt32(tokens.count + 1), count: 0))
    }
}

@inline(__always)
func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

@inline(__always)
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}

/// Decodes the escapes of a string the parser has already checked.
enum StringUnescaper {
    /// The text of a string token's raw bytes (between its quotes), escapes decoded when `escaped`.
    static func string(_ raw: UnsafeBufferPointer<UInt8>, escaped: Bool) -> String {
        guard escaped else { return String(decoding: raw, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        forEachScalar(in: raw) { scalars.append($0) }
        return String(scalars)
    }

    static func forEachScalar(in raw: UnsafeBufferPointer<UInt8>, _ body: (Unicode.Scalar) -> Void) {
        var i = 0
        func quad(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for k in 0..<4 { value = value << 4 | UInt32(hexValue(raw[at + k]) ?? 0) }
            return value
        }
        while i < raw.count {
            let byte = raw[i]
            if byte == UInt8(ascii: "\\") {
                let code = raw[i + 1]
                switch code {
                case UInt8(ascii: "b"): body("\u{08}"); i += 2
                case UInt8(ascii: "f"): body("\u{0C}"); i += 2
                case UInt8(ascii: "n"): body("\n"); i += 2
                case UInt8(ascii: "r"): body("\r"); i += 2
                case UInt8(ascii: "t"): body("\t"); i += 2
                case UInt8(ascii: "u"):
                    var unit = quad(i + 2)
                    i += 6
                    if (0xD800...0xDBFF).contains(unit) {
                        let low = quad(i + 2)
                        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    body(Unicode.Scalar(unit) ?? "\u{FFFD}")
                default: body(Unicode.Scalar(code)); i += 2
                }
                continue
            }
            // Copy one UTF-8 sequence through.
            let length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
            var scalar = UInt32(length == 1 ? byte : byte & (0xFF >> (length + 1)))
            for k in 1..<max(length, 1) { scalar = scalar << 6 | UInt32(raw[i + k] & 0x3F) }
            body(Unicode.Scalar(scalar) ?? "\u{FFFD}")
            i += length
        }
    }
}
