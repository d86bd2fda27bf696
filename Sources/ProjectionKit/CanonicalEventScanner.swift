internal import CareLedger
internal import LedgerJSON

/// Reads a ``ProjectedEvent`` straight from an event's canonical bytes, in one pass and without
/// copying them or building a parse tape.
///
/// A rebuild reads every event the read models use, and parsing each into a tape was most of the
/// replaying thread's work. The log's bytes are the ledger's own RFC 8785 output: no whitespace,
/// members in order, `data` first and `occurredOn` among the members after it. The scanner
/// follows that grammar (objects, arrays, strings, numbers, literals, checked to the last byte;
/// the event's and its data's members in strictly ascending order), and answers `nil` for
/// anything else, leaving it to the JSON parser: a string with an escape
/// or a byte that is not ASCII (which the parser decodes and checks as UTF-8), any
/// whitespace, and any damage, which the parser then names.
enum CanonicalEventScanner {
    /// The event in `bytes`, or `nil` when the bytes are not plain canonical JSON.
    static func event(in bytes: UnsafeRawBufferPointer, seq: Seq, type: EventType) -> ProjectedEvent? {
        var cursor = Cursor(bytes)
        var event = ProjectedEvent(seq: seq, type: type, occurredOn: LocalDate(dayNumber: 0))
        guard cursor.take("{"), let first = cursor.string(), first.isName("data"), cursor.take(":"), cursor.take("{") else { return nil }
        if !cursor.take("}") {
            var previous: UnsafeRawBufferPointer?
            repeat {
                guard let name = cursor.member(after: &previous) else { return nil }
                switch cursor.peek {
                case UInt8(ascii: "\""):
                    guard let value = cursor.string() else { return nil }
                    event.keep(member: name, string: value)
                case UInt8(ascii: "t"), UInt8(ascii: "f"):
                    guard let value = cursor.bool() else { return nil }
                    event.keep(member: name, bool: value)
                case UInt8(ascii: "[") where name.isName("referredTo"):
                    guard let elements = cursor.strings() else { return nil }
                    event.referredTo = elements
                default:
                    guard cursor.skipValue(depth: 1) else { return nil }
                }
            } while cursor.take(",")
            guard cursor.take("}") else { return nil }
        }
        // The members after `data` (`id`, `meta`, `occurredOn`, `recordedAt`, …): one date kept.
        var occurredOn: LocalDate?
        var previous: UnsafeRawBufferPointer? = first
        while cursor.take(",") {
            guard let name = cursor.member(after: &previous) else { return nil }
            if name.isName("occurredOn") {
                guard let value = cursor.string(), let day = LocalDate(utf8: value) else { return nil }
                occurredOn = day
            } else {
                guard cursor.skipValue(depth: 1) else { return nil }
            }
        }
        guard cursor.take("}"), cursor.isAtEnd, let occurredOn else { return nil }
        event.occurredOn = occurredOn
        return event
    }

    /// A position in the bytes, moving forward only; every read checks the bounds.
    private struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var isAtEnd: Bool { offset == bytes.count }

        /// The next byte, or 0 at the end (never a byte the grammar accepts there).
        var peek: UInt8 { offset < bytes.count ? bytes[offset] : 0 }

        /// Moves past `byte` when it comes next.
        mutating func take(_ byte: Unicode.Scalar) -> Bool {
            guard peek == UInt8(ascii: byte) else { return false }
            offset += 1
            return true
        }

        /// The bytes between the quotes of a string that needs no decoding: printable ASCII,
        /// no escape. `nil` for any other string, or when no string comes next.
        mutating func string() -> UnsafeRawBufferPointer? {
            guard take("\"") else { return nil }
            let start = offset
            // A word at a time, to the first byte that is not plain (most often the closing quote).
            while offset + 8 <= bytes.count {
                let special = PlainText.specialBytes(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                guard special == 0 else {
                    offset += special.trailingZeroBitCount >> 3
                    break
                }
                offset += 8
            }
            while offset < bytes.count {
                let byte = bytes[offset]
                if byte == UInt8(ascii: "\"") {
                    offset += 1
                    return UnsafeRawBufferPointer(rebasing: bytes[start..<(offset - 1)])
                }
                guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
                offset += 1
            }
            return nil
        }

        /// A member's name and its colon. Canonical members come in ascending order of name
        /// (RFC 8785; for ASCII names, byte order), so one out of order, or twice, is damage.
        mutating func member(after previous: inout UnsafeRawBufferPointer?) -> UnsafeRawBufferPointer? {
            guard let name = string(), take(":") else { return nil }
            if let previous, !Self.precedes(previous, name) { return nil }
            previous = name
            return name
        }

        /// Whether name `a` sorts strictly before name `b`, byte by byte: `bytesPrecede` orders
        /// keys through `memcmp`, a call that costs more than comparing names of a few bytes.
        private static func precedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
            for i in 0..<min(a.count, b.count) where a[i] != b[i] { return a[i] < b[i] }
            return a.count < b.count
        }

        /// An array of such strings.
        mutating func strings() -> [String]? {
            guard take("[") else { return nil }
            var elements: [String] = []
            if take("]") { return elements }
            repeat {
                guard let element = string() else { return nil }
                elements.append(String(decoding: element, as: UTF8.self))
            } while take(",")
            return take("]") ? elements : nil
        }

        /// `true` or `false`.
        mutating func bool() -> Bool? {
            if literal("true") { return true }
            if literal("false") { return false }
            return nil
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard offset + count <= bytes.count,
                  UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]).isName(word) else { return false }
            offset += count
            return true
        }

        /// Moves past one value of any kind, checking its grammar; nesting deeper than the
        /// ledger ever writes is left to the parser.
        mutating func skipValue(depth: Int) -> Bool {
            switch peek {
            case UInt8(ascii: "\""): return string() != nil
            case UInt8(ascii: "t"), UInt8(ascii: "f"): return bool() != nil
            case UInt8(ascii: "n"): return literal("null")
            case UInt8(ascii: "{"):
                guard depth < 32 else { return false }
                offset += 1
                if take("}") { return true }
                repeat {
                    guard string() != nil, take(":"), skipValue(depth: depth + 1) else { return false }
                } while take(",")
                return take("}")
            case UInt8(ascii: "["):
                guard depth < 32 else { return false }
                offset += 1
                if take("]") { return true }
                repeat {
                    guard skipValue(depth: depth + 1) else { return false }
                } while take(",")
                return take("]")
            default: return number()
            }
        }

        /// A JSON number: `-`, an integer part without leading zeros, a fraction, an exponent.
        private mutating func number() -> Bool {
            _ = take("-")
            if take("0") {
                // No more digits after a leading zero.
            } else {
                guard digits() else { return false }
            }
            if take("."), !digits() { return false }
            if take("e") || take("E") {
                if !take("+") { _ = take("-") }
                guard digits() else { return false }
            }
            return true
        }

        /// One or more decimal digits.
        private mutating func digits() -> Bool {
            let start = offset
            while offset < bytes.count, bytes[offset] >= UInt8(ascii: "0"), bytes[offset] <= UInt8(ascii: "9") { offset += 1 }
            return offset > start
        }
    }
}
