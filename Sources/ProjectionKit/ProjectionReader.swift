internal import CareLedger
internal import LMDBStore

/// Read access to the projections' records, inside one read transaction of the store: what
/// queries use. Valid only inside ``ProjectionStore/read(_:)``.
public struct ProjectionReader {
    let txn: Transaction
    let databases: [String: Database]
    let checkpoints: Database

    /// The facts of the record at `key` in projection `name` (empty when there is none).
    public func facts(_ name: String, _ key: RecordKey) throws -> [Fact] {
        guard let db = databases[name] else { return [] }
        return try key.bytes.withUnsafeBytes { k in
            try txn.withValue(in: db, key: k) { raw in
                guard let raw else { return [] }
                guard let facts = FactCodec.decode(raw) else { throw damaged(name) }
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
        guard let db = databases[name] else { return }
        try txn.withCursor(db) { cursor in
            let start = from ?? prefix
            var found = start.isEmpty ? try cursor.move(.first) : try start.withUnsafeBytes { try cursor.move(.atOrAfter($0)) }
            while found {
                let key = cursor.key
                guard key.count >= prefix.count, prefix.elementsEqual(key[0..<prefix.count]) else { return }
                if let before, !key.lexicographicallyPrecedes(before) { return }
                guard let facts = FactCodec.decode(cursor.value) else { throw damaged(name) }
                guard try body(RecordKey(bytes: Array(key)), facts) else { return }
                found = try cursor.move(.next)
            }
        }
    }

    /// Like ``scan(_:prefix:from:before:_:)``, but `matters` first sees each record's stamps alone,
    /// and only the records it accepts are decoded and given to `body`: most records of a large
    /// scan are then never decoded.
    public func scan(
        _ name: String, prefix: [UInt8], from: [UInt8]? = nil, before: [UInt8]? = nil, where matters: ([FactStamp]) -> Bool,
        _ body: (RecordKey, [Fact]) throws -> Void
    ) throws {
        guard let db = databases[name] else { return }
        var stamps: [FactStamp] = []
        stamps.reserveCapacity(8)
        try txn.withCursor(db) { cursor in
            let start = from ?? prefix
            var found = start.isEmpty ? try cursor.move(.first) : try start.withUnsafeBytes { try cursor.move(.atOrAfter($0)) }
            while found {
                let key = cursor.key
                guard key.count >= prefix.count, prefix.elementsEqual(key[0..<prefix.count]) else { return }
                if let before, !key.lexicographicallyPrecedes(before) { return }
                stamps.removeAll(keepingCapacity: true)
                guard FactCodec.forEachStamp(cursor.value, { stamps.append($0) }) else { throw damaged(name) }
                if matters(stamps) {
                    guard let facts = FactCodec.decode(cursor.value) else { throw damaged(name) }
                    try body(RecordKey(bytes: Array(key)), facts)
                }
                found = try cursor.move(.next)
            }
        }
    }

    /// The checkpoint of projection `name`.
    public func checkpoint(_ name: String) throws -> Checkpoint {
        try Array(name.utf8).withUnsafeBytes { key in
            try txn.withValue(in: checkpoints, key: key) { raw in raw.flatMap(Checkpoint.init(encoded:)) ?? .none }
        }
    }

    private func damaged(_ name: String) -> LedgerError {
        LedgerError(.storage, "a record of the \(name) read model is damaged: rebuild it with `careledger projections rebuild \(name)`")
    }
}

@available(*, unavailable, message: "a reader borrows one thread's read transaction")
extension ProjectionReader: Sendable {}
