public import LedgerJSON

extension Ledger {
    /// Checks an NDJSON file as ``importNDJSON(path:progress:)`` would import it, against the log
    /// as it stands, and writes nothing: every event that would be refused, not only the first.
    ///
    /// Programme staff check a provider's return before importing it, and send back the whole
    /// list of mistakes at once. Each event goes through exactly the import's checks, in the
    /// write transaction an import would use, which is then abandoned; an event refused is left
    /// out, as if its line were not there, so an event that relies on it may be refused too. The
    /// check holds the writers' lock while it runs, as an import does.
    ///
    /// - Parameters:
    ///   - problemLimit: the most refused events to report; the check stops at the last of them,
    ///     and its counts then cover the file up to that event's line.
    ///   - progress: called every few thousand events with (events read, bytes read, file size).
    /// - Throws: ``LedgerError`` for what stops the whole check rather than one event: a file that
    ///   cannot be read or holds no events, a storage failure.
    public func checkImport(
        path: String, problemLimit: Int = 100, progress: ((Int, Int, Int) -> Void)? = nil
    ) throws(LedgerError) -> BatchCheck {
        let reader = try Self.openNDJSON(path)
        let pipeline = PreparationPipeline(reader: reader, catalogue: catalogue, keepsGoing: true)
        let (check, _) = try writeBatch(expected: [:], lands: false) { writer -> BatchCheck in
            let problems = CheckProblems()
            /// Takes one event's refusal, with all of its mistakes; `false` once the report
            /// holds `problemLimit` refused events.
            func refuse(_ error: LedgerError) throws -> Bool {
                guard BatchCheck.refusesOneEvent(error) else { throw error }
                problems.append(error)
                return problems.refusedEvents < problemLimit
            }
            let (events, complete) = try pipeline.run(progress: progress) { block in
                // The block's events and its failures, each in file order, taken in file order
                // together: the report and its counts then stop exactly at the limit's line.
                var taken = 0
                var failures = block.failures[...]
                for event in block.events {
                    while let failure = failures.first, BatchCheck.line(of: failure) < BatchCheck.line(of: event.location) {
                        failures.removeFirst()
                        taken += 1
                        guard try refuse(failure) else { return (taken, false) }
                    }
                    taken += 1
                    let location = event.location
                    do { problems.landed(try writer.commit(event), at: location) } catch let error as LedgerError {
                        guard try refuse(error) else { return (taken, false) }
                    }
                }
                for failure in failures {
                    taken += 1
                    guard try refuse(failure) else { return (taken, false) }
                }
                return (taken, true)
            }
            guard events > 0 else { throw LedgerError(.rejected, "\(path) holds no events") }
            return BatchCheck(events: events, wouldAppend: writer.appendedCount, duplicates: writer.duplicateCount,
                               problems: problems.problems, complete: complete, datedAhead: problems.datedAhead,
                               refused: problems.refusedEvents, unlisted: problems.unlisted)
        }
        return check
    }
}

/// What a check of a batch (an import or an append) found: what the batch would do, and each
/// problem that stops it.
public struct BatchCheck: Sendable {
    /// Events checked: the whole batch's, or up to the last refused one when the check stopped at
    /// its limit.
    public let events: Int
    /// Events the batch would append: the events checked, less duplicates and refusals.
    public let wouldAppend: Int
    /// Events already stored with identical content, which the batch would skip.
    public let duplicates: Int
    /// The problems in the batch's order: an expected version that does not hold (an append's),
    /// then each refused event, named by its line or index, the JSON pointer and the rule.
    public let problems: [LedgerError]
    /// `false` when the check stopped at its limit of problems before the end of the file.
    public let complete: Bool
    /// The events that would land dated after tomorrow, by their line or index.
    public let datedAhead: DatedAhead
    /// Events refused, each once, however many mistakes it has: those the problems name, and
    /// those past the most listed.
    public let refused: Int
    /// Problems found and not listed, past the most a check keeps (``problems`` holds the first).
    public let unlisted: Int

    init(events: Int, wouldAppend: Int, duplicates: Int, problems: [LedgerError], complete: Bool, datedAhead: DatedAhead,
         refused: Int? = nil, unlisted: Int = 0) {
        self.events = events
        self.wouldAppend = wouldAppend
        self.duplicates = duplicates
        self.problems = problems
        self.complete = complete
        self.datedAhead = datedAhead
        self.refused = refused ?? Self.refusals(in: problems)
        self.unlisted = unlisted
    }

    /// Every problem found, listed or not.
    public var problemCount: Int { problems.count + unlisted }

    static func refusals(in problems: [LedgerError]) -> Int { Set(problems.compactMap(\.location)).count }

    /// Whether `error` refuses one event (which a check reports and goes past) rather than the
    /// whole batch.
    package static func refusesOneEvent(_ error: LedgerError) -> Bool {
        guard error.location != nil else { return false }
        return error.code == .rejected || error.code == .conflict || error.code == .tooLarge
    }

    static func line(of error: LedgerError) -> Int { line(of: error.location) }

    static func line(of location: EventLocation?) -> Int {
        if case .line(let number) = location { return number }
        return .max
    }
}

extension BatchCheck {
    /// The report as `--check --json` prints it and `POST /v1/events?check=true` answers it:
    /// the counts, `complete`, and each problem's line or event index, JSON pointer, kind and
    /// detail, the first thousand of them (`problemsNotListed` counts the rest); and `notes`
    /// when events that would land are dated ahead.
    public var json: JSONValue {
        .object([
            ("events", .integer(Int64(events))), ("wouldAppend", .integer(Int64(wouldAppend))),
            ("duplicates", .integer(Int64(duplicates))), ("refused", .integer(Int64(refused))),
            ("complete", .bool(complete)),
            ("problemsNotListed", .integer(Int64(unlisted))),
            ("problems", .array(problems.map { problem in
                var members: [(String, JSONValue)] = []
                switch problem.location {
                case .line(let number): members.append(("line", .integer(Int64(number))))
                case .index(let index): members.append(("eventIndex", .integer(Int64(index))))
                case nil: break
                }
                if let pointer = problem.pointer { members.append(("pointer", .string(pointer))) }
                members += [("code", .string(problem.code.description)), ("detail", .string(problem.description))]
                return .object(members)
            })),
        ] + datedAhead.notes)
    }
}
