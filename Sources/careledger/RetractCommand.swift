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
            "meta": {"corrects": "<the retracted event's id>"}, which this command prints.

              careledger timeline worker W-00123          # find the seq
              careledger retract 812 --reason "Recorded against the wrong worker"
              careledger retract 812 --reason "…" --check   # writes nothing

            The retraction is checked as any event is: an event retracted already, a \
            retraction, and an event of a closed case cannot be retracted (exit 3). \
            --occurred-on is the day the mistake was found (default today, UTC).
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
        let body = try Ledger.retraction(of: target, reason: reason, occurredOn: occurredOn ?? Instant.now().date, actor: operatingSystemUser)
        if check {
            let report = try WriterWaitNotice.whileWaiting { try ledger.checkAppend(body: body) }
            if json { return try printCheck(report, of: "the retraction of \(event)", json: true) }
            if let problem = report.problems.first { throw LedgerError(problem.code, "cannot retract \(described): \(problem.rule)") }
            print("Would retract \(described). Nothing was written.")
            return
        }
        let result: AppendResult
        do {
            result = try WriterWaitNotice.whileWaiting { () throws(LedgerError) in try ledger.append(body: body) }
        } catch {
            // A refusal of the retraction speaks of its field; here the event is the argument.
            // Anything else (the disk, the lock) is said as it is.
            guard error.location != nil else { throw error }
            throw LedgerError(error.code, "cannot retract \(described): \(error.rule)")
        }
        if json {
            printJSON(result.json)
            return
        }
        let position = result.positions[0]
        print("Retracted \(described).")
        print("EventRetracted at seq \(position.seq) (\(position.stream) version \(position.streamVersion)): read models leave the event out from now on; timelines keep it, marked retracted.")
        print("To record the right fact, append it as a new event with \"meta\": {\"corrects\": \"\(id)\"}.")
        print("Head: \(result.head.digestLine)")
    }
}
