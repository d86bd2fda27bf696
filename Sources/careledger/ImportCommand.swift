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

              careledger import provider-return-2025-04.ndjson
            """)

    @OptionGroup var options: DataOptions

    @Argument(help: ArgumentHelp("The NDJSON file (- for standard input).", valueName: "file"))
    var file: String

    @Flag(help: "Answer with JSON.")
    var json = false

    func run() throws {
        let ledger = try options.open()
        // On a terminal, one line that updates; with CARELEDGER_PROGRESS=always (scripts, tests), a line each time.
        let terminal = isatty(2) == 1
        let showProgress = terminal || ProcessInfo.processInfo.environment["CARELEDGER_PROGRESS"] == "always"
        let started = Date()
        let summary = try ledger.importNDJSON(path: file, progress: showProgress ? { events, read, size in
            let percent = size > 0 ? " (\(min(100, read * 100 / size))% of the file)" : ""
            let line = "importing: \(events) events checked\(percent)"
            FileHandle.standardError.write(Data((terminal ? "\r" + line : line + "\n").utf8))
        } : nil)
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
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
