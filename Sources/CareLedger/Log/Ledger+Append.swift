internal import LMDBStore
internal import LedgerJSON

extension Ledger {
    /// Appends one atomic batch: every event lands, in order, or none does.
    ///
    /// - Parameters:
    ///   - body: NDJSON (one event a line), one event object, or the batch form
    ///     `{"events": [...], "expectedVersions": {"worker-W-1": 4}}`.
    ///   - expectedVersions: more expectations, beside any in the body (these win for a stream named in both).
    /// - Throws: ``LedgerError`` `rejected` naming the event, the JSON pointer and the rule; `conflict`
    ///   for an expected version that does not hold or an id reused with other content.
    public func append(body: [UInt8], expectedVersions: [StreamID: StreamVersion] = [:]) throws(LedgerError) -> AppendResult {
        try append(body: body, expectedVersions: expectedVersions) { expected, write throws(LedgerError) in
            try writeBatch(expected: expected, write)
        }
    }

    /// Appends several independent batches in one write transaction, synced once (group
    /// commit): each batch is atomic on its own, in a transaction nested in the shared one, so a
    /// refused batch leaves the others to land. Batches land in the order given.
    /// - Returns: each batch's outcome, in order.
    public func appendGroup(_ bodies: [[UInt8]]) throws(LedgerError) -> [Result<AppendResult, LedgerError>] {
        do {
            return try environment.write { txn in
                bodies.map { body in
                    Result { () throws(LedgerError) in
                        try append(body: body, expectedVersions: [:]) { expected, write throws(LedgerError) in
                            do {
                                let (positions, head) = try txn.nested { child in
                                    // Read through the shared transaction: it holds the group's earlier batches.
                                    try runBatch(in: child, readingBefore: child, expected: expected, write)
                                }
                                return AppendResult(positions: positions, head: head)
                            } catch let error as LedgerError {
                                throw error
                            } catch {
                                throw LedgerError.storage(error, "appending", nothingWritten: true)
                            }
                        }
                    }
                }
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError.storage(error, "appending a group of batches", nothingWritten: true)
        }
    }

    /// Parses `body` in any of its forms and has `write` append it as one batch.
    /// - Parameter check: for a check, takes each event's refusal (see
    ///   ``BatchCheck/refusesOneEvent(_:)``), and each event that lands, and goes on to the next
    ///   event; `nil` to stop at the first refusal.
    private func append(
        body: [UInt8], expectedVersions: [StreamID: StreamVersion], check: CheckProblems? = nil,
        write: ([StreamID: StreamVersion], (BatchWriter) throws -> [EventPosition]) throws(LedgerError) -> AppendResult
    ) throws(LedgerError) -> AppendResult {
        let body = FileLineReader.startsWithByteOrderMark(body) ? Array(body.dropFirst(3)) : body
        /// One event's append, or, for a check, its refusal passed on. A refusal of a reference
        /// to something a later event of the batch creates says which (as a check's does).
        func attempt(at location: EventLocation, _ append: () throws -> EventPosition) throws -> EventPosition? {
            guard let check else {
                do { return try append() } catch let error as LedgerError {
                    guard let missing = error.missingStream, let creator = Self.laterCreator(of: missing, in: body, after: location) else { throw error }
                    throw CheckProblems.naming(creator, of: missing, in: error)
                }
            }
            do {
                let position = try append()
                check.landed(position, at: location)
                return position
            } catch let error as LedgerError {
                guard BatchCheck.refusesOneEvent(error) else { throw error }
                check.append(error)
                return nil
            }
        }
        var document = JSONDocument()
        let wholeParses = (try? document.parse(body)) != nil
        if wholeParses, document.kind(document.root) == .object {
            if Self.isBatchForm(document) {
                let (roots, expected) = try batchForm(document)
                let merged = expected.merging(expectedVersions) { _, flag in flag }
                return try write(merged) { writer in
                    try roots.enumerated().compactMap { index, root in
                        try attempt(at: .index(index)) { try writer.append(document, root: root, location: .index(index)) }
                    }
                }
            }
            // One event object: a one-line NDJSON text, or an event written over several lines,
            // named by the line it begins on (after blank lines, as NDJSON's lines are counted).
            let line = EventLocation.line(1 + body.prefix { [0x20, 0x09, 0x0A, 0x0D].contains($0) }.count { $0 == 0x0A })
            return try write(expectedVersions) { writer in
                try attempt(at: line) { try writer.append(document, root: document.root, location: line) }.map { [$0] } ?? []
            }
        }
        if wholeParses, document.kind(document.root) == .array {
            throw LedgerError(.rejected, "a JSON array is not a batch: send {\"events\": [...]} (with \"expectedVersions\" if you need them), or NDJSON, one event a line", pointer: "")
        }
        if wholeParses {
            throw LedgerError(.rejected, "expected an event object, NDJSON (one event a line) or {\"events\": [...]}", pointer: "")
        }
        return try write(expectedVersions) { writer in
            var positions: [EventPosition] = []
            var lines = LineSplitter(body)
            var line = JSONDocument()
            var events = 0
            while let (number, bytes) = lines.next() {
                events += 1
                let position = try attempt(at: .line(number)) {
                    try Self.parse(bytes, into: &line, lineNumber: number)
                    return try writer.append(line, root: line.root, location: .line(number))
                }
                if let position { positions.append(position) }
            }
            guard events > 0 else { throw LedgerError(.rejected, "the input holds no events") }
            return positions
        }
    }

    /// Checks one batch as ``append(body:expectedVersions:)`` would append it, against the log as
    /// it stands, and writes nothing: every event it would refuse, and every expected version
    /// that does not hold, not only the first.
    ///
    /// An event refused is left out, as if it had not been sent, so an event that relies on it
    /// may be refused too. It holds the writers' lock while it runs, as an append does.
    public func checkAppend(body: [UInt8], expectedVersions: [StreamID: StreamVersion] = [:]) throws(LedgerError) -> BatchCheck {
        let problems = CheckProblems()
        let result = try append(body: body, expectedVersions: expectedVersions, check: problems) { expected, events throws(LedgerError) in
            let (positions, head) = try writeBatch(expected: [:], lands: false) { writer in
                do { try writer.checkExpectations(expected) } catch let error as LedgerError {
                    guard error.code == .conflict else { throw error }
                    problems.append(error)  // a conflict of the batch as a whole; its events are checked still
                }
                return try events(writer)
            }
            return AppendResult(positions: positions, head: head)
        }
        let duplicates = result.positions.count { $0.wasDuplicate }
        return BatchCheck(events: result.positions.count + problems.refusedEvents, wouldAppend: result.positions.count - duplicates,
                          duplicates: duplicates, problems: problems.problems, complete: true, datedAhead: problems.datedAhead,
                          refused: problems.refusedEvents, unlisted: problems.unlisted)
    }

    /// Imports an NDJSON file of any size as one atomic batch, reading it a block at a time so
    /// that memory stays flat however large the file is.
    /// - Parameter progress: called every few thousand events with (events read, bytes read, file size).
    public func importNDJSON(
        path: String, progress: ((Int, Int, Int) -> Void)? = nil
    ) throws(LedgerError) -> ImportSummary {
        let reader = try Self.openNDJSON(path)
        let pipeline = PreparationPipeline(reader: reader, catalogue: catalogue)
        var datedAhead = DatedAhead(today: Instant.now().date)
        let (counts, head) = try writeBatch(expected: [:]) { writer -> (Int, Int, Seq?) in
            let (events, _) = try pipeline.run(progress: progress) { block in
                for event in block.events {
                    do {
                        let position = try writer.commit(event)
                        if !position.wasDuplicate { datedAhead.add(position.occurredOn, at: .landed(position.seq)) }
                    } catch let error as LedgerError {
                        throw Self.namingLaterCreator(in: error, ofFileAt: path)
                    }
                }
                if let failure = block.failures.first { throw failure }
                return (block.events.count, true)
            }
            guard events > 0 else { throw LedgerError(.rejected, "\(path) holds no events") }
            return (writer.appendedCount, writer.duplicateCount, writer.firstAppended)
        }
        return ImportSummary(appended: counts.0, duplicates: counts.1, firstSeq: counts.2,
                             lastSeq: counts.0 > 0 ? head.seq : nil, head: head, datedAhead: datedAhead)
    }

    /// The NDJSON file at `path` (or `-`, standard input), for an import or its check.
    static func openNDJSON(_ path: String) throws(LedgerError) -> FileLineReader {
        do { return try FileLineReader(path: path) } catch {
            throw LedgerError(.usage, "cannot read \(path): \(error)")
        }
    }

    /// Runs `body` with a batch writer in one write transaction, committing only if it returns.
    /// - Parameter lands: `false` to rehearse: the batch is checked and written exactly as it
    ///   would be, and then abandoned, whatever `body` does (the log, keys and all, stay as they were).
    func writeBatch<Result>(
        expected: [StreamID: StreamVersion], lands: Bool = true, _ body: (BatchWriter) throws -> Result
    ) throws(LedgerError) -> (Result, LogHead) {
        func batch(_ txn: WriteTransaction) throws -> (Result, LogHead) {
            WriterLock.taken?()
            // Begun after `txn`, which holds the writers' lock, so it reads the log `txn` began from.
            var began = false
            do {
                return try environment.read { before in
                    began = true
                    return try runBatch(in: txn, readingBefore: before, expected: expected, lands: lands, body)
                }
            } catch let error as LMDBError where error.code == .readersFull && !began {
                // Every reader slot is taken (by open snapshots of this and other processes):
                // the write transaction reads the same log, only more slowly in a large batch.
                return try runBatch(in: txn, readingBefore: txn, expected: expected, lands: lands, body)
            }
        }
        do {
            return try lands ? environment.write(batch) : environment.rehearseWrite(batch)
        } catch let error as LedgerError {
            throw error
        } catch let error as LMDBError where error.code == .mapFull {
            throw LedgerError(.storage, "the ledger's map is full (\(error)); nothing of this batch was written")
        } catch {
            throw LedgerError.storage(error, "appending", nothingWritten: true)
        }
    }

    /// One batch inside `txn`: expectations, then the events, then the head.
    /// - Parameter before: reads the log as it was before this batch (see ``BatchWriter``).
    /// - Parameter lands: `false` for a rehearsal, which leaves the keys and the head unwritten.
    private func runBatch<Result>(
        in txn: WriteTransaction, readingBefore before: Transaction, expected: [StreamID: StreamVersion],
        lands: Bool = true, _ body: (BatchWriter) throws -> Result
    ) throws -> (Result, LogHead) {
        try txn.withAppender(databases.events) { events in
            let writer = BatchWriter(txn: txn, before: before, db: databases, events: events, catalogue: catalogue,
                                     vault: vault, head: try head(in: txn), indexEntriesHeld: indexEntriesHeld,
                                     clock: Instant.now)
            try writer.checkExpectations(expected)
            let result = try body(writer)
            guard lands else { return (result, writer.head) }
            // Keys first: a log that names a key the file lacks would lose data; a key the log never
            // uses, or a key destroyed for an erasure whose commit then failed, loses nothing.
            try vault.apply(writer.keyChanges)
            if writer.appendedCount > 0 { try writer.finish() }
            return (result, writer.head)
        }
    }

    private func writeBatch(
        expected: [StreamID: StreamVersion], _ body: (BatchWriter) throws -> [EventPosition]
    ) throws(LedgerError) -> AppendResult {
        let (positions, head) = try writeBatch(expected: expected, body)
        return AppendResult(positions: positions, head: head)
    }
}
