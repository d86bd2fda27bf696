import ArgumentParser
import CareLedger

struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Print stored events as NDJSON, in seq order.",
        discussion: """
            Each line is an event as stored: the written event plus seq, stream, streamVersion, \
            recordedAt and hash, in canonical (RFC 8785) form. The stream and type filters use the \
            log's indexes; --from is a global seq, inclusive, and combines with them.

              careledger read --limit 20
              careledger read --stream worker-W-00123
              careledger read --type SponsorLicenceRevoked --from 5000
              careledger read --id 9b2f6c1e-3c1a-4e7e-9a54-2f1d0c3b7a10

            Personal data (WorkerRegistered pii, SupportProvided notes) reads "[redacted]", or \
            "[erased]" once erased. --stored prints the stored form, {"ciphertext": …}, which is what \
            the chain hashes. --reveal prints the plaintext (it needs the master key) and records \
            who saw which worker in the access log first (`careledger access-log`).
              careledger read --stream worker-W-00123 --reveal --master-key ~/careledger.key
            """)

    @OptionGroup var options: DataOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("The first global seq to print (inclusive).", valueName: "seq"), transform: OptionValue.seq)
    var from: Seq = Seq(1)

    @Option(parsing: .unconditional, help: ArgumentHelp("At most this many events.", valueName: "n"))
    var limit: Int?

    @Option(help: ArgumentHelp("Only this stream, such as worker-W-00123 or case-C-9.", valueName: "stream"), transform: OptionValue.stream)
    var stream: StreamID?

    @Option(help: ArgumentHelp("Only this event type, such as EmploymentStarted.", valueName: "type"), completion: OptionValue.eventTypes, transform: OptionValue.eventType)
    var type: EventType?

    @Option(help: ArgumentHelp("Only the event with this id (a UUID, such as a retraction's targetEventId or a correction's meta.corrects).", valueName: "uuid"),
            transform: ReadCommand.eventID)
    var id: EventID?

    @Flag(help: "Print personal data in plaintext, recording the reveal in the access log first.")
    var reveal = false

    @Flag(help: "Print personal data as stored: its ciphertext, as the chain hashes it.")
    var stored = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if reveal && stored { throw ValidationError("--reveal and --stored exclude each other") }
        if id != nil && (stream != nil || type != nil || from != Seq(1) || limit != nil) {
            throw ValidationError("--id names one event: give it without --from, --limit, --stream or --type")
        }
    }

    @Sendable static func eventID(_ text: String) throws -> EventID {
        guard let id = EventID(text) else { throw OptionValueProblem("an event's id is a UUID, such as 9b2f6c1e-3c1a-4e7e-9a54-2f1d0c3b7a10") }
        return id
    }

    /// `; did you mean worker-W-00007?` for `--stream worker-w-00007`, `--stream worker-W-7` or
    /// `--stream workers-W-00007`, when that stream has events: ids are case-sensitive, written
    /// in capitals and with their numbers' leading zeros, a stream's kind is one of five words,
    /// and people type them by hand.
    private func streamHint(_ ledger: Ledger) throws -> String {
        guard let stream, let dash = stream.rawValue.firstIndex(of: "-") else { return "" }
        let kind = String(stream.rawValue[..<dash]), id = String(stream.rawValue[stream.rawValue.index(after: dash)...])
        let kinds = ["worker", "provider", "partner", "case", "concern"]
        let meantKind = kinds.contains(kind) ? kind : NearestName.suggestion(for: kind, among: kinds) ?? kind
        let candidates = [(id, nil)] + EntityID.likelyMeant(id).map { ($0.id, $0.why) }
        for (candidate, why) in candidates.map({ (meantKind + "-" + $0.0, $0.1) }) where candidate != stream.rawValue {
            guard let meant = StreamID(candidate), try !ledger.withSnapshot({ try $0.seqs(inStream: meant) }).isEmpty else { continue }
            return "; did you mean \(candidate)?" + (why.map { " \($0)" } ?? "")
        }
        return ""
    }

    func run() throws {
        let ledger = try options.openForReading()
        let view: PersonalDataView = reveal ? .revealed : stored ? .stored : .redacted
        let accessLog = reveal ? try AccessLog(dataFolder: options.folder) : nil
        let via = "careledger read" + (stream.map { " --stream \($0)" } ?? "") + (type.map { " --type \($0.rawValue)" } ?? "") + " --reveal"
        let output = BufferedOutput()
        // Revealed events wait (a few hundred at most) until their reveals are recorded, in one
        // durable transaction: a reveal that cannot be recorded is never printed.
        var waiting: [[UInt8]] = [], reveals: [String: [Seq]] = [:]
        func release() throws {
            try accessLog?.record(who: operatingSystemUser, via: via, reveals: reveals)
            waiting.forEach(output.line)
            waiting.removeAll(keepingCapacity: true)
            reveals.removeAll(keepingCapacity: true)
        }
        var printed = 0
        // One event by its id: where it is, then read as any other (exit 1 when the log has none).
        let from = try id.map { try ledger.storedEvent(.id($0)).seq } ?? from
        try ledger.readEvents(EventFilter(from: from, stream: stream, type: type), limit: id == nil ? limit : 1) { event in
            printed += 1
            let served = try ledger.served(event, view: view)
            if let worker = served.revealedWorker { reveals[worker, default: []].append(event.seq) }
            if reveals.isEmpty {
                output.line(served.json)
            } else {
                waiting.append(served.json)
                if waiting.count >= 512 { try release() }
            }
        }
        try release()
        output.flush()
        // Standard output stays empty NDJSON for a script; a person is told that nothing matched,
        // rather than left to wonder whether the command ran.
        if printed == 0 {
            let filters = [stream.map { "in stream \($0)" }, type.map { "of type \($0.rawValue)" }, from == Seq(1) ? nil : "from seq \(from)"].compactMap { $0 }
            printError("careledger: no stored events\(filters.isEmpty ? "" : " " + filters.joined(separator: ", ")) (the head is seq \(try ledger.head().seq))\(try streamHint(ledger))")
        }
    }
}
