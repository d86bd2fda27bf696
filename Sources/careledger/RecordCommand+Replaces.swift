import CareLedger
import LedgerJSON

/// `record --rows FILE --replaces EARLIER`: a corrected return in place of the one recorded
/// before.
///
/// A provider that finds a mistake in a return sends the whole return again, corrected.
/// Recorded as it is, its unchanged rows are the events already stored (their ids derive from
/// their facts) and its corrected rows are new, but the wrong rows' events would stay, counted
/// beside their corrections. Here the two files are compared by their rows' ids: what EARLIER
/// has and FILE no longer has is retracted, what FILE has and EARLIER had not is recorded, in
/// one atomic batch, retractions first, so that a corrected row may take the place its wrong
/// one held (a spell ends once; an id is new again once its maker is retracted).
extension RecordCommand {
    /// What replacing one return by another does.
    struct Replacement {
        /// The events of EARLIER's rows that FILE no longer has, with their lines in EARLIER.
        var retracted: [(line: Int, stored: StoredEvent)] = []
        /// Of those, the ones retracted already (by an earlier run): left as they are.
        var retractedBefore = 0
        /// FILE's rows that EARLIER did not have.
        var recorded: [EventCatalogue.Entry.RowEvent] = []
        /// Rows the two files share, and FILE's new rows stored already (by an earlier run).
        var unchanged = 0
    }

    func replace(_ earlier: String, by rows: [EventCatalogue.Entry.RowEvent], of file: String, catalogue: EventCatalogue) throws {
        let name = InputFile.name(file)
        let (earlierName, earlierRows) = try rowEvents(of: earlier, catalogue: catalogue, sayingOtherSheets: false)
        let ledger = try options.open()
        let plan = try Self.replacement(of: earlierRows, named: earlierName, by: rows, in: ledger)
        let counts = "\(counted(plan.retracted.count, "event")) of \(earlierName) to retract, \(counted(plan.recorded.count, "row")) of \(name) to record, \(counted(plan.unchanged, "row")) as \(plan.unchanged == 1 ? "it was" : "they were")"
        guard !plan.retracted.isEmpty || !plan.recorded.isEmpty else {
            if plan.retractedBefore > 0 {
                return print("Nothing to change: \(name) is in place of \(earlierName) already (\(counted(plan.retractedBefore, "event")) of \(earlierName) retracted before). Nothing was written.")
            }
            return print("Nothing to change: \(name) records what \(earlierName) recorded. Nothing was written.")
        }
        let why = reason ?? "Replaced by a corrected return (\(name))"
        let retractions = try Ledger.retractions(of: plan.retracted.map(\.stored), reason: why, occurredOn: Instant.now().date,
                                                 actor: operatingSystemUser, source: "careledger record --replaces")
        let events = (try JSONValue(parsing: String(decoding: retractions, as: UTF8.self)))["events"]?.arrayValue ?? []
        let body = JSONValue.object([("events", .array(events + plan.recorded.map(\.event)))]).canonicalBytes
        if check {
            let report = try WriterWaitNotice.whileWaiting { try ledger.checkAppend(body: body, expectedVersions: expectations.versions) }
            if json { return try printCheck(report, of: name, json: true) }
            for problem in report.problems { print(Self.placed(problem, plan, earlierName)) }
            if let first = report.problems.first {
                print("Nothing of it would be written until every problem is mended.")
                throw CheckFailed(status: ExitStatus.code(for: first.code))
            }
            return print("Checked: \(counts). Nothing was written.")
        }
        let result = try listingEveryProblem(with: "careledger record \(type.map { $0.rawValue + " " } ?? "")--rows \(file) --replaces \(earlier) --check") {
            do throws(LedgerError) {
                return try WriterWaitNotice.whileWaiting { () throws(LedgerError) in try ledger.append(body: body, expectedVersions: expectations.versions) }
            } catch {
                throw Self.placed(error, plan, earlierName)
            }
        } as AppendResult
        if json { return printAppended(result, json: true) }
        printNote(result.datedAhead)
        let seqs = result.positions.map(\.seq)
        let retractedSeqs = plan.retracted.map { String($0.stored.seq.rawValue) }.joined(separator: ", ")
        var done: [String] = []
        if !plan.retracted.isEmpty {
            done.append("retracted \(counted(plan.retracted.count, "event")) of \(earlierName) (seq \(retractedSeqs); EventRetracted at seq \(Self.range(seqs.prefix(plan.retracted.count))))")
        }
        if !plan.recorded.isEmpty { done.append("recorded \(counted(plan.recorded.count, "row")) of \(name) (seq \(Self.range(seqs.dropFirst(plan.retracted.count))))") }
        print("Replaced \(earlierName) by \(name): \(done.joined(separator: " and ")); \(counted(plan.unchanged, "row")) as \(plan.unchanged == 1 ? "it was" : "they were").")
        print("Head: \(result.head.digestLine)")
    }

    /// Compares the two returns' rows by their ids.
    /// - Throws: ``LedgerError`` `rejected` when a row of `earlier` is not in the log: it is not
    ///   the return recorded before (or not as it stands).
    static func replacement(of earlier: [EventCatalogue.Entry.RowEvent], named earlierName: String, by rows: [EventCatalogue.Entry.RowEvent],
                            in ledger: Ledger) throws -> Replacement {
        func id(_ row: EventCatalogue.Entry.RowEvent) -> String { row.event["id"]?.stringValue ?? "" }
        let earlierIDs = Set(earlier.map(id)), laterIDs = Set(rows.map(id))
        var plan = Replacement()
        try ledger.withSnapshot { log in
            // A new row stored already was recorded by an earlier run of this replacement.
            plan.recorded = try rows.filter { row in try !earlierIDs.contains(id(row)) && EventID(id(row)).flatMap { try log.seq(of: $0) } == nil }
            plan.unchanged = rows.count - plan.recorded.count
            for row in earlier where !laterIDs.contains(id(row)) {
                guard let eventID = EventID(id(row)), let seq = try log.seq(of: eventID), let stored = try log.storedEvent(at: seq) else {
                    throw LedgerError(.rejected, "line \(row.line) of \(earlierName) records an event the log does not hold, so \(earlierName) is not the return recorded before, as it stands: --replaces names the file that was recorded")
                }
                if try log.retraction(of: seq) != nil { plan.retractedBefore += 1 } else { plan.retracted.append((row.line, stored)) }
            }
        }
        return plan
    }

    /// A refusal of one event of the batch, said of what a person has: a retraction by its seq
    /// and its line of EARLIER, a row by its line of FILE (the command's own, so `line N`).
    static func placed(_ problem: LedgerError, _ plan: Replacement, _ earlierName: String) -> LedgerError {
        guard case .index(let index)? = problem.location else { return problem }
        let pointer = problem.pointer.map { "\($0): " } ?? ""
        if index < plan.retracted.count {
            let target = plan.retracted[index]
            return LedgerError(problem.code, "the retraction of seq \(target.stored.seq) (line \(target.line) of \(earlierName)): \(pointer)\(problem.rule)")
        }
        let row = plan.recorded[min(index - plan.retracted.count, plan.recorded.count - 1)]
        return LedgerError(problem.code, problem.rule, location: .line(row.line), pointer: problem.pointer)
    }

    /// `12` or `12-14`: seqs a batch appended, which are consecutive.
    static func range(_ seqs: some Collection<Seq>) -> String {
        guard let first = seqs.first, let last = seqs.max() else { return "" }
        return first == last ? "\(first)" : "\(first)-\(last)"
    }
}
