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
            """)

    @OptionGroup var options: DataOptions

    @Option(help: ArgumentHelp("The first global seq to print (inclusive).", valueName: "seq"))
    var from: Seq = Seq(1)

    @Option(help: ArgumentHelp("At most this many events.", valueName: "n"))
    var limit: Int?

    @Option(help: ArgumentHelp("Only this stream, such as worker-W-00123 or case-C-9.", valueName: "stream"))
    var stream: StreamID?

    @Option(help: ArgumentHelp("Only this event type, such as EmploymentStarted.", valueName: "type"))
    var type: EventType?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let ledger = try options.open(readOnly: true)
        let output = BufferedOutput()
        try ledger.readEvents(EventFilter(from: from, stream: stream, type: type), limit: limit) { event in
            output.line(event.servedJSON)
        }
        output.flush()
    }
}
