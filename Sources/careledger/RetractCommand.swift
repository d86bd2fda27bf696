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
            was. The retraction comes first, so the correction may end the same spell, open \
            the worker's case of the same type again, or register the worker again under its \
            own workerRef (a registration, case, spell or referral corrected keeps its id, and \
            the events that name it follow the right fact).

              careledger retract 812 --reason "…" --correction right.json --check
              careledger retract 812 --reason "Wrong provider" --correction right.json
              careledger record RightToWorkChecked --on 2024-11-13 … --show \\
                | careledger retract 812 --reason "Wrong method" --correction -

            --mend FIELD=VALUE makes the right fact from the retracted event itself, with the \
            fields named changed and the rest as they were: occurredOn=DATE for its date, a \
            field of its data as `record` takes it (OBJECT.MEMBER=VALUE; nothing after the = \
            removes an optional field). Repeat it for several fields. It lands as --correction \
            does, with the retraction, in one batch; with several events named, each is \
            retracted and recorded so mended, all in one batch. With --master-key, personal \
            data is copied and sealed again (not shown; workerRef cannot change), and \
            pii.MEMBER=VALUE rectifies it.

              careledger retract 638 --reason "A day later" --mend occurredOn=2024-10-14
              careledger retract 402 --reason "Wrong council" --mend laCode=E08000026
              careledger retract 402 --reason "Name misspelt" \\
                --mend pii.familyName=Okafor --master-key ~/ledger.key
              careledger retract 812 --reason "Wrong provider" \\
                --mend providerId=P-042 --check

            Several events named at once are retracted in one atomic batch, with one reason: \
            a return recorded against the wrong provider is taken back whole or not at all.

              careledger retract 812 813 820 --reason "Return of P-042 filed under P-024"
              careledger retract 812 813 820 --reason "Filed under P-024" \\
                --mend providerId=P-042
            """)

    @OptionGroup var options: DataOptions

    @Argument(help: ArgumentHelp("The event: its seq, such as 812, or its id (a UUID); several, to retract them in one batch.", valueName: "seq-or-id"),
              transform: RetractCommand.reference)
    var events: [Ledger.EventReference] = []

    @Option(help: ArgumentHelp("Why it is retracted, kept in the event (no personal data).", valueName: "text"))
    var reason: String

    @Option(name: .customLong("occurred-on"), help: ArgumentHelp("The day the mistake was found (YYYY-MM-DD; default today, UTC).", valueName: "date"),
            transform: OptionValue.date)
    var occurredOn: LocalDate?

    @Option(help: ArgumentHelp("The right fact: a file holding one event (- for standard input), appended with the retraction in one atomic batch, its meta.corrects naming the retracted event.", valueName: "file"))
    var correction: String?

    @Option(name: .customLong("mend"), help: ArgumentHelp(
        "A field of the right fact that differs from the event retracted, FIELD=VALUE (occurredOn=DATE for its date); repeatable. The right fact is the event with these changed, appended with the retraction.",
        valueName: "field=value"), transform: RecordCommand.field)
    var mends: [EventCatalogue.Entry.TypedField] = []

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
        if events.isEmpty {
            // ArgumentParser takes a negative seq for an unknown option, and reaches here first.
            if let negative = CommandLine.arguments.first(where: { $0.count > 1 && $0.hasPrefix("-") && $0.dropFirst().allSatisfy(\.isNumber) }) {
                throw ValidationError("\(negative) is not a seq: seqs count from 1, the log's first event (`careledger read` shows them)")
            }
            throw ValidationError("name the event to retract by its seq or id: careledger retract 812 --reason …")
        }
        if reason.allSatisfy(\.isWhitespace) { throw ValidationError("--reason says why the event is retracted; it cannot be empty") }
        if correction != nil && events.count > 1 {
            throw ValidationError("--correction gives the right fact of one event: retract the others apart, or append their right facts with `append`")
        }
        if !mends.isEmpty && correction != nil {
            throw ValidationError("give the right fact one way: --correction FILE, whole, or --mend FIELD=VALUE, from the event retracted")
        }
    }

    func run() throws {
        let ledger = try options.open()
        let targets = try events.map { try Target(ledger.storedEvent($0)) }
        if let twice = Dictionary(grouping: targets, by: \.stored.seq).first(where: { $0.value.count > 1 })?.key {
            throw LedgerError(.usage, "seq \(twice) is named more than once; name each event once")
        }
        var rightFacts: [JSONValue] = []
        if let correction { rightFacts = [try Self.correctionEvent(in: correction)] }
        if !mends.isEmpty { rightFacts = try targets.map { target throws(LedgerError) in try mended(target, in: ledger) } }
        let body = try batch(retracting: targets, correctedBy: rightFacts, on: occurredOn ?? Instant.now().date)
        if check {
            let report = try WriterWaitNotice.whileWaiting { try ledger.checkAppend(body: body) }
            if json { return try printCheck(report, of: "the retraction of \(events.map(\.description).joined(separator: ", "))", json: true) }
            if let first = report.problems.first {
                for problem in report.problems.dropLast() { printError("careledger: \(said(problem, targets))") }
                throw said(report.problems.last ?? first, targets)
            }
            return printWouldRetract(targets, correctedBy: rightFacts)
        }
        let result: AppendResult
        do {
            result = try WriterWaitNotice.whileWaiting { () throws(LedgerError) in try ledger.append(body: body) }
        } catch {
            // Anything but a refusal of an event (the disk, the lock) is said as it is.
            guard error.location != nil else { throw error }
            throw said(error, targets)
        }
        if json { return printJSON(result.json) }
        printRetracted(targets, correctedBy: rightFacts, result)
    }

    /// The right fact `--mend` makes of `target`: the event with the fields named changed, and
    /// who made it so in its `meta`. With the master key, personal data is copied in plaintext
    /// (for the door to seal again): not shown to anyone, so not a reveal for the access log.
    func mended(_ target: Target, in ledger: Ledger) throws(LedgerError) -> JSONValue {
        let stored = target.stored
        var event = target.event
        if ledger.vault.masterKey != nil, let served = try? JSONValue(parsing: String(decoding: try ledger.served(stored, view: .revealed).json, as: UTF8.self)) {
            event = served
        }
        guard let entry = EventCatalogue.standard.entry(of: event) else {
            throw LedgerError(.verificationFailed, "the stored event at seq \(stored.seq) names no type of the catalogue")
        }
        return try entry.mending(event, seq: stored.seq, with: mends, meta: [("actor", operatingSystemUser), ("source", "careledger retract --mend")])
    }

    /// The events to append: one retraction, several in one batch, or each with its right fact
    /// (`rightFacts`, none or one per target).
    func batch(retracting targets: [Target], correctedBy rightFacts: [JSONValue], on date: LocalDate) throws(LedgerError) -> [UInt8] {
        if !rightFacts.isEmpty {
            return try Ledger.retractions(of: targets.map(\.stored), reason: reason, occurredOn: date, actor: operatingSystemUser, correctedBy: rightFacts)
        }
        if targets.count > 1 {
            return try Ledger.retractions(of: targets.map(\.stored), reason: reason, occurredOn: date, actor: operatingSystemUser)
        }
        return try Ledger.retraction(of: targets[0].stored, reason: reason, occurredOn: date, actor: operatingSystemUser)
    }
}
