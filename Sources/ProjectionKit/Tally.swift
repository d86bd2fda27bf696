/// Counts one record contributes to a sum kept across records, under a key: such as "spells
/// started on day N, and how many were retained at 3, 6 and 12 months".
///
/// A query known at the head then reads one small sum per key instead of every record behind it.
/// Like derived entries, a record's tallies are a function of its whole state as the ledger knows
/// it now; the engine adds a record's new tallies and subtracts its previous ones whenever it
/// changes, so the sums kept incrementally equal the sums of a rebuild from zero.
public struct Tally: Sendable, Equatable {
    /// Where the sum lives, in the projection's tally database (its own key space).
    public var key: RecordKey
    /// The counts, in the order the projection defines; sums of different lengths are padded
    /// with zeros.
    public var counts: [Int32] {
        switch form {
        case .counts(let counts): counts
        case .one(let position, let length):
            (0..<length).map { $0 == position ? 1 : 0 }
        }
    }

    /// How the counts are held: most tallies count one event once, in a sum of some fifty
    /// counts, and a rebuild makes one for every such event.
    enum Form: Equatable {
        case counts([Int32])
        /// 1 at `position`, zeros elsewhere, `length` counts in all.
        case one(position: Int, length: Int)
    }

    let form: Form

    public init(_ key: RecordKey, _ counts: [Int32]) {
        self.key = key
        self.form = .counts(counts)
    }

    /// A count of 1 at `position` of a sum of `length` counts: the same as the counts with
    /// that one 1, made and added without an array.
    public init(_ key: RecordKey, one position: Int, of length: Int) {
        precondition(position >= 0 && position < length, "a count's position lies inside its sum")
        self.key = key
        self.form = .one(position: position, length: length)
    }

    /// Adds the tally's counts, times `sign`, into `sum`, padding `sum` with zeros to its length.
    func add(into sum: inout [Int32], sign: Int32 = 1) {
        switch form {
        case .counts(let counts): TallyCodec.add(counts, into: &sum, sign: sign)
        case .one(let position, let length):
            if sum.count < length { sum += repeatElement(0, count: length - sum.count) }
            sum[position] &+= sign
        }
    }

    public static func == (a: Tally, b: Tally) -> Bool { a.key == b.key && a.counts == b.counts }
}

/// A stored sum read in place, its counts decoded as they are read: a query adds thousands of
/// sums and keeps none. It points into LMDB's pages, like ``FactView``: valid while its reader is.
public struct TallyCounts: RandomAccessCollection {
    let bytes: UnsafeRawBufferPointer

    public var startIndex: Int { 0 }
    public var endIndex: Int { bytes.count / 4 }
    public subscript(position: Int) -> Int32 {
        Int32(bigEndian: bytes.loadUnaligned(fromByteOffset: position * 4, as: Int32.self))
    }
}

/// The stored form of a sum: each count as 4 big-endian bytes.
enum TallyCodec {
    static func encode(_ counts: [Int32]) -> [UInt8] {
        var out: [UInt8] = []
        encode(counts, appendingTo: &out)
        return out
    }

    /// Appends the sum's encoding to `buffer`.
    static func encode(_ counts: [Int32], appendingTo buffer: inout [UInt8]) {
        BigEndianWriter.append(counts.count * 4, to: &buffer) { out in
            for count in counts { out.write(UInt32(bitPattern: count)) }
        }
    }

    /// Reads a sum back; `nil` when the bytes are damaged.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [Int32]? {
        guard bytes.count % 4 == 0 else { return nil }
        return [Int32](unsafeUninitializedCapacity: bytes.count / 4) { counts, made in
            for i in 0..<bytes.count / 4 {
                counts[i] = Int32(bigEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))
            }
            made = bytes.count / 4
        }
    }

    /// Adds `delta` into `sum`, padding the shorter with zeros.
    static func add(_ delta: [Int32], into sum: inout [Int32], sign: Int32 = 1) {
        if sum.count < delta.count { sum += Array(repeating: 0, count: delta.count - sum.count) }
        for (i, count) in delta.enumerated() { sum[i] &+= sign &* count }
    }
}
