/// The problems a check of a batch finds, in the batch's order, each refusal of a reference to
/// something the batch itself creates later told so.
///
/// A provider's return sorted by worker, or a spreadsheet sorted by type, can name a worker
/// before the line that registers it. The batch is read in order, so the reference is refused,
/// and "which does not exist" alone sends staff looking for a registration that is right there
/// in the file. A check goes on past each refusal, sees the later line create it, and says so:
/// `…; line 40 registers it, later in this batch: events are taken in order, so put that one first`.
final class CheckProblems {
    private(set) var problems: [LedgerError] = []
    /// The problems found past the most listed (``mostListed``): counted, not kept.
    private(set) var unlisted = 0

    /// The most problems a check keeps to list: a 15 MB batch of five million empty events was
    /// answered with all five million (543 MB of JSON, the server's memory at 3.2 GB), where
    /// the first thousand say what to mend and the counts say how much.
    static let mostListed = 1_000
    /// The streams of refused references, each with the problems that named it.
    private var awaited: [String: [Int]] = [:]

    /// The events refused: one for each event's problem appended, however many mistakes it
    /// carries (a batch's expected version that does not hold names no event).
    private(set) var refusedEvents = 0

    /// The events that would land dated after tomorrow, named by their place in the batch.
    private(set) var datedAhead = DatedAhead(today: Instant.now().date)

    /// Takes `problem`, one event's refusal, and then the same event's later mistakes, each a
    /// problem of its own.
    func append(_ problem: LedgerError) {
        if problem.location != nil { refusedEvents += 1 }
        guard problems.count < Self.mostListed else { return unlisted += 1 + problem.laterProblems.count }
        if let stream = problem.missingStream { awaited[stream, default: []].append(problems.count) }
        problems.append(problem)
        problems += problem.laterProblems
    }

    /// An event that landed at `location`: when it began a stream a refusal named, those
    /// refusals say where; when it is dated ahead, the check's note names it.
    func landed(_ position: EventPosition, at location: EventLocation) {
        if !position.wasDuplicate { datedAhead.add(position.occurredOn, at: .inBatch(location)) }
        guard !awaited.isEmpty, position.streamVersion.rawValue == 1, !position.wasDuplicate,
              let named = awaited.removeValue(forKey: position.stream.rawValue) else { return }
        for index in named { problems[index] = Self.naming(location, of: position.stream.rawValue, in: problems[index]) }
    }

    /// `problem`, a refused reference to `stream`, told that the event at `creator`, later in the
    /// batch, creates it.
    static func naming(_ creator: EventLocation, of stream: String, in problem: LedgerError) -> LedgerError {
        let creates = stream.hasPrefix("case-") ? "opens" : "registers"
        return LedgerError(problem.code, problem.rule + "; \(creator) \(creates) it, later in this batch: events are taken in order, so put that one first",
                           location: problem.location, pointer: problem.pointer)
    }
}
