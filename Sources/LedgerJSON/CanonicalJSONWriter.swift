/// Writes JSON in the JSON Canonicalization Scheme (RFC 8785): members sorted by their names'
/// UTF-16 code units, no insignificant white space, strings with the fewest escapes, numbers as
/// ECMAScript prints them. Two writers given equal values produce equal bytes, which is what
/// lets an auditor recompute the ledger's hashes with any JCS library.
public struct CanonicalJSONWriter: Sendable {
    /// The output so far.
    public var bytes: [UInt8] = []
    private var memberScratch: [(key: Int, value: Int)] = []

    public init() {}

    /// Empties the output, keeping its storage.
    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    /// Appends bytes that are already canonical JSON (or punctuation between values).
    @inline(__always)
    public mutating func writeRaw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends already-canonical bytes.
    @inline(__always)
    public mutating func writeRaw(_ raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }

    /// Appends a string value, quoted and escaped as RFC 8785 requires.
    public mutating func writeString(_ text: String) {
        // Checked and copied through the string's own UTF-8 buffer: the writer renders members
        // for every event an import appends, and walking a `String.UTF8View` was far slower.
        var text = text
        let plain = text.withUTF8 { utf8 in
            for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        guard !plain else { return }
        bytes.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars { appendEscaped(scalar) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends an integer, without making a string of it.
    public mutating func writeInteger<I: BinaryInteger>(_ value: I) {
        guard let magnitude = UInt64(exactly: value.magnitude) else {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        writeInteger(magnitude)
    }

    /// Appends a non-negative integer: the generic form, called from another module, is not
    /// specialised, and the ledger writes three integers for every event it appends.
    public mutating func writeInteger(_ magnitude: UInt64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 20 digits, filled from the end
        var count = 0
        var rest = magnitude
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    /// Appends a number as ECMAScript's `Number.prototype.toString` prints it.
    public mutating func writeNumber(_ value: Double) {
        ECMAScriptNumber.append(value, to: &bytes)
    }

    /// Appends the value at `index` of `document`, canonicalised.
    public mutating func write(_ document: JSONDocument, value index: Int) {
        document.withTape { writeValue($0, index) }
    }

    /// Appends the value at `index` of a borrowed tape, canonicalised.
    public mutating func write(_ tape: JSONTape, value index: Int) {
        writeValue(tape, index)
    }

    /// Appends an object made of some members of the object at `index`, those for which `include`
    /// answers true, canonicalised.
    public mutating func write(_ document: JSONDocument, object index: Int, including include: (String) -> Bool) {
        withoutActuallyEscaping(include) { include in
            document.withTape { writeObject($0, index, filter: include) }
        }
    }

    /// Appends the object at `index` of a borrowed tape, canonicalised, except that the value of
    /// its member `name` is written by `replacement` (where personal data becomes its ciphertext).
    public mutating func write(_ tape: JSONTape, object index: Int, replacing name: String, with replacement: (inout CanonicalJSONWriter) -> Void) {
        withoutActuallyEscaping(replacement) { replacement in
            writeObject(tape, index, filter: nil, replacing: (name, replacement))
        }
    }

    private mutating func writeValue(_ tape: JSONTape, _ index: Int) {
        let token = tape.tokens[index]
        switch token.kind {
        case .null: writeRaw("null")
        case .true: writeRaw("true")
        case .false: writeRaw("false")
        case .string: writeStringToken(tape, index)
        case .number: writeNumberToken(tape, index)
        case .array:
            bytes.append(UInt8(ascii: "["))
            var element = index + 1
            for position in 0..<Int(token.count) {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                writeValue(tape, element)
                element = tape.next(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object:
            writeObject(tape, index, filter: nil)
        }
    }

    private mutating func writeObject(
        _ tape: JSONTape, _ index: Int, filter: ((String) -> Bool)?,
        replacing replaced: (name: String, writer: (inout CanonicalJSONWriter) -> Void)? = nil
    ) {
        let base = memberScratch.count
        var key = index + 1
        for _ in 0..<tape.count(index) {
            let value = key + 1
            if filter == nil || filter!(tape.decodedString(key)) { memberScratch.append((key, value)) }
            key = tape.next(value)
        }
        // Insertion sort: objects in events are small, and this keeps the order stable and cheap.
        var i = base + 1
        while i < memberScratch.count {
            let current = memberScratch[i]
            var j = i - 1
            while j >= base, KeyOrder.precedes(tape.tokens[current.key], tape.tokens[memberScratch[j].key], tape.bytes) {
                memberScratch[j + 1] = memberScratch[j]
                j -= 1
            }
            memberScratch[j + 1] = current
            i += 1
        }
        bytes.append(UInt8(ascii: "{"))
        for position in base..<memberScratch.count {
            if position > base { bytes.append(UInt8(ascii: ",")) }
            let member = memberScratch[position]
            let name = tape.tokens[member.key]
            if !name.flag, Int(name.end) + 1 < tape.bytes.count, tape.bytes[Int(name.end) + 1] == UInt8(ascii: ":") {
                // A plain name written compactly: quotes, name and colon are already canonical.
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: tape.bytes[(Int(name.start) - 1)..<(Int(name.end) + 2)]))
            } else {
                writeStringToken(tape, member.key)
                bytes.append(UInt8(ascii: ":"))
            }
            if let replaced, tape.decodedString(member.key) == replaced.name {
                replaced.writer(&self)
            } else {
                writeValue(tape, member.value)
            }
        }
        bytes.append(UInt8(ascii: "}"))
        memberScratch.removeSubrange(base...)
    }

    private mutating func writeStringToken(_ tape: JSONTape, _ index: Int) {
        let token = tape.tokens[index]
        if !token.flag {
            // The parser guarantees an unescaped string has no quote, backslash or control
            // character, and a string token lies between its quotes: copied with them, at once.
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: tape.bytes[(Int(token.start) - 1)..<(Int(token.end) + 1)]))
            return
        }
        bytes.append(UInt8(ascii: "\""))
        StringUnescaper.forEachScalar(in: tape.raw(index)) { appendEscaped($0) }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func writeNumberToken(_ tape: JSONTape, _ index: Int) {
        let raw = tape.raw(index)
        let negative = raw[0] == UInt8(ascii: "-")
        let digits = negative ? raw.count - 1 : raw.count
        if tape.tokens[index].flag && digits <= 15 {
            // A whole number below 2^53 prints as its digits; only "-0" changes.
            if negative && digits == 1 && raw[1] == UInt8(ascii: "0") {
                bytes.append(UInt8(ascii: "0"))
            } else {
                bytes.append(contentsOf: raw)
            }
            return
        }
        let value = Double(String(decoding: raw, as: UTF8.self)) ?? .nan
        ECMAScriptNumber.append(value, to: &bytes)
    }

    private mutating func appendEscaped(_ scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x22: writeRaw("\\\"")
        case 0x5C: writeRaw("\\\\")
        case 0x08: writeRaw("\\b")
        case 0x0C: writeRaw("\\f")
        case 0x0A: writeRaw("\\n")
        case 0x0D: writeRaw("\\r")
        case 0x09: writeRaw("\\t")
        case 0..<0x20:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            writeRaw("\\u00")
            bytes.append(hex[Int(scalar.value >> 4)])
            bytes.append(hex[Int(scalar.value & 0xF)])
        default:
            UTF8.encode(scalar) { bytes.append($0) }
        }
    }
}

/// RFC 8785's member order: by the names' UTF-16 code units.
enum KeyOrder {
    static func precedes(_ a: JSONDocument.Token, _ b: JSONDocument.Token, _ all: UnsafeBufferPointer<UInt8>) -> Bool {
        if !a.flag && !b.flag {
            var i = Int(a.start), j = Int(b.start)
            let aEnd = Int(a.end), bEnd = Int(b.end)
            while i < aEnd && j < bEnd {
                let x = all[i], y = all[j]
                if x >= 0x80 || y >= 0x80 { return slowPrecedes(a, b, all) }
                if x != y { return x < y }
                i += 1; j += 1
            }
            return (aEnd - Int(a.start)) < (bEnd - Int(b.start))
        }
        return slowPrecedes(a, b, all)
    }

    private static func slowPrecedes(_ a: JSONDocument.Token, _ b: JSONDocument.Token, _ all: UnsafeBufferPointer<UInt8>) -> Bool {
        func units(_ t: JSONDocument.Token) -> [UInt16] {
            var scalars = String.UnicodeScalarView()
            StringUnescaper.forEachScalar(in: UnsafeBufferPointer(rebasing: all[Int(t.start)..<Int(t.end)])) {
                scalars.append($0)
            }
            return Array(String(scalars).utf16)
        }
        return units(a).lexicographicallyPrecedes(units(b))
    }
}
