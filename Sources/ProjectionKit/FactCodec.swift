internal import CareLedger

/// The stored form of a record (a list of facts): compact, and cheap to read back, because a
/// query reads many records and a rebuild rewrites them all.
///
/// Per fact: seq (8 bytes), occurredOn (4), retractedAt (8, 0 for none), tag (1), bits (1: flag,
/// has date), the date (4, when present), the number of texts (1), and each text as a 2-byte
/// length and its UTF-8. All integers big-endian.
enum FactCodec {
    /// Appends the record's encoding to `buffer` (``PackedRecords`` keeps a plan's records in one).
    static func encode(_ facts: [Fact], appendingTo buffer: inout [UInt8]) {
        BigEndianWriter.append(encodedSize(facts), to: &buffer) { write(facts, with: &$0) }
    }

    private static func encodedSize(_ facts: [Fact]) -> Int {
        var size = 0
        for fact in facts {
            size += 23 + (fact.date == nil ? 0 : 4)
            for text in fact.texts { size += 2 + text.utf8.count }
        }
        return size
    }

    /// Writes the record through `out`, which has room for ``encodedSize(_:)`` bytes: sized
    /// first, then written through one pointer, since a rebuild encodes every record it writes,
    /// and growing an array a byte at a time checked its capacity at every byte.
    private static func write(_ facts: [Fact], with out: inout BigEndianWriter) {
        for fact in facts {
            out.write(fact.seq.rawValue)
            out.write(UInt32(bitPattern: Int32(truncatingIfNeeded: fact.occurredOn.dayNumber)))
            out.write(fact.retractedAt?.rawValue ?? 0)
            out.write(fact.tag)
            out.write(UInt8((fact.flag ? 1 : 0) | (fact.date == nil ? 0 : 2)))
            if let date = fact.date { out.write(UInt32(bitPattern: Int32(truncatingIfNeeded: date.dayNumber))) }
            out.write(UInt8(fact.texts.count))
            for text in fact.texts {
                var text = text
                text.withUTF8 { utf8 in
                    out.write(UInt8(utf8.count >> 8))
                    out.write(UInt8(utf8.count & 0xFF))
                    out.write(UnsafeRawBufferPointer(utf8))
                }
            }
        }
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
}

/// Writes integers big-endian and bytes at a pointer that it moves on: for encoders that know
/// their output's size and have the memory for it.
struct BigEndianWriter {
    private var next: UnsafeMutablePointer<UInt8>

    init(_ start: UnsafeMutablePointer<UInt8>) { next = start }

    /// Grows `buffer` by `count` bytes and lets `body` write exactly them.
    static func append(_ count: Int, to buffer: inout [UInt8], _ body: (inout BigEndianWriter) -> Void) {
        guard count > 0 else { return }
        let start = buffer.count
        // Grown by copying zeros from a buffer (a memcpy) rather than a repeated element (a loop).
        if count <= zeros.count {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: zeros[..<count]))
        } else {
            buffer.append(contentsOf: repeatElement(0, count: count))
        }
        buffer.withUnsafeMutableBufferPointer { buffer in
            var out = BigEndianWriter(buffer.baseAddress! + start)
            body(&out)
        }
    }

    /// Zeros to grow buffers by, made once for the life of the process.
    nonisolated(unsafe) private static let zeros = UnsafeBufferPointer(UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4_096).initialized(repeating: 0))

    mutating func write(_ value: UInt8) {
        next.pointee = value
        next += 1
    }

    mutating func write(_ value: UInt32) {
        UnsafeMutableRawPointer(next).storeBytes(of: value.bigEndian, as: UInt32.self)
        next += 4
    }

    mutating func write(_ value: UInt64) {
        UnsafeMutableRawPointer(next).storeBytes(of: value.bigEndian, as: UInt64.self)
        next += 8
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        UnsafeMutableRawPointer(next).copyMemory(from: base, byteCount: bytes.count)
        next += bytes.count
    }
}

extension UnsafeMutableBufferPointer<UInt8> {
    /// The buffer, every element set to `value`.
    fileprivate func initialized(repeating value: UInt8) -> Self {
        initialize(repeating: value)
        return self
    }
}
