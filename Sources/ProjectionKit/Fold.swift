internal import CareLedger
internal import LMDBStore

/// One projection's work during a catch-up: the records it changed, held until each chunk
/// commits.
///
/// When the projection's database was empty as the catch-up began (a rebuild), every record it
/// holds was written by this fold, so the fold keeps them all in memory and never reads LMDB
/// back. Records of unique keys (one event's own) are never read back at all.
final class Fold {
    let projection: any Projection
    let db: Database
    private(set) var checkpoint = Checkpoint(seq: .zero, version: 0)
    /// The checkpoint this fold last committed, to notice another process folding in between.
    var committed: Checkpoint?
    /// Entity records touched (or, when ``isComplete``, all of them).
    private var records: [RecordKey: [Fact]] = [:]
    private var dirty: Set<RecordKey> = []
    /// Facts of unique keys, written at the next flush.
    private var pending: [KeyedFact] = []
    /// Retractions of facts under unique keys: (key, target seq, retraction seq).
    private var marks: [(RecordKey, Seq, Seq)] = []
    /// Whether ``records`` holds every entity record of the database.
    private(set) var isComplete = false
    /// Whether the database was empty when this chunk began, so its writes may append.
    private var appendable = false
    /// The derived entries written for each record in ``records``, to replace when it changes.
    private var derivedKeys: [RecordKey: [RecordKey]] = [:]

    /// The most entity records a complete fold keeps in memory before it falls back to reading LMDB.
    static let completeLimit = 4_000_000

    init(projection: any Projection, db: Database) {
        self.projection = projection
        self.db = db
    }

    /// Starts a chunk from the stored checkpoint.
    func begin(at stored: Checkpoint, empty: Bool) {
        appendable = empty
        if empty {
            if !isComplete || committed != nil && committed != stored {
                records.removeAll()
                derivedKeys.removeAll()
            }
            isComplete = true
        } else if committed != stored {
            // Another process folded in between, or this is the first chunk: trust only LMDB.
            isComplete = false
            records.removeAll()
            derivedKeys.removeAll()
        }
        checkpoint = stored
    }

    func append(_ keyed: KeyedFact, in txn: WriteTransaction) throws {
        if keyed.key.isUnique {
            pending.append(keyed)
            return
        }
        try load(keyed.key, in: txn)
        records[keyed.key]!.append(keyed.fact)
        dirty.insert(keyed.key)
    }

    func markRetracted(_ key: RecordKey, seq: Seq, at retraction: Seq, in txn: WriteTransaction) throws {
        if key.isUnique {
            marks.append((key, seq, retraction))
            return
        }
        try load(key, in: txn)
        for i in records[key]!.indices where records[key]![i].seq == seq && records[key]![i].retractedAt == nil {
            records[key]![i].retractedAt = retraction
        }
        dirty.insert(key)
    }

    /// Writes the chunk's records in key order: into a database that was empty when the chunk
    /// began (the first chunk of a rebuild), with `MDB_APPEND`, which skips the B-tree search.
    func flush(in txn: WriteTransaction) throws {
        var writes: [(key: RecordKey, value: [UInt8])] = []
        writes.reserveCapacity(pending.count + dirty.count)
        if !marks.isEmpty {
            // Retractions of facts under unique keys: in this chunk's pending facts, or stored.
            var pendingIndex: [RecordKey: Int] = [:]
            for (i, keyed) in pending.enumerated() { pendingIndex[keyed.key] = i }
            for (key, seq, retraction) in marks {
                if let i = pendingIndex[key] {
                    if pending[i].fact.seq == seq && pending[i].fact.retractedAt == nil { pending[i].fact.retractedAt = retraction }
                    continue
                }
                var facts = try stored(key, in: txn)
                for i in facts.indices where facts[i].seq == seq && facts[i].retractedAt == nil { facts[i].retractedAt = retraction }
                writes.append((key, FactCodec.encode(facts)))
            }
            marks.removeAll()
        }
        for keyed in pending { writes.append((keyed.key, FactCodec.encode([keyed.fact]))) }
        pending.removeAll()
        var stale: [RecordKey] = []
        for key in dirty {
            let facts = records[key]!
            writes.append((key, FactCodec.encode(facts)))
            let derived = projection.derived(from: key, facts: facts)
            let old = derivedKeys[key] ?? []
            guard !old.isEmpty || !derived.isEmpty else { continue }
            // Entries under one key make one record, in the order given.
            var grouped: [RecordKey: [Fact]] = [:]
            var order: [RecordKey] = []
            for entry in derived {
                if grouped[entry.key] == nil { order.append(entry.key) }
                grouped[entry.key, default: []].append(entry.fact)
            }
            stale += old.filter { grouped[$0] == nil }
            for entryKey in order { writes.append((entryKey, FactCodec.encode(grouped[entryKey]!))) }
            derivedKeys[key] = order
        }
        dirty.removeAll()
        for key in stale { try txn.delete(db, key: key.bytes) }
        writes.sort { $0.key < $1.key }
        let options: PutOptions = appendable && stale.isEmpty ? .append : []
        for write in writes { try txn.put(db, key: write.key.bytes, value: write.value, options: options) }
        appendable = false
        if !isComplete || records.count > Self.completeLimit {
            isComplete = false
            records.removeAll()
            derivedKeys.removeAll()
        }
    }

    /// Brings the stored record at `key` into the working set, once.
    private func load(_ key: RecordKey, in txn: WriteTransaction) throws {
        guard records[key] == nil else { return }
        if isComplete {
            records[key] = []
            return
        }
        let facts = try stored(key, in: txn)
        records[key] = facts
        let derived = projection.derived(from: key, facts: facts)
        if !derived.isEmpty { derivedKeys[key] = Array(Set(derived.map(\.key))) }
    }

    /// The record at `key` as the database holds it.
    private func stored(_ key: RecordKey, in txn: WriteTransaction) throws -> [Fact] {
        try ProjectionReader.record(key, of: projection.name, in: db, txn: txn)
    }
}
