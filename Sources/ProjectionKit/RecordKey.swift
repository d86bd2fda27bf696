public import CareLedger
#if canImport(Glibc)
internal import Glibc
#endif

/// Where one of a projection's records lives: its key in the projection's database.
///
/// A rebuild makes a key for every fact, sum and index entry, and keeps most of them as
/// dictionary keys until it writes: so a key of up to ``inlineCapacity`` bytes (nearly all of
/// them: a prefix, an id and a seq) is held in the value itself, with no heap allocation to make,
/// count references to and free on another thread. Longer keys (ids run to 64 characters) spill
/// into an array; a key's form depends only on its length, so equal keys are stored alike.
public struct RecordKey: Hashable, Sendable, Comparable {
    /// The longest key held without an allocation.
    public static let inlineCapacity = 40

    /// The first bytes of the key, zeros after its end; all zeros when ``spilled`` holds it.
    private var words: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
    /// The key's bytes when it is longer than ``inlineCapacity``.
    private var spilled: [UInt8]?
    /// The key's length in bytes (LMDB's keys are at most 511).
    private let length: UInt16
    /// Whether the key names one event's own record (it ends with that event's seq), so that no
    /// other event adds to it and the engine never needs to read it back while folding.
    public private(set) var isUnique: Bool

    /// A key of `count` bytes that `fill` writes.
    private init(count: Int, unique: Bool, fill: (UnsafeMutableRawBufferPointer) -> Void) {
        precondition(count <= Int(UInt16.max), "a record key's length fits in 16 bits (LMDB stores keys of at most 511 bytes)")
        length = UInt16(count)
        isUnique = unique
        if count <= Self.inlineCapacity {
            withUnsafeMutableBytes(of: &words) { fill(UnsafeMutableRawBufferPointer(rebasing: $0[..<count])) }
        } else {
            var bytes = [UInt8](repeating: 0, count: count)
            bytes.withUnsafeMutableBytes { fill($0) }
            spilled = bytes
        }
    }

    public init(bytes: UnsafeRawBufferPointer) {
        self.init(count: bytes.count, unique: false) { $0.copyMemory(from: bytes) }
    }

    public init(bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { RecordKey(bytes: $0) }
    }

    /// Calls `body` with the key's bytes, valid only inside it.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        if let spilled { return try spilled.withUnsafeBytes(body) }
        return try Swift.withUnsafeBytes(of: words) { try body(UnsafeRawBufferPointer(rebasing: $0[..<Int(length)])) }
    }

    /// The key's bytes, ordered as LMDB orders them.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The key's length in bytes.
    public var count: Int { Int(length) }

    public static func == (a: RecordKey, b: RecordKey) -> Bool {
        a.length == b.length && a.words == b.words && a.spilled == b.spilled
    }

    /// The key's bytes hashed as one buffer, as many as it has.
    public func hash(into hasher: inout Hasher) { withUnsafeBytes { hasher.combine(bytes: $0) } }

    /// LMDB's order: bytes compared as unsigned, a prefix first.
    public static func < (a: RecordKey, b: RecordKey) -> Bool {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in bytesPrecede(x, y) } }
    }

    /// A copy of the key that does not claim to be one event's own: for an entry that others
    /// may share, filed under a unique key's bytes.
    public var shared: RecordKey {
        var key = self
        key.isUnique = false
        return key
    }

    // MARK: Keys the projections file records under

    /// The record of one entity: `prefix:id`, such as `case:C-1`.
    public static func entity(_ prefix: String, _ id: String) -> RecordKey {
        composed(prefix, id, seq: nil)
    }

    /// One event's record among an entity's, in seq order: `prefix:id`, a zero byte, and the
    /// seq. Scanned with ``members(_:_:)``; unlike ``entity(_:_:)`` it never grows.
    public static func member(_ prefix: String, _ id: String, _ seq: Seq) -> RecordKey {
        composed(prefix, id, seq: seq)
    }

    /// `prefix:id`, then, when `seq` is given, a zero byte and the seq, big-endian; copied from
    /// the strings' UTF-8 buffers.
    private static func composed(_ prefix: String, _ id: String, seq: Seq?) -> RecordKey {
        var prefix = prefix, id = id
        return prefix.withUTF8 { prefix in
            id.withUTF8 { id in
                let tail = seq == nil ? 0 : 9
                return RecordKey(count: prefix.count + 1 + id.count + tail, unique: seq != nil) { out in
                    var at = out.baseAddress!
                    at.copyMemory(from: prefix.baseAddress!, byteCount: prefix.count)
                    at += prefix.count
                    at.storeBytes(of: UInt8(ascii: ":"), as: UInt8.self)
                    at += 1
                    if !id.isEmpty { at.copyMemory(from: id.baseAddress!, byteCount: id.count) }
                    at += id.count
                    if let seq {
                        at.storeBytes(of: 0, as: UInt8.self)
                        (at + 1).storeBytes(of: seq.rawValue.bigEndian, as: UInt64.self)
                    }
                }
            }
        }
    }

    /// One event's record in date order: `prefix:` then the day and the seq, big-endian, so that
    /// a range scan reads a period's facts in (`occurredOn`, `seq`) order.
    public static func dated(_ prefix: String, _ day: LocalDate, _ seq: Seq) -> RecordKey {
        filed(prefix, day, unique: true, tail: 8) { $0.storeBytes(of: seq.rawValue.bigEndian, as: UInt64.self) }
    }

    /// The key `prefix:` and the day, for a sum or entry filed under a day: ``datePrefix(_:_:)``
    /// as a key.
    public static func onDay(_ prefix: String, _ day: LocalDate) -> RecordKey {
        filed(prefix, day, unique: false, tail: 0) { _ in }
    }

    /// `prefix:` and the day, then `tail`: a sum or entry filed under a day and a value.
    public static func onDay(_ prefix: String, _ day: LocalDate, then tail: UnsafeRawBufferPointer) -> RecordKey {
        filed(prefix, day, unique: false, tail: tail.count) { out in
            if !tail.isEmpty { out.copyMemory(from: tail.baseAddress!, byteCount: tail.count) }
        }
    }

    /// `prefix:` and the day, then `name` and, when `knownFrom` is later than that day, a zero
    /// byte and `knownFrom`: a sum of a day credited to a name that a query as of a date before
    /// `knownFrom` must not credit, such as the laCode of a worker registered after a spell
    /// started. Names hold no zero byte.
    public static func onDay(_ prefix: String, _ day: LocalDate, name: String, knownFrom: LocalDate?) -> RecordKey {
        var name = name
        return name.withUTF8 { name in
            let after = knownFrom.flatMap { $0 > day ? $0 : nil }
            return filed(prefix, day, unique: false, tail: name.count + (after == nil ? 0 : 5)) { out in
                if !name.isEmpty { out.copyMemory(from: name.baseAddress!, byteCount: name.count) }
                if let after {
                    (out + name.count).storeBytes(of: 0, as: UInt8.self)
                    (out + name.count + 1).storeBytes(of: sortableWord(after).bigEndian, as: UInt32.self)
                }
            }
        }
    }

    /// `prefix:`, the day, big-endian, and `tail` bytes that `writeTail` writes.
    private static func filed(
        _ prefix: String, _ day: LocalDate, unique: Bool, tail: Int, _ writeTail: (UnsafeMutableRawPointer) -> Void
    ) -> RecordKey {
        var prefix = prefix
        return prefix.withUTF8 { prefix in
            RecordKey(count: prefix.count + 5 + tail, unique: unique) { out in
                let at = out.baseAddress!
                at.copyMemory(from: prefix.baseAddress!, byteCount: prefix.count)
                (at + prefix.count).storeBytes(of: UInt8(ascii: ":"), as: UInt8.self)
                (at + prefix.count + 1).storeBytes(of: sortableWord(day).bigEndian, as: UInt32.self)
                writeTail(at + prefix.count + 5)
            }
        }
    }

    // MARK: Parts of keys, for range scans and composed keys

    /// The first key of `prefix` on or after `day`: where a scan of a period starts.
    public static func datePrefix(_ prefix: String, _ day: LocalDate) -> [UInt8] { onDay(prefix, day).bytes }

    /// A day as a number that orders as the days do, written big-endian in keys.
    private static func sortableWord(_ day: LocalDate) -> UInt32 {
        UInt32(truncatingIfNeeded: Int64(day.dayNumber) + Int64(Int32.max) + 1)
    }

    /// The name and, when the key carries one, the day it is known from, out of a key's tail that
    /// ``onDay(_:_:name:knownFrom:)`` wrote.
    public static func name(in tail: Slice<UnsafeRawBufferPointer>) -> (name: Slice<UnsafeRawBufferPointer>, knownFrom: LocalDate?) {
        guard let zero = tail.firstIndex(of: 0) else { return (tail, nil) }
        return (tail[..<zero], day(in: tail.base, at: zero + 1))
    }

    /// The day written in a key at `offset` of `bytes`.
    public static func day(in bytes: UnsafeRawBufferPointer, at offset: Int) -> LocalDate {
        let sortable = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        return LocalDate(dayNumber: Int(Int64(sortable) - Int64(Int32.max) - 1))
    }

    /// The prefix of every ``member(_:_:_:)`` key of one entity.
    public static func members(_ prefix: String, _ id: String) -> [UInt8] {
        entity(prefix, id).bytes + [0]
    }

    /// Whether the key is `prefix:…`, checked without making the prefix's bytes: projections ask
    /// this of every record they flush.
    public func belongs(to prefix: String) -> Bool {
        var prefix = prefix
        return prefix.withUTF8 { p in
            withUnsafeBytes { bytes in
                bytes.count > p.count && bytes[p.count] == UInt8(ascii: ":")
                    && (p.isEmpty || memcmp(bytes.baseAddress!, p.baseAddress!, p.count) == 0)
            }
        }
    }

    /// The prefix shared by every key `prefix:…`.
    public static func prefix(_ prefix: String) -> [UInt8] { Array(prefix.utf8) + [UInt8(ascii: ":")] }

    /// The entity id after `prefix:`.
    public var entityID: String {
        withUnsafeBytes { bytes in
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return "" }
            return String(decoding: bytes[(colon + 1)...], as: UTF8.self)
        }
    }
}

/// LMDB's key order: bytes compared as unsigned, a prefix first.
@inline(__always)
func bytesPrecede(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Bool {
    let common = min(x.count, y.count)
    let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
    return order != 0 ? order < 0 : x.count < y.count
}
