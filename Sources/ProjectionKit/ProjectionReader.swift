internal import CareLedger
internal import LMDBStore
#if canImport(Glibc)
internal import Glibc
#endif

/// Read access to the projections' records, inside one read transaction of the store: what
/// queries use. Valid only inside ``ProjectionStore/read(_:)``.
public struct ProjectionReader {
    let txn: Transaction
    let databases: [String: Database]
    let tallies: [String: Database]
    let checkpoints: Database

    /// The facts of the record at `key` in projection `name` (empty when there is none).
    public func facts(_ name: String, _ key: RecordKey) throws -> [Fact] {
        guard let db = databases[name] else { return [] }
        return try Self.record(key, of: name, in: db, txn: txn)
    }

    /// The record at `key` of projection `name`'s database `db` (empty when there is none): for
    /// queries and for the engine's folds alike.
    static func record(_ key: RecordKey, of name: String, in db: Database, txn: Transaction) throws -> [Fact] {
        try key.withUnsafeBytes { k in
            try txn.withValue(in: db, key: k) { raw in
                guard let raw else { return [] }
                guard let facts = FactCodec.decode(raw) else { throw Self.damaged(name) }
                return facts
            }
        }
    }

    /// Calls `body` with each record of projection `name` whose key starts with `prefix` and
    /// lies at or after `from` (default: the prefix itself) and before `before`, in key order.
    /// `body` returns `false` to stop.
    public func scan(
        _ name: String, prefix: [UInt8], from: [UInt8]? = nil, before: [UInt8]? = nil,
        _ body: (RecordKey, [Fact]) throws -> Bool
    ) throws {
        try walk(name, prefix: prefix, from: from, before: before) { key, value in
            guard let facts = FactCodec.decode(value) else { throw Self.damaged(name) }
            return try body(RecordKey(bytes: key), facts)
        }
    }

    /// The facts of the record at `key` in projection `name`, read in place (empty when there is
    /// none): for a query that reads a record per row and needs few of its texts.
    public func withFacts<Result>(_ name: String, _ key: RecordKey, _ body: ([FactView]) throws -> Result) throws -> Result {
        guard let db = databases[name] else { return try body([]) }
        return try key.withUnsafeBytes { k in
            try txn.withValue(in: db, key: k) { raw in
                var views: [FactView] = []
                views.reserveCapacity(16)
                if let raw { guard FactCodec.forEachView(raw, { views.append($0) }) else { throw Self.damaged(name) } }
                return try body(views)
            }
        }
    }

    /// Like ``scan(_:prefix:from:before:_:)``, but `matters` first sees each record read in place,
    /// and only the records it accepts are decoded and given to `body`: most records of a large
    /// scan are then never decoded.
    public func scan(
        _ name: String, prefix: [UInt8], from: [UInt8]? = nil, before: [UInt8]? = nil, where matters: ([FactView]) -> Bool,
        _ body: (RecordKey, [Fact]) throws -> Void
    ) throws {
        try views(name, prefix: prefix, from: from, before: before) { key, views in
            if matters(views) { try body(RecordKey(bytes: key), views.map(Fact.init)) }
        }
    }

    /// Calls `body` with the key and the facts, read in place, of each record of projection
    /// `name` whose key starts with `prefix` and lies at or after `from` and before `before`:
    /// for index entries whose keys and times say most of what a query needs. The key's bytes and
    /// the array are valid during the call; the views in it, as long as the reader.
    public func views(
        _ name: String, prefix: [UInt8], from: [UInt8]? = nil, before: [UInt8]? = nil,
        _ body: (UnsafeRawBufferPointer, [FactView]) throws -> Void
    ) throws {
        var views: [FactView] = []
        try walk(name, prefix: prefix, from: from, before: before) { key, value in
            views.removeAll(keepingCapacity: true)
            guard FactCodec.forEachView(value, { views.append($0) }) else { throw Self.damaged(name) }
            try body(key, views)
            return true
        }
    }

    /// Calls `body` with each sum (``Tally``) of projection `name` whose key starts with `prefix`
    /// and lies at or after `from` and before `before`, in key order; the key's bytes are valid
    /// during the call.
    public func tallies(
        _ name: String, prefix: [UInt8], from: [UInt8]? = nil, before: [UInt8]? = nil,
        _ body: (UnsafeRawBufferPointer, TallyCounts) throws -> Void
    ) throws {
        try walk(tallies[name], prefix: prefix, from: from, before: before) { key, value in
            guard value.count % 4 == 0 else { throw Self.damaged(name) }
            try body(key, TallyCounts(bytes: value))
            return true
        }
    }

    /// The cursor walk both scans share: raw keys and values, valid during the call.
    private func walk(
        _ name: String, prefix: [UInt8], from: [UInt8]?, before: [UInt8]?,
        _ visit: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try walk(databases[name], prefix: prefix, from: from, before: before, visit)
    }

    private func walk(
        _ db: Database?, prefix: [UInt8], from: [UInt8]?, before: [UInt8]?,
        _ visit: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        guard let db else { return }
        try txn.withCursor(db) { cursor in
            let start = from ?? prefix
            var found = start.isEmpty ? try cursor.move(.first) : try start.withUnsafeBytes { try cursor.move(.atOrAfter($0)) }
            while found {
                let key = cursor.key
                guard Self.hasPrefix(key, prefix) else { return }
                if let before, !Self.precedes(key, before) { return }
                guard try visit(key, cursor.value) else { return }
                found = try cursor.move(.next)
            }
        }
    }

    private static func hasPrefix(_ key: UnsafeRawBufferPointer, _ prefix: [UInt8]) -> Bool {
        guard key.count >= prefix.count else { return false }
        return prefix.isEmpty || prefix.withUnsafeBytes { memcmp(key.baseAddress!, $0.baseAddress!, prefix.count) == 0 }
    }

    /// LMDB's key order: bytes as unsigned, a prefix first.
    private static func precedes(_ key: UnsafeRawBufferPointer, _ bound: [UInt8]) -> Bool {
        bound.withUnsafeBytes { bytesPrecede(key, $0) }
    }

    /// The checkpoint of projection `name`.
    public func checkpoint(_ name: String) throws -> Checkpoint {
        try Array(name.utf8).withUnsafeBytes { key in
            try txn.withValue(in: checkpoints, key: key) { raw in raw.flatMap(Checkpoint.init(encoded:)) ?? .none }
        }
    }

    private static func damaged(_ name: String) -> LedgerError {
        LedgerError(.storage, "a record of the \(name) read model is damaged: rebuild it with `careledger projections rebuild \(name)`")
    }
}

@available(*, unavailable, message: "a reader borrows one thread's read transaction")
extension ProjectionReader: Sendable {}
