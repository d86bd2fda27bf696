import ArgumentParser
import CareLedger
import Foundation
import LedgerJSON

struct AppendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append one atomic batch of events: all of them land, in order, or none does.",
        discussion: """
            The input is NDJSON (one event a line), a single event object, or the batch form \
            {"events": [...], "expectedVersions": {"worker-W-00123": 4}}. Every event is checked \
            (schema, references, lifecycle) before anything is written; an error names the line \
            (or the event's index), the JSON pointer and the rule, and leaves the log as it was.

              careledger append events.ndjson
              careledger append - < events.ndjson
              careledger append batch.json --expect worker-W-00123=4 --expect case-C-9=0

            An --expect of 0 means the stream must not exist yet. Re-sending an event with an id \
            the log holds with the same content is a no-op that answers its original position; \
            with other content it is a conflict (exit 4). `careledger schemas TYPE` lists a \
            type's fields and prints an event to start from.

            --check runs every check against the log as it stands and writes nothing, listing \
            every problem (each refused event, each expected version that does not hold), not \
            only the first; exit 0 when the batch would land.

              careledger append --check events.ndjson
            """)

    @OptionGroup var options: DataOptions

    @Argument(help: ArgumentHelp("The events to append; - or nothing reads standard input.", valueName: "file"))
    var file: String?

    @Option(name: .customLong("expect"), help: ArgumentHelp(
        "The version STREAM must be at (0: must not exist yet); repeatable.", valueName: "stream=version"), transform: OptionValue.expectation)
    var expectations: [StreamExpectation] = []

    @Flag(help: "Check the batch as append would, list every problem, and write nothing.")
    var check = false

    @Flag(help: "Answer with JSON, as POST /v1/events does.")
    var json = false

    func validate() throws {
        if file == nil, isatty(0) == 1 {
            throw ValidationError("give a FILE of events, or pipe them in: careledger append events.ndjson, or … | careledger append -")
        }
    }

    /// The size beyond which `append` of a file suggests `import`: the largest body HTTP takes.
    static let largeFile = 16 << 20

    /// Whether `body` holds more than one line with text, or the batch form (`{"events": …}`).
    static func mayHoldSeveralEvents(_ body: [UInt8]) -> Bool {
        let lines = body.split(separator: UInt8(ascii: "\n")).count { line in line.contains { $0 > UInt8(ascii: " ") } }
        return lines > 1 || String(decoding: body, as: UTF8.self).contains("\"events\"")
    }

    func run() throws {
        // append holds its batch in memory (a batch is what one request sends); a file of
        // another size is import's, which reads a block at a time and shows its progress.
        if let file, file != "-", let size = WholeFile.regularFileSize(file), Int64(Self.largeFile + 1)...Int64(InputFile.largest) ~= size {
            printError("careledger: \(file) is \(size >> 20) MiB, held in memory whole by append: `careledger import \(ShellWord.quoted(file))` reads a file of any size a block at a time, with progress")
        }
        let body = try InputFile.bytes(file, instead: "append holds its input in memory, and `careledger import \(ShellWord.quoted(file ?? "-"))` reads events of any size a block at a time")
        if let refusal = EventsInput.refusal(ofHead: Array(body.prefix(EventsInput.headBytes)), of: file) { throw refusal }
        let expected = expectations.versions
        if check {
            let ledger = try options.open()
            let report = try WriterWaitNotice.whileWaiting { try ledger.checkAppend(body: body, expectedVersions: expected) }
            try printCheck(report, of: InputFile.name(file), json: json)
            return
        }
        let ledger = try options.open()
        // Said for a batch of several events: a single event's refusal is all there is to say.
        let checkCommand = file.flatMap { $0 == "-" ? nil : "careledger append --check \(ShellWord.quoted($0))" } ?? "careledger append --check (with the same input)"
        let result = try listingEveryProblem(with: Self.mayHoldSeveralEvents(body) ? checkCommand : nil) {
            try WriterWaitNotice.whileWaiting { try ledger.append(body: body, expectedVersions: expected) }
        }
        printAppended(result, json: json)
    }
}
