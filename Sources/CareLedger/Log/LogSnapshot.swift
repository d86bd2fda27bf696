internal import LMDBStore

/// One consistent view of the log, for readers that need more than ``Ledger/readEvents(_:limit:_:)``:
/// the projection engine replays the raw canonical bytes, resolves retraction targets and walks
/// streams, all from the same snapshot. Valid only inside ``Ledger/withSnapshot(_:)``: it
/// borrows that call's read transaction, so it must not be kept, and another thread may use it
/// only while the thread that called ``Ledger/withSnapshot(_:)`` waits for it (the transaction
/// is opened with `MDB_NOTLS`; one user at a time).
public struct LogSnapshot {
    let txn: Transaction
    let databases: LogDatabases

    init(txn: Transaction, databases: LogDatabases) {
        self.txn = txn
        self.databases = databases
    }

    /// The head of the log in this snapshot.
    public func head() throws -> LogHead { try databases.head(in: txn) }

    /// Calls `body` with the seq and canonical bytes (the stored form minus `hash`) of every event
    /// from `from` through `through`, in order. The bytes are valid only during the call.
    public func replay(
        from: Seq, through: Seq, _ body: (Seq, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard from <= through else { return }
        try txn.withCursor(databases.events) { cursor in
            var found = try from.key.withUnsafeBytes { try cursor.move(.atOrAfter($0)) }
            while found {
                let seq = try storedSeq(cursor.key, in: "a key of the events")
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
    public func storedEvent(at seq: Seq) throws -> StoredEvent? { try databases.storedEvent(seq, in: txn) }

    /// The seq of the event with `id`, if the log holds it.
    public func seq(of id: EventID) throws -> Seq? { try databases.seq(of: id, in: txn) }

    /// The seq of the `EventRetracted` that retracted the event at `seq`, if one did.
    public func retraction(of seq: Seq) throws -> Seq? { try databases.retraction(of: seq, in: txn) }

    /// The seqs of every event of `stream`, in stream order (which is seq order).
    public func seqs(inStream stream: StreamID) throws -> [Seq] {
        try databases.seqs(inStream: stream.rawValue, in: txn)
    }

    /// The id a person likely meant by `id` (``EntityID/likelyMeant(_:)``: in capitals, or its
    /// number's leading zeros as written) whose `kind` stream has events (at or before `last`,
    /// when given), for a refusal of `id` to end with.
    public func likelyMeant(_ id: String, kind: String, upTo last: Seq? = nil) throws -> EntityID.Meant? {
        for meant in EntityID.likelyMeant(id) {
            guard let stream = StreamID("\(kind)-\(meant.id)") else { continue }
            // A stream's seqs ascend: its first is the earliest it has.
            if let first = try seqs(inStream: stream).first, first <= (last ?? first) { return meant }
        }
        return nil
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

    /// The head as it stood at `instant`: the digest that figures known then rest on, which a
    /// board can quote beside them and an auditor later check with `verify --digest`.
    public func head(knownAt instant: Instant) throws -> LogHead {
        let seq = try lastSeq(knownAt: instant)
        guard seq != .zero else { return .empty }
        guard let event = try storedEvent(at: seq) else {
            throw LedgerError(.verificationFailed, "the log has no stored event at seq \(seq), below its head")
        }
        return LogHead(seq: seq, hash: event.hash, recordedAt: try recordedAt(seq))
    }

    /// The `recordedAt` of the event at `seq`, read from its canonical bytes.
    public func recordedAt(_ seq: Seq) throws -> Instant? { try databases.recordedAt(seq, in: txn) }
}

extension Ledger {
    /// Calls `body` with one consistent snapshot of the log.
    public func withSnapshot<Result>(_ body: (LogSnapshot) throws -> Result) throws(LedgerError) -> Result {
        try reading { txn in try body(LogSnapshot(txn: txn, databases: databases)) }
    }
}

@available(*, unavailable, message: "a snapshot borrows one thread's read transaction")
extension LogSnapshot: Sendable {}
