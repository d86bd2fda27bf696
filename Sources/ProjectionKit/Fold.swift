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
    /// The projection's sums (``Tally``), in a database of their own.
    let tallyDB: Database
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
    /// The tallies each record in ``records`` last added to the sums, to take back when it changes.
    private var tallied: [RecordKey: [Tally]] = [:]

    /// The most entity records a complete fold keeps in memory before it falls back to reading LMDB.
    static let completeLimit = 4_000_000

    init(projection: any Projection, db: Database, tallyDB: Database) {
        self.projection = projection
        self.interests = EventTypes(projection.interests)
        self.db = db
        self.tallyDB = tallyDB
    }

    /// Starts a chunk from the stored checkpoint.
    func begin(at stored: Checkpoint, empty: Bool) {
        appendable = empty
        if empty {
            if !isComplete || committed != nil && committed != stored {
                forgetRecords()
            }
            isComplete = true
        } else if committed != stored {
            // Another process folded in between, or this is the first chunk: trust only LMDB.
            isComplete = false
            forgetRecords()
        }
        checkpoint = stored
        everyRecordDirty = records.isEmpty
    }

    /// Whether every record in ``records`` changed in this chunk, because none was there when it
    /// began (a rebuild's first chunk, or any chunk of a fold that reads LMDB back): then the
    /// records' keys are the dirty set, and a rebuild need not keep a second set of every key.
    private var everyRecordDirty = false

    private func markDirty(_ key: RecordKey) {
        if !everyRecordDirty { dirty.insert(key) }
    }

    /// Whether this projection reads events of `type` and has not folded in the one at `seq`.
    func reads(_ type: EventType, at seq: Seq) -> Bool { interest.reads(type, at: seq) }

    /// The events this fold still needs, as a value another thread may ask.
    var interest: ReplayInterest { ReplayInterest(after: checkpoint.seq, types: interests) }
    /// The projection's interests, as bits.
    private let interests: EventTypes

    /// Folds `event` in, when this projection reads it.
    func fold(_ event: ProjectedEvent, in txn: WriteTransaction) throws {
        guard reads(event.type, at: event.seq) else { return }
        for keyed in projection.facts(for: event) { try append(keyed, in: txn) }
    }

    /// Marks retracted, by the retraction at `retraction`, the facts `target` gave.
    func retract(_ target: ProjectedEvent, at retraction: Seq, in txn: WriteTransaction) throws {
        guard reads(target.type, at: retraction) else { return }
        for keyed in projection.facts(for: target) { try markRetracted(keyed.key, seq: target.seq, at: retraction, in: txn) }
    }

    func append(_ keyed: KeyedFact, in txn: WriteTransaction) throws {
        if keyed.key.isUnique {
            pending.append(keyed)
            return
        }
        if isComplete {
            // Every record is in memory (a rebuild): one lookup, not a load and then an append.
            records[keyed.key, default: []].append(keyed.fact)
        } else {
            try load(keyed.key, in: txn)
            records[keyed.key]!.append(keyed.fact)
        }
        markDirty(keyed.key)
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
        markDirty(key)
    }

    /// What one chunk's flush writes, worked out without the transaction (``plan(releasingRecords:)``), so that
    /// the projections' plans can be made on both cores at once and then written one after
    /// another (``write(_:in:)``), as LMDB's one writer requires.
    struct FlushPlan {
        /// Records to write, in key order.
        var writes = PackedRecords()
        /// Derived entries no longer derived, to delete.
        var stale: [RecordKey] = []
        /// Changes to the sums (each encoded as a sum is), in key order.
        var deltas = PackedRecords()
    }

    /// Changes to the sums gathered by ``settleMarks(in:)`` and ``plan(releasingRecords:)``.
    private var deltas: [RecordKey: [Int32]] = [:]
    /// Stored records whose facts ``settleMarks(in:)`` marked retracted, to write again.
    private var remarked = PackedRecords()

    /// The part of a flush that reads the transaction: retractions of facts under unique keys,
    /// marked in this chunk's pending facts, or in the stored record (taking back its sums and
    /// adding them again).
    func settleMarks(in txn: WriteTransaction) throws {
        guard !marks.isEmpty else { return }
        var pendingIndex: [RecordKey: Int] = [:]
        for (i, keyed) in pending.enumerated() { pendingIndex[keyed.key] = i }
        for (key, seq, retraction) in marks {
            if let i = pendingIndex[key] {
                if pending[i].fact.seq == seq && pending[i].fact.retractedAt == nil { pending[i].fact.retractedAt = retraction }
                continue
            }
            var facts = try stored(key, in: txn)
            tally(key, facts, sign: -1)
            for i in facts.indices where facts[i].seq == seq && facts[i].retractedAt == nil { facts[i].retractedAt = retraction }
            tally(key, facts, sign: 1)
            remarked.append(key, encoding: facts)
        }
        marks.removeAll()
    }

    /// Works out the chunk's writes from the fold's own state alone: the encoded records, the
    /// derived entries to write and to delete, the sums' changes, each sorted by key. Touches no
    /// other fold and no transaction, so folds may plan on threads of their own.
    /// - Parameter releasingRecords: whether to drop the working set once planned, when no
    ///   chunk follows: freeing a rebuild's records takes a while, better spent on the thread that
    ///   plans than on the one that writes.
    func plan(releasingRecords: Bool) -> FlushPlan {
        defer {
            if releasingRecords {
                isComplete = false
                forgetRecords()
            }
        }
        var plan = FlushPlan()
        plan.writes = remarked
        remarked = PackedRecords()
        let changed = everyRecordDirty ? Array(records.keys) : Array(dirty)
        dirty.removeAll()
        everyRecordDirty = false
        plan.writes.reserve(records: plan.writes.count + pending.count + changed.count)
        // Most of a rebuild's records are these: one array, refilled for each, serves the
        // encoder and the tallies, rather than one made and freed per fact.
        var record: [Fact] = []
        record.reserveCapacity(1)
        for keyed in pending {
            record.removeAll(keepingCapacity: true)
            record.append(keyed.fact)
            plan.writes.append(keyed.key, encoding: record)
            tally(keyed.key, record, sign: 1)
        }
        pending.removeAll()
        for key in changed {
            let facts = records[key]!
            plan.writes.append(key, encoding: facts)
            let tallies = projection.tallies(from: key, facts: facts)
            if !tallies.isEmpty || tallied[key] != nil {
                // Take back what the record added before this chunk, add what it adds now (and
                // keep that for the next chunk, unless none follows).
                for old in tallied[key] ?? [] { old.add(into: &deltas[old.key, default: []], sign: -1) }
                for new in tallies { new.add(into: &deltas[new.key, default: []]) }
                if !releasingRecords { tallied[key] = tallies.isEmpty ? nil : tallies }
            }
            let derived = projection.derived(from: key, facts: facts)
            let old = derivedKeys[key] ?? []
            guard !old.isEmpty || !derived.isEmpty else { continue }
            // Entries under one key make one record, in the order given. A record derives a few
            // keys, each mostly from entries in a row: a list searched from its end costs less
            // than a dictionary made for every record.
            var groups: [(key: RecordKey, facts: [Fact])] = []
            for entry in derived {
                if let i = groups.lastIndex(where: { $0.key == entry.key }) {
                    groups[i].facts.append(entry.fact)
                } else {
                    groups.append((entry.key, [entry.fact]))
                }
            }
            plan.stale += old.filter { oldKey in !groups.contains { $0.key == oldKey } }
            for group in groups { plan.writes.append(group.key, encoding: group.facts) }
            if !releasingRecords { derivedKeys[key] = groups.map(\.key) }
        }
        plan.writes.sortByKey()
        plan.deltas.reserve(records: deltas.count)
        for (key, delta) in deltas where delta.contains(where: { $0 != 0 }) { plan.deltas.append(key, counts: delta) }
        plan.deltas.sortByKey()
        deltas.removeAll()
        return plan
    }

    /// Writes a plan: into a database that was empty when the chunk began (the first chunk of a
    /// rebuild), through an ``Appender``, which skips the B-tree search.
    func write(_ plan: FlushPlan, in txn: WriteTransaction) throws {
        for key in plan.stale { _ = try key.withUnsafeBytes { key in try txn.delete(db, key: key) } }
        if appendable && plan.stale.isEmpty {
            try txn.withAppender(db) { appender in try plan.writes.forEach { key, value in try appender.append(key: key, value: value) } }
        } else {
            try plan.writes.forEach { key, value in try txn.put(db, key: key, value: value) }
        }
        try addToSums(plan.deltas, in: txn)
        appendable = false
        if !isComplete || records.count > Self.completeLimit {
            isComplete = false
            forgetRecords()
        }
    }

    /// Adds a record's tallies into the chunk's changes to the sums.
    private func tally(_ key: RecordKey, _ facts: [Fact], sign: Int32) {
        for tally in projection.tallies(from: key, facts: facts) { tally.add(into: &deltas[tally.key, default: []], sign: sign) }
    }

    /// Adds each delta to its stored sum; a sum that comes to all zeros is removed, as a rebuild
    /// would never have written it.
    private func addToSums(_ deltas: PackedRecords, in txn: WriteTransaction) throws {
        if appendable {
            // Nothing stored yet: each (non-zero) delta is its sum, already encoded.
            try txn.withAppender(tallyDB) { appender in try deltas.forEach { key, sum in try appender.append(key: key, value: sum) } }
            return
        }
        try deltas.forEach { key, encodedDelta in
            var sum = try txn.withValue(in: tallyDB, key: key) { raw in
                guard let raw else { return [Int32]() }
                guard let counts = TallyCodec.decode(raw) else {
                    throw LedgerError(.storage, "a sum of the \(projection.name) read model is damaged: rebuild it with `careledger projections rebuild \(projection.name)`")
                }
                return counts
            }
            TallyCodec.add(TallyCodec.decode(encodedDelta) ?? [], into: &sum)
            if sum.allSatisfy({ $0 == 0 }) {
                try txn.delete(tallyDB, key: key)
            } else {
                try TallyCodec.encode(sum).withUnsafeBytes { try txn.put(tallyDB, key: key, value: $0) }
            }
        }
    }

    /// Drops the working set (and what it derived), to be read again from LMDB.
    private func forgetRecords() {
        records.removeAll()
        derivedKeys.removeAll()
        tallied.removeAll()
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
        let tallies = projection.tallies(from: key, facts: facts)
        if !tallies.isEmpty { tallied[key] = tallies }
    }

    /// The record at `key` as the database holds it.
    private func stored(_ key: RecordKey, in txn: WriteTransaction) throws -> [Fact] {
        try ProjectionReader.record(key, of: projection.name, in: db, txn: txn)
    }
}
