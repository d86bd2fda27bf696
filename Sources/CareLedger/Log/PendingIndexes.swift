internal import LMDBStore

/// The id, stream and type index entries of the events a batch has appended, gathered in memory
/// and written to their databases sorted, in one pass each, before the batch commits.
///
/// Written as each event arrived, the id and stream entries were random inserts: each descended
/// its B-tree from the root to a page far from the last one (event ids are random UUIDs, a
/// worker's events are spread through an import). Sorted, they are written through one cursor
/// that mostly stays on its page, and into an empty or younger index they are appends. The
/// batch's rules read these entries here until they are written, and from the databases after.
///
/// The entries are written whenever ``isFull`` says so and when the batch finishes, so an import
/// of any size holds at most ``capacity`` events' entries in memory, and beyond them only the
/// 16 bytes of each written id: enough to know, without a lookup in the write transaction (whose
/// every page LMDB must first seek among the transaction's dirty pages), that an id is the batch's.
///
/// A class: the writer reads it once per event or more, and a struct held by the writer (a class)
/// was copied whole for each read. Used by its batch's one thread, so its state skips the
/// run-time exclusivity check (as ``BatchWriter``'s does).
final class PendingIndexes {
    /// An event id's entry: where the event is, and its type (what a retraction needs to know).
    struct IDEntry {
        let seq: Seq
        let typeCode: UInt8
    }

    /// A stream as the batch sees it: its version and, while it has unwritten entries, its slot
    /// in ``unwrittenStreams`` for the current round (``round``).
    private struct StreamState {
        var version: UInt64
        var slot: UInt32 = 0
        var round: UInt32 = 0
    }

    /// A `streams` entry not yet written: its stream's slot, and the value as the database keeps
    /// it (version and seq, big-endian).
    private struct StreamEntry {
        let slot: UInt32
        let version: UInt64
        let seq: UInt64
    }

    /// Events whose entries are held before they are written, unless the ledger says otherwise:
    /// about 80 bytes each.
    static let capacity = 1 << 18

    /// How many events' entries this batch holds before it writes them.
    let capacity: Int

    let ids = PrehashedTable<EventID, IDEntry>()
    /// The ids already written by this batch, one sorted run per write, and a filter of two bits
    /// per id (in one word, so one memory read), so that most ids that are not among them are
    /// known so without a search. Its 2^26 bits (8 MiB) keep a miss taken for a hit, which then
    /// searches every run, under 1% up to 3 million written ids; 2^24 bits with one bit per id
    /// let 14% through at 2.6 million. It is made at the first question, not at the first write:
    /// most batches write once, at their end, and are never asked.
    @exclusivity(unchecked) private var writtenIDs: [[EventID]] = []
    @exclusivity(unchecked) private var writtenFilter: [UInt64] = []
    private static let filterWords = 1 << 20

    private let streams = PrehashedTable<StreamName, StreamState>()
    /// This round's streams with entries, by slot, and the entries in the order they came.
    @exclusivity(unchecked) private var unwrittenStreams: [String] = []
    @exclusivity(unchecked) private var streamEntries: [StreamEntry] = []
    /// Counts the writes; round 0 is never current, so a new stream has no slot.
    @exclusivity(unchecked) private var round: UInt32 = 1
    /// Unwritten seqs (big-endian) by type code.
    @exclusivity(unchecked) private var types: [[UInt64]] = Array(repeating: [], count: Int(UInt8.max) + 1)
    @exclusivity(unchecked) private(set) var count = 0

    init(capacity: Int = PendingIndexes.capacity) {
        precondition(capacity > 0, "a batch holds at least one event's index entries")
        self.capacity = capacity
    }

    var isFull: Bool { count >= capacity }

    /// Whether `id` is one of the batch's ids already written to the index (where the write
    /// transaction finds its entry).
    func wasWritten(_ id: EventID) -> Bool {
        guard !writtenIDs.isEmpty else { return false }
        if writtenFilter.isEmpty {
            writtenFilter = Array(repeating: 0, count: Self.filterWords)
            for run in writtenIDs { addToFilter(run) }
        }
        let (word, bits) = Self.filterBits(id)
        guard writtenFilter[word] & bits == bits else { return false }
        return writtenIDs.contains { run in
            var low = 0, high = run.count
            while low < high {
                let middle = (low + high) / 2
                if run[middle].precedes(id) { low = middle + 1 } else { high = middle }
            }
            return low < run.count && run[low] == id
        }
    }

    /// The id's word and its two bits there: from its table hash, which mixes both halves of the
    /// id (ids the ledger makes share their high, time, bits); the word from the hash's top bits,
    /// the bits from its lowest twelve.
    private static func filterBits(_ id: EventID) -> (word: Int, bits: UInt64) {
        let hash = id.prehash
        return (Int(truncatingIfNeeded: hash >> 44) & (filterWords - 1), 1 << (hash & 63) | 1 << (hash >> 6 & 63))
    }

    private func addToFilter(_ run: [EventID]) {
        for id in run {
            let (word, bits) = Self.filterBits(id)
            writtenFilter[word] |= bits
        }
    }

    /// The version of `stream` as the batch sees it, if the batch has read or written it.
    func version(of stream: StreamName) -> UInt64? { streams[stream]?.version }

    /// Remembers the version of `stream` read from the log, so it is read once per batch; the
    /// batch has not read or written it before.
    func remember(_ stream: StreamName, version: UInt64) {
        streams.insert(stream, StreamState(version: version))
    }

    /// The seqs of `stream`'s events appended by the batch and not yet written to the index.
    func unwrittenSeqs(of stream: StreamName) -> [Seq] {
        guard let state = streams[stream], state.round == round else { return [] }
        return streamEntries.filter { $0.slot == state.slot }.map { Seq(UInt64(bigEndian: $0.seq)) }
    }

    /// Records the entries of the event at `seq`: its id, its stream at `version` and its type.
    /// The caller has checked that the id is new to the log and to the batch.
    func add(id: EventID, seq: Seq, stream: StreamName, version: UInt64, typeCode: UInt8) {
        ids.insert(id, IDEntry(seq: seq, typeCode: typeCode))
        let position = streams.position(of: stream) ?? streams.insert(stream, StreamState(version: 0))
        var state = streams[position: position]
        state.version = version
        if state.round != round {
            state.round = round
            state.slot = UInt32(unwrittenStreams.count)
            unwrittenStreams.append(stream.text)
        }
        streams[position: position] = state
        let slot = state.slot
        streamEntries.append(StreamEntry(slot: slot, version: version.bigEndian, seq: seq.rawValue.bigEndian))
        types[Int(typeCode)].append(seq.rawValue.bigEndian)
        count += 1
    }

    /// Writes every held entry, sorted, to `db`'s indexes in `txn`, and forgets them (keeping the
    /// streams' versions).
    func write(to db: LogDatabases, in txn: WriteTransaction) throws {
        guard count > 0 else { return }
        try writeIDs(to: db.eventIds, in: txn)
        try writeStreams(to: db.streams, in: txn)
        try writeTypes(to: db.types, in: txn)
        ids.removeAll()
        count = 0
    }

    private func writeIDs(to database: Database, in txn: WriteTransaction) throws {
        let sorted = EventID.sortedInIndexOrder(ids.keys, ids.values)
        let run = sorted.map(\.0)
        writtenIDs.append(run)
        if !writtenFilter.isEmpty { addToFilter(run) }
        try txn.withSortedInserter(database) { inserter in
            for (id, entry) in sorted {
                // The tuple (UInt64, UInt8) is 16 bytes in memory; the entry is its first 9.
                var value = (entry.seq.rawValue.bigEndian, entry.typeCode)
                try id.withKey { key in
                    try withUnsafeBytes(of: &value) { value in
                        try inserter.insert(key: key, value: UnsafeRawBufferPointer(rebasing: value[0..<9]))
                    }
                }
            }
        }
    }

    private func writeStreams(to database: Database, in txn: WriteTransaction) throws {
        // The streams in the database's order of their names; then each stream's entries, still
        // in the order they came (so by version), gathered by a counting sort. The names are
        // sorted as slices of one buffer: an array of arrays was retained and released at every
        // comparison, three quarters of the sort's work.
        var nameBytes: [UInt8] = []
        var nameRanges: [Range<Int>] = []
        nameRanges.reserveCapacity(unwrittenStreams.count)
        for name in unwrittenStreams {
            let start = nameBytes.count
            nameBytes.append(contentsOf: name.utf8)
            nameRanges.append(start..<nameBytes.count)
        }
        let order = nameBytes.withUnsafeBytes { bytes in
            nameRanges.withUnsafeBufferPointer { ranges in
                ranges.indices.sorted { a, b in
                    LMDBKeyOrder.compare(UnsafeRawBufferPointer(rebasing: bytes[ranges[a]]), UnsafeRawBufferPointer(rebasing: bytes[ranges[b]])) < 0
                }
            }
        }
        var counts = [Int](repeating: 0, count: nameRanges.count)
        for entry in streamEntries { counts[Int(entry.slot)] += 1 }
        var offsets = [Int](repeating: 0, count: nameRanges.count)
        var next = 0
        for slot in order {
            offsets[slot] = next
            next += counts[slot]
        }
        var values = [UInt64](repeating: 0, count: streamEntries.count * 2)
        var fill = offsets
        for entry in streamEntries {
            let at = fill[Int(entry.slot)]
            values[2 * at] = entry.version
            values[2 * at + 1] = entry.seq
            fill[Int(entry.slot)] = at + 1
        }
        try txn.withSortedInserter(database) { inserter in
            try values.withUnsafeBytes { values in
                try nameBytes.withUnsafeBytes { names in
                    for slot in order {
                        let count = counts[slot]
                        let entries = UnsafeRawBufferPointer(rebasing: values[(16 * offsets[slot])..<(16 * (offsets[slot] + count))])
                        let key = UnsafeRawBufferPointer(rebasing: names[nameRanges[slot]])
                        try inserter.appendDuplicates(key: key, values: entries, count: count)
                    }
                }
            }
        }
        unwrittenStreams.removeAll(keepingCapacity: true)
        streamEntries.removeAll(keepingCapacity: true)
        round += 1
    }

    private func writeTypes(to database: Database, in txn: WriteTransaction) throws {
        let codes = try types.indices.filter { !types[$0].isEmpty }.map { code in
            guard let type = EventTypeCode.type(of: UInt8(code)) else {
                throw LedgerError(.storage, "an event of this batch has type code \(code), which names no event type")
            }
            return (Array(type.rawValue.utf8), code)
        }.sorted { LMDBKeyOrder.precedes($0.0, $1.0) }
        try txn.withSortedInserter(database) { inserter in
            for (key, code) in codes {
                try key.withUnsafeBytes { key in
                    try types[code].withUnsafeBytes { values in
                        try inserter.appendDuplicates(key: key, values: values, count: types[code].count)
                    }
                }
                types[code].removeAll(keepingCapacity: true)
            }
        }
    }
}

extension EventID {
    /// The index's order: the 16 bytes big-endian, so the high word first.
    func precedes(_ other: EventID) -> Bool { (high, low) < (other.high, other.low) }

    /// `ids` and their `values`, in the index's order.
    ///
    /// Spread first into 65,536 buckets by the top 16 bits, then each bucket sorted: random
    /// (version 4) ids leave a handful in each, so the sort is about linear, where comparing
    /// whole ids took about a tenth of the committing thread's work. Ids the ledger makes share
    /// their top bits (a time); their bucket is sorted as a whole, and they come nearly in order.
    static func sortedInIndexOrder<Value>(_ ids: [EventID], _ values: [Value]) -> [(EventID, Value)] {
        precondition(ids.count == values.count, "one value per id")
        var starts = [Int](repeating: 0, count: (1 << 16) + 1)
        for id in ids { starts[Int(id.high >> 48) + 1] += 1 }
        for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
        var next = starts
        var placed = [Int](repeating: 0, count: ids.count)
        for (index, id) in ids.enumerated() {
            let bucket = Int(id.high >> 48)
            placed[next[bucket]] = index
            next[bucket] += 1
        }
        var sorted = placed.map { (ids[$0], values[$0]) }
        for bucket in 0..<(1 << 16) where starts[bucket + 1] - starts[bucket] > 1 {
            sorted[starts[bucket]..<starts[bucket + 1]].sort { $0.0.precedes($1.0) }
        }
        return sorted
    }
}
