public import CareLedger
internal import LMDBStore

extension ProjectionStore {
    /// Folds into every projection (or those named) the events the log holds beyond its
    /// checkpoint; a projection whose code version changed is emptied and rebuilt from seq 1.
    /// Safe to run from several processes at once: checkpoints are read inside the write
    /// transaction, which LMDB serialises.
    /// - Parameter progress: called after each chunk with the seq reached and the head.
    /// - Returns: how many events of the log were read.
    @discardableResult
    public func catchUp(
        from ledger: Ledger, only names: Set<String>? = nil, progress: ((Seq, Seq) -> Void)? = nil
    ) throws(LedgerError) -> UInt64 {
        let selected = projections.filter { names?.contains($0.name) ?? true }
        // Most queries find nothing to do: answer that from a read transaction, without taking
        // the writer's lock or syncing a commit.
        let head = try ledger.head().seq
        if try isCurrent(at: head, selected) { return 0 }
        if environment.isReadOnly {
            throw LedgerError(.storage, "the read models in \(environment.path) are behind the log, and open for reading only")
        }
        var folded: UInt64 = 0
        let folds = selected.map { Fold(projection: $0, db: databases[$0.name]!, tallyDB: tallyDatabases[$0.name]!) }
        while true {
            let step = try writing { txn in try foldChunk(folds, from: ledger, in: txn) }
            folded += step.read
            if step.read > 0 { progress?(step.reached, step.head) }
            if step.reached >= step.head { return folded }
        }
    }

    /// Empties the named projections (all when `names` is empty) and folds the whole log into
    /// them again.
    public func rebuild(
        _ names: [String] = [], from ledger: Ledger, progress: ((Seq, Seq) -> Void)? = nil
    ) throws(LedgerError) {
        for name in names where projection(named: name) == nil {
            throw LedgerError(.usage, "no read model is called \"\(name)\"\(NearestName.hint(for: name, among: projections.map(\.name))): choose from \(projections.map(\.name).joined(separator: ", "))")
        }
        let chosen = Set(names.isEmpty ? projections.map(\.name) : names)
        try writing { txn in
            for name in chosen {
                try txn.removeAll(databases[name]!)
                try txn.removeAll(tallyDatabases[name]!)
                try txn.delete(checkpoints, key: Array(name.utf8))
            }
        }
        try catchUp(from: ledger, only: chosen, progress: progress)
    }

    /// Each projection's position and lag against the log's head.
    public func status(against ledger: Ledger) throws(LedgerError) -> [ProjectionStatus] {
        let head = try ledger.head().seq
        return try read { reader in
            try projections.map { projection in
                let checkpoint = try reader.checkpoint(projection.name)
                let records = try reader.txn.statistics(databases[projection.name]!).entries
                let lag = checkpoint.version == projection.version ? head.rawValue - min(head.rawValue, checkpoint.seq.rawValue) : head.rawValue
                return ProjectionStatus(name: projection.name, version: projection.version, checkpoint: checkpoint, lag: lag, records: records)
            }
        }
    }

    private struct Step {
        var read: UInt64
        var reached: Seq
        var head: Seq
    }

    /// One chunk: reads the checkpoints, folds up to ``chunkSize`` events and commits the records
    /// with the new checkpoints.
    private func foldChunk(_ folds: [Fold], from ledger: Ledger, in txn: WriteTransaction) throws -> Step {
        for fold in folds {
            let stored = try ProjectionReader(txn: txn, databases: databases, tallies: tallyDatabases, checkpoints: checkpoints).checkpoint(fold.projection.name)
            if stored.version != fold.projection.version {
                try txn.removeAll(fold.db)
                try txn.removeAll(fold.tallyDB)
                fold.begin(at: Checkpoint(seq: .zero, version: fold.projection.version), empty: true)
            } else {
                let empty = stored.seq == .zero ? try txn.statistics(fold.db).entries == 0 : false
                fold.begin(at: stored, empty: empty)
            }
        }
        return try ledger.withSnapshot { snapshot in
            let head = try snapshot.head().seq
            let low = folds.map(\.checkpoint.seq).min() ?? head
            guard low < head else {
                for fold in folds where fold.checkpoint.seq == .zero {
                    // Emptied for a new code version over an empty log: record the version.
                    try writeCheckpoint(fold.projection.name, fold.checkpoint, in: txn)
                }
                return Step(read: 0, reached: head, head: head)
            }
            // A rebuild holds its records in memory anyway: fold it in fewer, larger chunks.
            let limit = folds.allSatisfy(\.isComplete) ? rebuildChunkSize : chunkSize
            let end = Seq(min(head.rawValue, low.rawValue + limit))
            try replay(snapshot, from: low.next, through: end, folds: folds, txn: txn)
            for fold in folds { try fold.settleMarks(in: txn) }
            // The projections plan their writes on both cores; this thread writes each plan as
            // it is ready. After the last chunk the folds are dropped, so each lets go of its
            // working set on its planning thread rather than on this one.
            let last = end == head
            try concurrentMap(folds, { fold in fold.plan(releasingRecords: last) }) { index, plan in
                let fold = folds[index]
                try fold.write(plan, in: txn)
                let reached = Checkpoint(seq: max(fold.checkpoint.seq, end), version: fold.projection.version)
                try writeCheckpoint(fold.projection.name, reached, in: txn)
                fold.committed = reached
            }
            return Step(read: end.rawValue - low.rawValue, reached: end, head: head)
        }
    }

    /// Reads the log from `from` through `through`, parsing only the events some fold reads (on
    /// a second thread, ``ReplayPipeline``), and folds each in; a retraction marks the facts its
    /// target gave.
    private func replay(_ snapshot: LogSnapshot, from: Seq, through: Seq, folds: [Fold], txn: WriteTransaction) throws {
        try ReplayPipeline.replay(snapshot, from: from, through: through, interests: folds.map(\.interest)) { parsed in
            for fold in folds { try fold.fold(parsed.event, in: txn) }
            if let target = parsed.target {
                for fold in folds { try fold.retract(target, at: parsed.event.seq, in: txn) }
            }
        }
    }

    private func writeCheckpoint(_ name: String, _ checkpoint: Checkpoint, in txn: WriteTransaction) throws {
        try txn.put(checkpoints, key: Array(name.utf8), value: checkpoint.encoded)
    }

    func writing<Result>(_ body: (WriteTransaction) throws -> Result) throws(LedgerError) -> Result {
        do {
            return try environment.write(body)
        } catch {
            throw Self.failure(error, "updating the read models", folder: environment.path)
        }
    }
}
