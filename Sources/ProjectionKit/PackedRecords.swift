internal import CareLedger

/// Records to write (key and encoded value), packed one after another into a single buffer and
/// put in key order: a rebuild's plan holds hundreds of thousands of records, and an array for
/// each value was a `malloc` on the thread that planned it and a `free` on the one that wrote it.
struct PackedRecords {
    private var buffer: [UInt8] = []
    private var entries: [Entry] = []

    /// One record: its key at `start`, its value right after.
    private struct Entry {
        var start: Int
        var keyCount: Int
        var valueCount: Int
    }

    var count: Int { entries.count }

    /// Adds the record `key`, its value the encoding of `facts`.
    mutating func append(_ key: RecordKey, encoding facts: [Fact]) {
        append(key) { FactCodec.encode(facts, appendingTo: &$0) }
    }

    /// Adds the record `key`, its value `counts` encoded as a sum is (``TallyCodec``).
    mutating func append(_ key: RecordKey, counts: [Int32]) {
        append(key) { TallyCodec.encode(counts, appendingTo: &$0) }
    }

    /// Adds the record `key`, its value what `encode` appends to the buffer.
    private mutating func append(_ key: RecordKey, value encode: (inout [UInt8]) -> Void) {
        let start = buffer.count
        key.withUnsafeBytes { buffer.append(contentsOf: $0) }
        encode(&buffer)
        entries.append(Entry(start: start, keyCount: key.count, valueCount: buffer.count - start - key.count))
    }

    /// Makes room for `records` records in all.
    mutating func reserve(records: Int) { entries.reserveCapacity(records) }

    /// Puts the records in LMDB's key order. Sorted as each key's first 16 bytes (two big-endian
    /// integers, which order as the bytes do), comparing whole keys only on a tie: most
    /// comparisons are then two integer comparisons rather than a call to `memcmp`.
    mutating func sortByKey() {
        let entries = self.entries
        self.entries = buffer.withUnsafeBytes { bytes in
            func key(_ entry: Entry) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: bytes[entry.start..<(entry.start + entry.keyCount)])
            }
            var order: [(high: UInt64, low: UInt64, index: Int)] = []
            order.reserveCapacity(entries.count)
            for (index, entry) in entries.enumerated() {
                let (high, low) = leadingWords(key(entry))
                order.append((high, low, index))
            }
            order.sort { a, b in
                if a.high != b.high { return a.high < b.high }
                if a.low != b.low { return a.low < b.low }
                return bytesPrecede(key(entries[a.index]), key(entries[b.index]))
            }
            return order.map { entries[$0.index] }
        }
    }

    /// Calls `body` with each record's key and value, in order.
    func forEach(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) rethrows {
        try buffer.withUnsafeBytes { bytes in
            for entry in entries {
                let valueStart = entry.start + entry.keyCount
                try body(UnsafeRawBufferPointer(rebasing: bytes[entry.start..<valueStart]),
                         UnsafeRawBufferPointer(rebasing: bytes[valueStart..<(valueStart + entry.valueCount)]))
            }
        }
    }
}

/// The first 16 bytes of `key` as two big-endian integers, zeros past its end: where two keys'
/// integers differ, they order as the keys do; where they are equal, the keys may still differ
/// (after 16 bytes, or one being the other and zeros).
func leadingWords(_ key: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
    if key.count >= 16 {
        return (UInt64(bigEndian: key.loadUnaligned(as: UInt64.self)), UInt64(bigEndian: key.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }
    var padded: (UInt64, UInt64) = (0, 0)
    withUnsafeMutableBytes(of: &padded) { $0.copyMemory(from: key) }
    return (UInt64(bigEndian: padded.0), UInt64(bigEndian: padded.1))
}
