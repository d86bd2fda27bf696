import ArgumentParser
import CareLedger
import LedgerJSON

/// `careledger retract SEQ|ID --reason TEXT`: SPEC 4's correction of a mistake, by the seq a
/// timeline shows.
struct RetractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retract",
        abstract: "Retract a stored event recorded by mistake: append an EventRetracted naming it.",
        discussion: """
            The event stays in the log and in timelines, marked retracted; every read model \
            leaves it out from the retraction's recordedAt on. Name it by the seq a timeline or \
            `read` shows, or by its id. Then append the right fact as a new event, with \
            "meta": {"corrects": "<the retracted event's id>"}, which this command prints; or \
            give it here with --correction (below).

              careledger timeline worker W-00123          # find the seq
              careledger retract 812 --reason "Recorded against the wrong worker"
              careledger retract 812 --reason "…" --check   # writes nothing

            The retraction is checked as any event is: an event retracted already, a \
            retraction, and an event of a closed case cannot be retracted (exit 3). \
            --occurred-on is the day the mistake was found (default today, UTC).

            --correction FILE gives the right fact (one event, as `append` takes it; - for \
            standard input), appended with the retraction in one atomic batch and its \
            meta.corrects set: both land or neither does, so no reading sees the mistake gone \
            and nothing in its place, and a correction that is refused leaves the mistake as it \
            was. The retraction comes first, so the correction may end the same spell or open \
            the worker's case of the same type again.

              careledger retract 812 --reason "…" --correction right.json --check
              careledger retract 812 --reason "Wrong provider" --correction right.json
            """)

    @OptionGroup var options: DataOptions

    @Argument(help: ArgumentHelp("The event: its seq, such as 812, or its id (a UUID).", valueName: "seq-or-id"),
              transform: RetractCommand.reference)
    var event: Ledger.EventReference

    @Option(help: ArgumentHelp("Why it is retracted, kept in the event (no personal data).", valueName: "text"))
    var reason: String

    @Option(name: .customLong("occurred-on"), help: ArgumentHelp("The day the mistake was found (YYYY-MM-DD; default today, UTC).", valueName: "date"),
            transform: OptionValue.date)
    var occurredOn: LocalDate?

    @Option(help: ArgumentHelp("The right fact: a file holding one event (- for standard input), appended with the retraction in one atomic batch, its meta.corrects naming the retracted event.", valueName: "file"))
    var correction: String?

    @Flag(help: "Check the retraction as it would be appended, and write nothing.")
    var check = false

    @Flag(help: "Answer with JSON, as POST /v1/events does.")
    var json = false

    @Sendable static func reference(_ text: String) throws -> Ledger.EventReference {
        guard let reference = Ledger.EventReference(text) else {
            throw OptionValueProblem("name the event by its seq, a whole number from 1 up such as 812, or by its id, a UUID such as 9b2f6c1e-3c1a-4e7e-9a54-2f1d0c3b7a10")
        }
        return reference
    }

    func validate() throws {
        if reason.allSatisfy(\.isWhitespace) { throw ValidationError("--reason says why the event is retracted; it cannot be empty") }
    }

    func run() throws {
        let ledger = try options.open()
        let target = try ledger.storedEvent(event)
        let stored = try target.json()
        let type = stored["type"]?.stringValue ?? "?", stream = stored["stream"]?.stringValue ?? "?"
        let id = stored["id"]?.stringValue ?? "?"
        let summary = EventType(rawValue: type).map { EventSummary.of($0, data: stored["data"] ?? .object([])) } ?? type
        let described = "seq \(target.seq), \(type) in \(stream), dated \(stored["occurredOn"]?.stringValue ?? "?"): \(summary)"
        let date = occurredOn ?? Instant.now().date
        let rightFact = try correction.map { file throws(LedgerError) in try Self.correctionEvent(in: file) }
        let body = try rightFact.map { event throws(LedgerError) in
            try Ledger.retraction(of: target, reason: reason, occurredOn: date, actor: operatingSystemUser, correctedBy: event)
        } ?? Ledger.retraction(of: target, reason: reason, occurredOn: date, actor: operatingSystemUser)
        // A refusal of the retraction speaks of its field; here the event is the argument. A
        // refusal of the correction names the file it came from.
        func said(_ problem: LedgerError) -> LedgerError {
            guard problem.location == .index(1) else { return LedgerError(problem.code, "cannot retract \(described): \(problem.rule)") }
            return LedgerError(problem.code, "the correction in \(InputFile.name(correction)): \(problem.pointer.map { "\($0.isEmpty ? "/" : $0): " } ?? "")\(problem.rule)")
        }
        if check {
            let report = try WriterWaitNotice.whileWaiting { try ledger.checkAppend(body: body) }
            if json { return try printCheck(report, of: "the retraction of \(event)", json: true) }
            if let first = report.problems.first {
                for problem in report.problems.dropLast() { printError("careledger: \(said(problem))") }
                throw said(report.problems.last ?? first)
            }
            guard let rightFact else { return print("Would retract \(described). Nothing was written.") }
            print("Would retract \(described).")
            print("Would append the correction with it, in one batch: \(Self.describe(rightFact)). Nothing was written.")
            return
        }
        let result: AppendResult
        do {
            result = try WriterWaitNotice.whileWaiting { () throws(LedgerError) in try ledger.append(body: body) }
        } catch {
            // Anything but a refusal of an event (the disk, the lock) is said as it is.
            guard error.location != nil else { throw error }
            throw said(error)
        }
        if json {
            printJSON(result.json)
            return
        }
        let position = result.positions[0]
        print("Retracted \(described).")
        print("EventRetracted at seq \(position.seq) (\(position.stream) version \(position.streamVersion)): read models leave the event out from now on; timelines keep it, marked retracted.")
        if let rightFact, result.positions.count > 1 {
            let corrected = result.positions[1]
            let how = corrected.wasDuplicate ? "already stored with the same content, at" : "appended at"
            print("The correction, \(how) seq \(corrected.seq) (\(corrected.stream) version \(corrected.streamVersion)), with \"meta\": {\"corrects\": \"\(id)\"}: \(Self.describe(rightFact)).")
        } else {
            print("To record the right fact, append it as a new event with \"meta\": {\"corrects\": \"\(id)\"} (retract --correction FILE lands the two in one batch).")
        }
        print("Head: \(result.head.digestLine)")
    }

    /// The one event in `file`, as JSON; refused (exit 3) when it holds anything else.
    static func correctionEvent(in file: String) throws(LedgerError) -> JSONValue {
        var bytes = try InputFile.bytes(file)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            return try JSONValue(parsing: text)
        } catch {
            let lines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }.count
            let several = lines > 1 && text.split(whereSeparator: \.isNewline).allSatisfy { $0.allSatisfy(\.isWhitespace) || $0.first(where: { !$0.isWhitespace }) == "{" }
            let why = several ? "it holds \(lines) lines: a correction is one event, the right fact (append the others with `append`)" : "not JSON: \(error)"
            throw LedgerError(.rejected, "the correction in \(InputFile.name(file)): \(why)")
        }
    }

    /// `ReferralMade: Referral R-2 from PT-1 to PT-3`: the correction in words.
    static func describe(_ event: JSONValue) -> String {
        guard let type = event["type"]?.stringValue else { return "an event" }
        return EventType(rawValue: type).map { "\(type): \(EventSummary.of($0, data: event["data"] ?? .object([])))" } ?? type
    }
}
