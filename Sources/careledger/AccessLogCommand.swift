import ArgumentParser
import CareLedger
import LedgerJSON
import Foundation

/// `careledger access-log [--worker W]`.
struct AccessLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-log",
        abstract: "Show who was shown personal data: every reveal, oldest first.",
        discussion: """
            Each reveal (read --reveal, reveal=true over HTTP) is recorded before the data is shown: \
            who (token name, or os:USER for the command line), which worker, which command or \
            route, and when. The log is append-only and hash-chained; its chain is checked on \
            every listing, and a broken one exits 1 naming the first bad entry.

              careledger access-log
              careledger access-log --worker W-00123 --json
            """)
    @OptionGroup var options: DataOptions
    @Option(help: ArgumentHelp("Only reveals of this worker.", valueName: "workerRef")) var worker: String?
    @Flag(help: "One JSON object per line.") var json = false

    func run() throws {
        // Listing writes nothing: the log is opened for reading (an auditor's copy too), and a
        // folder without one has recorded no reveals.
        guard FileManager.default.fileExists(atPath: AccessLog.folder(in: options.folder) + "/data.mdb") else {
            if !json { print("No reveals recorded: \(options.folder) holds no access log yet.") }
            return
        }
        let log = try AccessLog(dataFolder: options.folder, readOnly: true)
        let check = try log.verify()
        let entries = try log.list(worker: worker)
        let total = "\(counted(check.entries, "entry", plural: "entries")); chain head \(check.headHash)"
        if json {
            entries.forEach { printJSON($0.json) }
        } else if let worker, entries.isEmpty {
            // Said in words: an empty table reads as "nobody saw this worker's data", and ids are
            // compared as written, so w-00004 and W-4 find none of W-00004's reveals.
            print("No reveals of worker \(worker) are recorded (the access log holds \(total)).")
            for meant in EntityID.likelyMeant(worker) {
                let reveals = try log.list(worker: meant.id)
                guard !reveals.isEmpty else { continue }
                print("Did you mean \(meant.id)? \(meant.why.prefix(1).uppercased() + meant.why.dropFirst()), and \(meant.id) has \(counted(reveals.count, "reveal")).")
                break
            }
        } else {
            let rows = entries.map { entry in
                ["at", "who", "workerRef", "via"].map { entry.json[$0]?.stringValue ?? "" } + [String(entry.seq)]
            }
            print(table(["when", "who", "worker", "via", "entry"], rows))
            print(worker == nil ? total : "\(counted(entries.count, "reveal")) of \(worker!) shown; the access log holds \(total)")
        }
        if let bad = check.firstBadSeq {
            printError("careledger: the access log's chain breaks at entry \(bad): it was altered")
            throw CheckFailed(status: ExitStatus.checkFailed)
        }
    }
}
