public import CareLedger
#if canImport(Glibc)
internal import Glibc
#endif

/// One thing a projection learnt from one event, stamped with both of its times: `seq` (when the
/// ledger learnt it: transaction time, since `recordedAt` rises with seq), `occurredOn` (when it
/// happened: valid time) and, once an `EventRetracted` hides it, the seq of that retraction.
///
/// Projections keep facts rather than answers, so one stored state serves every "as of D, known
/// at T" (SPEC section 5): a query filters facts through a ``Viewpoint``.
public struct Fact: Sendable, Equatable {
    /// The seq of the event this fact comes from.
    public var seq: Seq
    /// The event's `occurredOn`.
    public var occurredOn: LocalDate
    /// The seq of the `EventRetracted` that hid the event, if any has.
    public var retractedAt: Seq?
    /// What kind of fact this is, in the projection's own vocabulary.
    public var tag: UInt8
    /// A yes/no the fact carries (such as `viaReplacement`).
    public var flag: Bool
    /// A second date the fact carries (such as `windowEndsOn`).
    public var date: LocalDate?
    /// The ids and enumeration values the fact carries, in the order its projection defines.
    public var texts: [String]

    /// A fact from the event at `seq`, dated `occurredOn`.
    public init(seq: Seq, occurredOn: LocalDate, tag: UInt8, flag: Bool = false, date: LocalDate? = nil, texts: [String] = []) {
        self.seq = seq
        self.occurredOn = occurredOn
        self.retractedAt = nil
        self.tag = tag
        self.flag = flag
        self.date = date
        self.texts = texts
    }

    /// The text at `index`, or `""` when the fact has fewer.
    public subscript(index: Int) -> String { index < texts.count ? texts[index] : "" }
}

/// Where one of a projection's records lives: its key in the projection's database.
public struct RecordKey: Hashable, Sendable, Comparable {
    /// The key's bytes, ordered as LMDB orders them.
    public let bytes: [UInt8]
    /// Whether the key names one event's own record (it ends with that event's seq), so that no
    /// other event adds to it and the engine never needs to read it back while folding.
    public let isUnique: Bool

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        self.isUnique = false
    }

    private init(bytes: [UInt8], unique: Bool) {
        self.bytes = bytes
        self.isUnique = unique
    }

    public static func == (a: RecordKey, b: RecordKey) -> Bool { a.bytes == b.bytes }
    /// The key's bytes hashed as one buffer: an array of bytes hashes itself a byte at a time,
    /// and the engine hashes keys for every fact of a rebuild.
    public func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }

    /// The record of one entity: `prefix:id`, such as `case:C-1`.
    public static func entity(_ prefix: String, _ id: String) -> RecordKey {
        RecordKey(bytes: entityBytes(prefix, id, reserving: 0))
    }

    /// `prefix:id` in one array with room for `extra` bytes more, copied from the strings' UTF-8
    /// buffers: a query makes one such key per row, a rebuild one per fact, and appending a
    /// string's `utf8` view took the slow generic path and grew the array on the way.
    private static func entityBytes(_ prefix: String, _ id: String, reserving extra: Int) -> [UInt8] {
        var prefix = prefix, id = id
        return prefix.withUTF8 { prefix in
            id.withUTF8 { id in
                var bytes: [UInt8] = []
                bytes.reserveCapacity(prefix.count + 1 + id.count + extra)
                bytes.append(contentsOf: prefix)
                bytes.append(UInt8(ascii: ":"))
                bytes.append(contentsOf: id)
                return bytes
            }
        }
    }

    /// One event's record in date order: `prefix:` then the day and the seq, big-endian, so that
    /// a range scan reads a period's facts in (`occurredOn`, `seq`) order.
    public static func dated(_ prefix: String, _ day: LocalDate, _ seq: Seq) -> RecordKey {
        var bytes = datePrefix(prefix, day, reserving: 8)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: seq.rawValue >> UInt64(shift))) }
        return RecordKey(bytes: bytes, unique: true)
    }

    /// The first key of `prefix` on or after `day`: where a scan of a period starts.
    public static func datePrefix(_ prefix: String, _ day: LocalDate) -> [UInt8] { datePrefix(prefix, day, reserving: 0) }

    /// The date prefix in an array with room for `extra` bytes more: a rebuild makes one such key
    /// for most facts and sums, and concatenating arrays made three on the way.
    public static func datePrefix(_ prefix: String, _ day: LocalDate, reserving extra: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(prefix.utf8.count + 5 + extra)
        bytes.append(contentsOf: prefix.utf8)
        bytes.append(UInt8(ascii: ":"))
        appendSortable(day, to: &bytes)
        return bytes
    }

    /// A day as 4 bytes that sort as the days do.
    public static func sortable(_ day: LocalDate) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4)
        appendSortable(day, to: &bytes)
        return bytes
    }

    private static func appendSortable(_ day: LocalDate, to bytes: inout [UInt8]) {
        let sortable = UInt32(truncatingIfNeeded: Int64(day.dayNumber) + Int64(Int32.max) + 1)
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: sortable >> UInt32(shift))) }
    }

    /// `name`, then, when `knownFrom` is later than `day` (the day the key is filed under), a zero
    /// byte and `knownFrom`: a name a query as of a date before `knownFrom` must not credit, such
    /// as the laCode of a worker registered after a spell started. Names hold no zero byte.
    public static func name(_ name: String, knownFrom: LocalDate?, after day: LocalDate) -> [UInt8] {
        guard let knownFrom, knownFrom > day else { return Array(name.utf8) }
        return Array(name.utf8) + [0] + sortable(knownFrom)
    }

    /// The name and, when the key carries one, the day it is known from, out of a key's tail that
    /// ``name(_:knownFrom:after:)`` wrote.
    public static func name(in tail: Slice<UnsafeRawBufferPointer>) -> (name: Slice<UnsafeRawBufferPointer>, knownFrom: LocalDate?) {
        guard let zero = tail.firstIndex(of: 0) else { return (tail, nil) }
        return (tail[..<zero], day(in: tail.base, at: zero + 1))
    }

    /// The day that ``sortable(_:)`` wrote at `offset` of `bytes`.
    public static func day(in bytes: UnsafeRawBufferPointer, at offset: Int) -> LocalDate {
        let sortable = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        return LocalDate(dayNumber: Int(Int64(sortable) - Int64(Int32.max) - 1))
    }

    /// One event's record among an entity's, in seq order: `prefix:id`, a zero byte, and the
    /// seq. Scanned with ``members(_:_:)``; unlike ``entity(_:_:)`` it never grows.
    public static func member(_ prefix: String, _ id: String, _ seq: Seq) -> RecordKey {
        var bytes = entityBytes(prefix, id, reserving: 9)
        bytes.append(0)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: seq.rawValue >> UInt64(shift))) }
        return RecordKey(bytes: bytes, unique: true)
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
            bytes.count > p.count && bytes[p.count] == UInt8(ascii: ":")
                && bytes.withUnsafeBytes { p.isEmpty || memcmp($0.baseAddress!, p.baseAddress!, p.count) == 0 }
        }
    }

    /// The prefix shared by every key `prefix:…`.
    public static func prefix(_ prefix: String) -> [UInt8] { Array(prefix.utf8) + [UInt8(ascii: ":")] }

    /// The entity id after `prefix:`.
    public var entityID: String {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return "" }
        return String(decoding: bytes[(colon + 1)...], as: UTF8.self)
    }

    /// LMDB's order: bytes compared as unsigned, a prefix first.
    public static func < (a: RecordKey, b: RecordKey) -> Bool {
        a.bytes.withUnsafeBytes { x in b.bytes.withUnsafeBytes { y in bytesPrecede(x, y) } }
    }
}

/// A fact and the record it belongs in.
public struct KeyedFact: Sendable {
    public var key: RecordKey
    public var fact: Fact

    public init(_ key: RecordKey, _ fact: Fact) {
        self.key = key
        self.fact = fact
    }
}

/// LMDB's key order: bytes compared as unsigned, a prefix first.
@inline(__always)
func bytesPrecede(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Bool {
    let common = min(x.count, y.count)
    let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
    return order != 0 ? order < 0 : x.count < y.count
}
