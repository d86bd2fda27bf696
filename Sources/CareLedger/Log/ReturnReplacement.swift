public import LedgerJSON

/// A corrected return in place of the one recorded before (`careledger record --rows FILE
/// --replaces EARLIER`, and the dashboard's `/record` page).
///
/// A provider that finds a mistake in a return sends the whole return again, corrected. Recorded
/// as it is, its unchanged rows are the events already stored (their ids derive from their facts)
/// and its corrected rows are new, but the wrong rows' events would stay, counted beside their
/// corrections. Here the two returns are compared by their rows' ids: what the earlier one has
/// and the new one no longer has is retracted, what the new one has and the earlier had not is
/// recorded, in one atomic batch, retractions first, so that a corrected row may take the place
/// its wrong one held (a spell ends once; an id is new again once its maker is retracted).
public struct ReturnReplacement: Sendable {
    /// An event of the earlier return's rows that the new one no longer has.
    public struct Retracted: Sendable {
        /// Its row's line in the earlier return.
        public let line: Int
        public let stored: StoredEvent
    }

    /// The earlier return's name, in what is said of it.
    public let earlierName: String
    /// The events to retract, in the earlier return's order.
    public private(set) var retracted: [Retracted] = []
    /// Events of the earlier return's rows retracted already (by an earlier run): left as they are.
    public private(set) var retractedBefore = 0
    /// The new return's rows to record: those the earlier one had not, and not stored already.
    public private(set) var recorded: [EventCatalogue.Entry.RowEvent] = []
    /// The new return's other rows: the earlier one's too, or stored already (by an earlier run).
    public private(set) var unchanged = 0
    /// Rows of ``unchanged`` whose event was retracted (by `retract`, say): they stay so, since
    /// their id names that event, and the person should know that they count for nothing.
    public private(set) var unchangedButRetracted: [StillRetracted] = []

    /// A row of the new return that is an event retracted before.
    public struct StillRetracted: Sendable {
        /// Its line in the new return.
        public let line: Int
        /// The event's seq, and its retraction's.
        public let seq: Seq, retractedAt: Seq
    }

    /// For a row of ``recorded`` (by its index) that corrects one event of ``retracted``, that
    /// event: its id goes into the row's `meta.corrects` (SPEC 4), so that an auditor reading the
    /// right fact finds the mistake it replaced. A row corrects an event when they are of one
    /// type and differ in one field (its date, or one member of its data), and neither has
    /// another such partner: which new row corrects which old one is otherwise not known from
    /// the two files, and a link guessed wrong would mislead more than none.
    public private(set) var corrects: [Int: Correction] = [:]

    /// The event a recorded row corrects.
    public struct Correction: Sendable {
        /// Its id, which the row's `meta.corrects` names.
        public let id: String
        /// Its row's line in the earlier return.
        public let line: Int
    }

    /// Whether the new return changes nothing: it records what the earlier one did, or has
    /// replaced it already.
    public var changesNothing: Bool { retracted.isEmpty && recorded.isEmpty }

    /// Compares `rows`, the new return's, with `earlier`'s, each row with its id (given, or
    /// derived from its fact), as the log holds them now.
    /// - Throws: ``LedgerError`` `rejected` when a row of `earlier` (kept or not) is not in the
    ///   log (it is not the return recorded before, or not as it stands), or a row of `rows` has the id of one
    ///   of `earlier`'s with other content: an `id` column kept on a corrected row, or personal
    ///   data corrected, which a derived id leaves out. Left so, the correction would be lost.
    public init(replacing earlier: [EventCatalogue.Entry.RowEvent], named earlierName: String, by rows: [EventCatalogue.Entry.RowEvent], in ledger: Ledger) throws(LedgerError) {
        self.earlierName = earlierName
        func id(_ row: EventCatalogue.Entry.RowEvent) -> String { row.event["id"]?.stringValue ?? "" }
        func fact(_ row: EventCatalogue.Entry.RowEvent) -> [UInt8] {
            guard case .object(let members) = row.event else { return row.event.canonicalBytes }
            return JSONValue.object(members.filter { $0.0 != "meta" }).canonicalBytes
        }
        let earlierRows = Dictionary(earlier.map { (id($0), $0) }, uniquingKeysWith: { first, _ in first })
        for row in rows {
            if let before = earlierRows[id(row)], fact(before) != fact(row) {
                throw LedgerError(.rejected, "has the id of line \(before.line) of \(earlierName), with other content (its personal data, which a derived id leaves out, or an id column kept): an id names one event, so give the corrected row a new id (an id column holding a new UUID) and the earlier one is retracted",
                                  location: .line(row.line), pointer: "/id")
            }
        }
        let earlierIDs = Set(earlier.map(id)), laterIDs = Set(rows.map(id))
        var retracted: [Retracted] = [], retractedBefore = 0, recorded: [EventCatalogue.Entry.RowEvent] = [], stillRetracted: [StillRetracted] = []
        try ledger.withSnapshot { log in
            // A new row stored already was recorded by an earlier run of this replacement.
            var storedSeqs: [String: Seq] = [:]
            for row in rows {
                guard let seq = try EventID(id(row)).flatMap({ try log.seq(of: $0) }) else {
                    if !earlierIDs.contains(id(row)) { recorded.append(row) }
                    continue
                }
                storedSeqs[id(row)] = seq
                if let retraction = try log.retraction(of: seq) { stillRetracted.append(StillRetracted(line: row.line, seq: seq, retractedAt: retraction)) }
            }
            // Every row of the earlier return, kept or not: one not stored would be taken as
            // recorded, and a row the two share left unrecorded. A shared row was looked up above.
            for row in earlier {
                let shared = laterIDs.contains(id(row))
                let seq = try shared ? storedSeqs[id(row)] : EventID(id(row)).flatMap { try log.seq(of: $0) }
                let stored = try shared ? nil : seq.flatMap { try log.storedEvent(at: $0) }
                guard let seq, shared || stored != nil else {
                    throw LedgerError(.rejected, "line \(row.line) of \(earlierName) records an event the log does not hold, so \(earlierName) is not the return recorded before, as it stands: the earlier return is the file that was recorded")
                }
                guard let stored else { continue }
                if try log.retraction(of: seq) != nil { retractedBefore += 1 } else { retracted.append(Retracted(line: row.line, stored: stored)) }
            }
        }
        self.retracted = retracted
        self.retractedBefore = retractedBefore
        self.recorded = recorded
        unchanged = rows.count - recorded.count
        unchangedButRetracted = stillRetracted
        corrects = try Pairing.corrections(recorded: recorded, retracted: retracted)
    }

    /// The batch: each retraction (`reason`, with `actor` and `source` in its `meta`), then each
    /// row to record, as `event` makes it (the caller's `meta` added, say).
    public func body(reason: String, actor: String, source: String, occurredOn: LocalDate,
                     event: (EventCatalogue.Entry.RowEvent) -> JSONValue = { $0.event }) throws(LedgerError) -> [UInt8] {
        let retractions = try Ledger.retractionEvents(of: retracted.map(\.stored), reason: reason, occurredOn: occurredOn, actor: actor, source: source)
        let rows = recorded.enumerated().map { index, row in corrects[index].map { Pairing.naming($0.id, in: event(row)) } ?? event(row) }
        return JSONValue.object([("events", .array(retractions + rows))]).canonicalBytes
    }

    /// A refusal of one event of ``body(reason:actor:source:occurredOn:event:)``, said of what a
    /// person has: a retraction by its seq and its line of the earlier return, a row by its line
    /// of the new return (`line N`).
    public func placed(_ problem: LedgerError) -> LedgerError {
        guard case .index(let index)? = problem.location else { return problem }
        if index < retracted.count {
            let target = retracted[index]
            return LedgerError(problem.code, "the retraction of seq \(target.stored.seq) (line \(target.line) of \(earlierName)): \(problem.pointer.map { "\($0): " } ?? "")\(problem.rule)")
        }
        let row = recorded[min(index - retracted.count, recorded.count - 1)]
        return LedgerError(problem.code, problem.rule, location: .line(row.line), pointer: problem.pointer)
    }

    /// What it would do, in words: `2 events of return.csv to retract, 2 rows of return-v2.csv
    /// to record, 1 row as it was`.
    public func described(newName: String) -> String {
        "\(counted(retracted.count, "event")) of \(earlierName) to retract, \(counted(recorded.count, "row")) of \(newName) to record"
            + (corrects.isEmpty ? "" : " (\(correctionsSaid))") + ", " + unchangedSaid(newName: newName)
    }

    /// What it did, in words, from the positions of its batch.
    public func done(_ result: AppendResult, newName: String) -> String {
        let seqs = result.positions.map(\.seq)
        func range(_ seqs: some Collection<Seq>) -> String {
            guard let first = seqs.first, let last = seqs.max() else { return "" }
            return first == last ? "\(first)" : "\(first)-\(last)"
        }
        var done: [String] = []
        if !retracted.isEmpty {
            let targets = retracted.map { String($0.stored.seq.rawValue) }.joined(separator: ", ")
            done.append("retracted \(counted(retracted.count, "event")) of \(earlierName) (seq \(targets); EventRetracted at seq \(range(seqs.prefix(retracted.count))))")
        }
        if !recorded.isEmpty {
            done.append("recorded \(counted(recorded.count, "row")) of \(newName) (seq \(range(seqs.dropFirst(retracted.count)))\(corrects.isEmpty ? "" : "; " + correctionsSaid))")
        }
        return "Replaced \(earlierName) by \(newName): \(done.joined(separator: " and ")); " + unchangedSaid(newName: newName) + "."
    }

    /// The rows left as they were, in words, with those that are events retracted before:
    /// `1 row as it was (line 2 of return-v2.csv is seq 9, retracted at seq 10, and stays so: …)`.
    private func unchangedSaid(newName: String) -> String {
        "\(counted(unchanged, "row")) as \(unchanged == 1 ? "it was" : "they were")" + (stillRetractedSaid(newName: newName).map { " (\($0))" } ?? "")
    }

    /// The rows of the new return that are events retracted before, in words; `nil` for none.
    private func stillRetractedSaid(newName: String) -> String? {
        guard let first = unchangedButRetracted.first else { return nil }
        let one = unchangedButRetracted.count == 1
        let which = unchangedButRetracted.count > 3 ? "\(unchangedButRetracted.count) rows of \(newName) are events retracted before"
            : unchangedButRetracted.map { "line \($0.line)" }.joined(separator: ", ") + " of \(newName) "
                + (one ? "is seq \(first.seq), retracted at seq \(first.retractedAt)" : "are events retracted before (seq \(unchangedButRetracted.map { String($0.seq.rawValue) }.joined(separator: ", ")))")
        return which + ", and stay\(one ? "s" : "") so: to record \(one ? "it" : "them") anew, give \(one ? "it" : "each") an id column holding a new UUID"
    }

    /// The rows that name the event they correct, in words: `line 3 correcting line 4 of
    /// return.csv`, or a count once there are more than three.
    private var correctionsSaid: String {
        guard corrects.count <= 3 else { return "\(corrects.count) of them naming, in meta.corrects, the event they correct" }
        return corrects.sorted { $0.key < $1.key }.map { index, correction in
            "line \(recorded[index].line) correcting line \(correction.line) of \(earlierName)"
        }.joined(separator: ", ")
    }

    /// Why nothing is to change, in words.
    public func nothingToChange(newName: String) -> String {
        (retractedBefore > 0
            ? "Nothing to change: \(newName) is in place of \(earlierName) already (\(counted(retractedBefore, "event")) of \(earlierName) retracted before)."
            : "Nothing to change: \(newName) records what \(earlierName) recorded.")
            + (stillRetractedSaid(newName: newName).map { " " + $0.prefix(1).uppercased() + $0.dropFirst() + "." } ?? "")
    }
}
