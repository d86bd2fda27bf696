internal import LMDBStore
#if canImport(Glibc)
internal import Glibc
#endif

/// One consistent view of the log, for readers that need more than ``Ledger/readEvents(_:limit:_:)``:
/// the projection engine replays the raw canonical bytes, resolves retraction targets and walks
/// streams, all from the same snapshot. Valid only inside ``Ledger/withSnapshot(_:)``: it
/// borrows that call's read transaction, so it must not be kept or passed to another thread.
public struct LogSnapshot {
    let txn: Transaction
    let databases: LogDatabases

    init(txn: Transaction, databases: LogDatabases) {
        self.txn = txn
        self.databases = databases
    }

    /// The head of the log in this snapshot.
    public func head() throws -> LogHead {
        try MetaKey.head.withUnsafeBytes { key in
            try txn.withValue(in: databases.meta, key: key) { raw in
                guard let raw, let head = LogHead(encoded: raw) else {
                    throw LedgerError(.storage, "the ledger's head record is missing or damaged")
                }
                return head
            }
        }
    }

    /// Calls `body` with the seq and canonical bytes (the stored form minus `hash`) of every event
    /// from `from` through `through`, in order. The bytes are valid only during the call.
    public func replay(
        from: Seq, through: Seq, _ body: (Seq, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard from <= through else { return }
        try txn.withCursor(databases.events) { cursor in
            var found = try from.key.withUnsafeBytes { try cursor.move(.atOrAfter($0)) }
            while found {
                let seq = Seq(readBigEndian(cursor.key))
                if seq > through { return }
                let record = cursor.value
                guard record.count > StoredEvent.headerSize else {
                    throw LedgerError(.verificationFailed, "the stored record of seq \(seq) is truncated")
                }
                try body(seq, UnsafeRawBufferPointer(rebasing: record[StoredEvent.headerSize...]))
                found = try cursor.move(.next)
            }
        }
    }

    /// The canonical bytes of the event at `seq`, or `nil` beyond the head.
    public func canonicalBytes(at seq: Seq) throws -> [UInt8]? {
        try seq.key.withUnsafeBytes { key in
            try txn.withValue(in: databases.events, key: key) { raw in
                raw.map { Array($0[StoredEvent.headerSize...]) }
            }
        }
    }

    /// The stored event at `seq`, or `nil` beyond the head.
    public func storedEvent(at seq: Seq) throws -> StoredEvent? {
        try seq.key.withUnsafeBytes { key in
            try txn.withValue(in: databases.events, key: key) { raw in try raw.map { try StoredEvent(seq: seq, record: $0) } }
        }
    }

    /// The seq of the event with `id`, if the log holds it.
    public func seq(of id: EventID) throws -> Seq? {
        try id.key.withUnsafeBytes { key in
            try txn.withValue(in: databases.eventIds, key: key) { raw in raw.map { Seq(readBigEndian($0)) } }
        }
    }

    /// The seq of the `EventRetracted` that retracted the event at `seq`, if one did.
    public func retraction(of seq: Seq) throws -> Seq? {
        try seq.key.withUnsafeBytes { key in
            try txn.withValue(in: databases.retractions, key: key) { raw in raw.map { Seq(readBigEndian($0)) } }
        }
    }

    /// The seqs of every event of `stream`, in stream order (which is seq order).
    public func seqs(inStream stream: StreamID) throws -> [Seq] {
        try txn.withCursor(databases.streams) { cursor in
            var result: [Seq] = []
            let key = Array(stream.rawValue.utf8)
            var found = try key.withUnsafeBytes { try cursor.move(.exactly($0)) }
            while found {
                result.append(Seq(readBigEndian(UnsafeRawBufferPointer(rebasing: cursor.value[8..<16]))))
                found = try cursor.move(.nextDuplicate)
            }
            return result
        }
    }

    /// The last seq whose `recordedAt` is at or before `instant` (``Seq/zero`` when none is):
    /// what a query "known at" that instant may see. `recordedAt` strictly increases with seq,
    /// so this is a binary search of the log.
    public func lastSeq(knownAt instant: Instant) throws -> Seq {
        let head = try head().seq
        var low: UInt64 = 0, high = head.rawValue  // answer in low...high
        while low < high {
            let middle = low + (high - low + 1) / 2
            guard let recorded = try recordedAt(Seq(middle)) else {
                throw LedgerError(.verificationFailed, "the stored event at seq \(middle) has no readable recordedAt")
            }
            if recorded <= instant { low = middle } else { high = middle - 1 }
        }
        return Seq(low)
    }

    /// The `recordedAt` of the event at `seq`, read from its canonical bytes.
    public func recordedAt(_ seq: Seq) throws -> Instant? {
        try seq.key.withUnsafeBytes { key in
            try txn.withValue(in: databases.events, key: key) { raw -> Instant? in
                guard let raw else { return nil }
                return CanonicalMember.recordedAt(in: UnsafeRawBufferPointer(rebasing: raw[StoredEvent.headerSize...]))
            }
        }
    }
}

extension Ledger {
    /// Calls `body` with one consistent snapshot of the log.
    public func withSnapshot<Result>(_ body: (LogSnapshot) throws -> Result) throws(LedgerError) -> Result {
        try reading { txn in try body(LogSnapshot(txn: txn, databases: databases)) }
    }
}

/// Reads single top-level members straight from canonical bytes, without parsing the event:
/// RFC 8785 sorts members, so `recordedAt` and `type` sit in known places after `data` and `meta`.
package enum CanonicalMember {
    /// The `recordedAt` of a stored event.
    static func recordedAt(in bytes: UnsafeRawBufferPointer) -> Instant? {
        let marker = Array(#","recordedAt":""#.utf8)
        guard let start = lastIndex(of: marker, in: bytes) else { return nil }
        let valueStart = start + marker.count
        var end = valueStart
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
        return Instant(rfc3339: String(decoding: bytes[valueStart..<end], as: UTF8.self))
    }

    /// The `type` of a stored event: the last member, so the bytes end `"type":"…"}`.
    package static func type(in bytes: UnsafeRawBufferPointer) -> EventType? {
        let count = bytes.count
        guard count > 12, bytes[count - 1] == UInt8(ascii: "}"), bytes[count - 2] == UInt8(ascii: "\"") else { return nil }
        var start = count - 3
        while start > 0, bytes[start] != UInt8(ascii: "\"") { start -= 1 }
        let marker = Array(#""type":"#.utf8)
        guard start >= marker.count, equal(bytes, at: start - marker.count, marker) else { return nil }
        return EventType.named(UnsafeRawBufferPointer(rebasing: bytes[(start + 1)..<(count - 2)]))
    }

    private static func lastIndex(of marker: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        var index = bytes.count - marker.count
        while index >= 0 {
            if bytes[index] == marker[0], equal(bytes, at: index, marker) { return index }
            index -= 1
        }
        return nil
    }

    private static func equal(_ bytes: UnsafeRawBufferPointer, at offset: Int, _ marker: [UInt8]) -> Bool {
        guard offset >= 0, offset + marker.count <= bytes.count else { return false }
        for (i, byte) in marker.enumerated() where bytes[offset + i] != byte { return false }
        return true
    }
}

@available(*, unavailable, message: "a snapshot borrows one thread's read transaction")
extension LogSnapshot: Sendable {}

extension EventType {
    /// The type named by `utf8`, found without making a `String`: replay asks this of every event.
    package static func named(_ utf8: UnsafeRawBufferPointer) -> EventType? {
        guard let (type, name) = byFingerprint[fingerprint(utf8)], name.count == utf8.count,
              name.withUnsafeBytes({ memcmp($0.baseAddress!, utf8.baseAddress!, utf8.count) == 0 }) else { return nil }
        return type
    }

    private static let byFingerprint: [UInt64: (EventType, [UInt8])] = Dictionary(
        uniqueKeysWithValues: allCases.map { type in
            let name = Array(type.rawValue.utf8)
            return (name.withUnsafeBytes { fingerprint($0) }, (type, name))
        })

    /// FNV-1a over the bytes.
    private static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}
