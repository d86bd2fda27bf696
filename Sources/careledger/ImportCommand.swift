import ArgumentParser
import CareLedger
import Foundation
import LedgerJSON
#if canImport(Glibc)
import Glibc
#endif

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an NDJSON file of any size as one atomic batch.",
        discussion: """
            The file is read a block at a time, so memory stays flat however large it is. Like \
            append, it is all or nothing: an error on any line (named in the message) writes \
            nothing, and so does an interruption. Progress is shown on a terminal.

            --check runs every check of the import against the log as it stands and writes \
            nothing, listing every event that would be refused (its line, field and rule), not \
            only the first: send a provider the whole list at once. An event refused is left \
            out, so events that rely on it may be refused too. Exit 0 when the file would \
            import; otherwise the exit code the import would give.

              careledger import --check provider-return-2025-04.ndjson
              careledger import provider-return-2025-04.ndjson

            A pipe is read once, as it comes: a compressed export needs no copy unpacked first.
              careledger import <(zcat export-2025-04.ndjson.gz)
            """)

    @OptionGroup var options: DataOptions

    @Argument(help: ArgumentHelp("The NDJSON file (- for standard input).", valueName: "file"))
    var file: String

    @Flag(help: "Check the file as the import would, list every event it would refuse, and write nothing.")
    var check = false

    @Option(parsing: .unconditional, help: ArgumentHelp("With --check, stop after this many refused events (default: 100).", valueName: "n"))
    var maxProblems: Int?

    @Flag(help: "Answer with JSON.")
    var json = false

    func validate() throws {
        guard let maxProblems else { return }
        if !check { throw ValidationError("--max-problems goes with --check") }
        if maxProblems < 1 { throw ValidationError("--max-problems must be 1 or more, not \(maxProblems)") }
    }

    func run() throws {
        // Standard input is read once, by the import: only a file is looked at first.
        if file != "-", let refusal = EventsInput.refusal(ofHead: EventsInput.head(ofFileAt: file), of: file) { throw refusal }
        let ledger = try options.open()
        let progress = ImportProgress(verb: check ? "checking" : "importing")
        defer { progress.end() }
        if check {
            let limit = maxProblems ?? 100
            let report = try WriterWaitNotice.whileWaiting { try ledger.checkImport(path: file, problemLimit: limit, progress: progress.report) }
            progress.end()
            try printCheck(report, of: file == "-" ? "standard input" : file, json: json, limit: limit)
            return
        }
        let started = Date()
        let checkCommand = file == "-" ? "careledger import --check - (with the same input)" : "careledger import --check \(ShellWord.quoted(file))"
        let summary = try listingEveryProblem(with: checkCommand) {
            try WriterWaitNotice.whileWaiting { try ledger.importNDJSON(path: file, progress: progress.report) }
        }
        progress.end()
        let seconds = Date().timeIntervalSince(started)
        printNote(summary.datedAhead)
        if json {
            printJSON(.object([
                ("appended", .integer(Int64(summary.appended))), ("duplicates", .integer(Int64(summary.duplicates))),
                ("firstSeq", summary.firstSeq.map { .integer(Int64($0.rawValue)) } ?? .null),
                ("lastSeq", summary.lastSeq.map { .integer(Int64($0.rawValue)) } ?? .null),
                ("head", .string(summary.head.digestLine)),
            ] + summary.datedAhead.notes))
            return
        }
        let rate = seconds > 0 ? Int(Double(summary.appended) / seconds) : 0
        if let first = summary.firstSeq, let last = summary.lastSeq {
            print("Imported \(counted(summary.appended, "event")) (seq \(first) to \(last)) from \(file) in \(String(format: "%.2f", seconds)) s, \(rate) events/s.")
        } else {
            print("Imported nothing new from \(file).")
        }
        if summary.duplicates > 0 {
            print("\(counted(summary.duplicates, "event")) \(summary.duplicates == 1 ? "was" : "were") already stored with the same content and skipped.")
        }
        print("Head: \(summary.head.digestLine)")
    }
}

/// An import's progress: events read and how much of the file that is.
struct ImportProgress {
    let verb: String
    let line = ProgressLine()

    var report: ((Int, Int, Int) -> Void)? {
        guard line.shown else { return nil }
        return { [verb, line] events, read, size in
            let percent = size > 0 ? " (\(ProgressLine.percent(read, of: size))% of the file)" : ""
            line.show("\(verb): \(events) events checked\(percent)")
        }
    }

    func end() { line.end() }
}
