internal import CareLedger

/// The stored form of a record (a list of facts): compact, and cheap to read back, because a
/// query reads many records and a rebuild rewrites them all.
///
/// Per fact: seq (8 bytes), occurredOn (4), retractedAt (8, 0 for none), tag (1), bits (1: flag,
/// has date), the date (4, when present), the number of texts (1), and each text as a 2-byte
/// length and its UTF-8. All integers big-endian.
enum FactCodec {
    static func encode(_ facts: [Fact]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(facts.count * 48)
        for fact in facts {
            append(fact.seq.rawValue, to: &out)
            append(UInt32(bitPattern: Int32(truncatingIfNeeded: fact.occurredOn.dayNumber)), to: &out)
            append(fact.retractedAt?.rawValue ?? 0, to: &out)
            out.append(fact.tag)
            out.append((fact.flag ? 1 : 0) | (fact.date == nil ? 0 : 2))
            if let date = fact.date { append(UInt32(bitPattern: Int32(truncatingIfNeeded: date.dayNumber)), to: &out) }
            out.append(UInt8(fact.texts.count))
            for text in fact.texts {
                let utf8 = Array(text.utf8)
                out.append(UInt8(utf8.count >> 8))
                out.append(UInt8(utf8.count & 0xFF))
                out.append(contentsOf: utf8)
            }
        }
        return out
    }

    /// Reads a record back; `nil` when the bytes are damaged.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [Fact]? {
        var facts: [Fact] = []
        guard forEachView(bytes, { facts.append(Fact($0)) }) else { return nil }
        return facts
    }

    /// Calls `body` with each fact read in place (``FactView``), making none of its texts: for
    /// queries that decide from times and tags whether a record matters, or need few of its texts.
    static func forEachView(_ bytes: UnsafeRawBufferPointer, _ body: (FactView) throws -> Void) rethrows -> Bool {
        var offset = 0
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
        }
        func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) << 32 | UInt64(u32(at + 4)) }
        while offset < bytes.count {
            guard offset + 22 <= bytes.count else { return false }
            let seq = u64(offset), day = Int(Int32(bitPattern: u32(offset + 8))), retracted = u64(offset + 12)
            let tag = bytes[offset + 20], bits = bytes[offset + 21]
            var date: LocalDate?
            if bits & 2 != 0 {
                guard offset + 26 <= bytes.count else { return false }
                date = LocalDate(dayNumber: Int(Int32(bitPattern: u32(offset + 22))))
            }
            offset += 22 + (bits & 2 != 0 ? 4 : 0)
            guard offset < bytes.count else { return false }
            let texts = offset
            let count = Int(bytes[offset])
            offset += 1
            for _ in 0..<count {
                guard offset + 2 <= bytes.count else { return false }
                offset += 2 + (Int(bytes[offset]) << 8 | Int(bytes[offset + 1]))
            }
            guard offset <= bytes.count else { return false }
            try body(FactView(seq: Seq(seq), occurredOn: LocalDate(dayNumber: day), retractedAt: retracted == 0 ? nil : Seq(retracted),
                              tag: tag, flag: bits & 1 != 0, date: date, texts: UnsafeRawBufferPointer(rebasing: bytes[texts..<offset])))
        }
        return true
    }

    private static func append(_ value: UInt64, to out: inout [UInt8]) {
        appendBigEndian(UInt32(truncatingIfNeeded: value >> 32), to: &out)
        appendBigEndian(UInt32(truncatingIfNeeded: value), to: &out)
    }

    private static func append(_ value: UInt32, to out: inout [UInt8]) { appendBigEndian(value, to: &out) }
}

/// Appends `value` big-endian, byte by byte through shifts: appending an integer's raw bytes took
/// the generic path for raw buffers, with its fixed cost, once per field of every fact and count a
/// rebuild writes.
func appendBigEndian(_ value: UInt32, to out: inout [UInt8]) {
    out.append(UInt8(truncatingIfNeeded: value >> 24))
    out.append(UInt8(truncatingIfNeeded: value >> 16))
    out.append(UInt8(truncatingIfNeeded: value >> 8))
    out.append(UInt8(truncatingIfNeeded: value))
}
