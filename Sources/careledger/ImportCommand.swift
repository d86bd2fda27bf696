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
            """)

    @OptionGroup var options: DataOptions

    @Argument(help: ArgumentHelp("The NDJSON file (- for standard input).", valueName: "file"))
    var file: String

    @Flag(help: "Check the file as the import would, list every event it would refuse, and write nothing.")
    var check = false

    @Option(help: ArgumentHelp("With --check, stop after this many refused events (default: 100).", valueName: "n"))
    var maxProblems: Int?

    @Flag(help: "Answer with JSON.")
    var json = false

    func validate() throws {
        guard let maxProblems else { return }
        if !check { throw ValidationError("--max-problems goes with --check") }
        if maxProblems < 1 { throw ValidationError("--max-problems must be 1 or more, not \(maxProblems)") }
    }

    func run() throws {
        let ledger = try options.open()
        let progress = ImportProgress(verb: check ? "checking" : "importing")
        defer { progress.end() }
        if check {
            let limit = maxProblems ?? 100
            let report = try ledger.checkImport(path: file, problemLimit: limit, progress: progress.report)
            progress.end()
            try printCheck(report, of: file == "-" ? "standard input" : file, json: json, limit: limit)
            return
        }
        let started = Date()
        let summary = try ledger.importNDJSON(path: file, progress: progress.report)
        progress.end()
        let seconds = Date().timeIntervalSince(started)
        if json {
            printJSON(.object([
                ("appended", .integer(Int64(summary.appended))), ("duplicates", .integer(Int64(summary.duplicates))),
                ("firstSeq", summary.firstSeq.map { .integer(Int64($0.rawValue)) } ?? .null),
                ("lastSeq", summary.lastSeq.map { .integer(Int64($0.rawValue)) } ?? .null),
                ("head", .string(summary.head.digestLine)),
            ]))
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

/// Progress on standard error: on a terminal one line that updates (ended before anything else
/// is printed, an error included); with CARELEDGER_PROGRESS=always (scripts, tests), a line each
/// time; otherwise none.
final class ImportProgress {
    let verb: String
    private let terminal = isatty(2) == 1
    private let shown = isatty(2) == 1 || ProcessInfo.processInfo.environment["CARELEDGER_PROGRESS"] == "always"
    private var lineOpen = false

    init(verb: String) { self.verb = verb }

    var report: ((Int, Int, Int) -> Void)? {
        guard shown else { return nil }
        return { [self] events, read, size in
            let percent = size > 0 ? " (\(min(100, read * 100 / size))% of the file)" : ""
            let line = "\(verb): \(events) events checked\(percent)"
            FileHandle.standardError.write(Data((terminal ? "\r" + line : line + "\n").utf8))
            lineOpen = terminal
        }
    }

    /// Ends the updating line, if one is open.
    func end() {
        if lineOpen { FileHandle.standardError.write(Data("\n".utf8)) }
        lineOpen = false
    }
}
