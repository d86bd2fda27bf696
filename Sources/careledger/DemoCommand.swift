import ArgumentParser
import CareLedger
import Foundation
import LMDBStore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write a realistic synthetic programme into an empty ledger.",
        discussion: """
            Partners of every kind across the 14 West Midlands local authorities, providers some of \
            whose sponsor licences are suspended or revoked, workers through recruitment, onboarding, \
            training, employment and endings, displacement and re-placement cases, support, referrals, \
            safeguarding concerns, a few retractions and back-dated returns. The same seed gives the \
            same events; every one passes the ledger's checks. No personal data unless \
            --personal-data asks for synthetic names and support notes (invented, example.org \
            addresses, drama-reserved phone numbers), which need the master key like any other.

              careledger demo --data ./demo                    # about 20 events a worker
              careledger demo --workers 40000 --ndjson > big.ndjson
              careledger demo --data ./demo --personal-data --master-key ~/careledger.key
            """)

    @OptionGroup var options: DataOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("How many workers the programme follows.", valueName: "n"))
    var workers = 400

    @Option(parsing: .unconditional, help: ArgumentHelp("The seed of every random choice.", valueName: "s"))
    var seed: UInt64 = 1

    @Flag(help: "Print the events as NDJSON instead of writing them into a ledger.")
    var ndjson = false

    @Flag(help: "Give workers synthetic personal data (pii) and support episodes notes; needs the master key.")
    var personalData = false

    func validate() throws {
        guard (1...10_000_000).contains(workers) else { throw ValidationError("--workers must be from 1 to 10,000,000") }
    }

    func run() throws {
        let lines = DemoProgramme(workers: workers, seed: seed, personalData: personalData).lines()
        if ndjson {
            let output = BufferedOutput()
            for line in lines { output.line(line) }
            output.flush()
            return
        }
        try Ledger.initialise(folder: options.folder)
        let ledger = try options.open()
        let head = try ledger.head()
        guard head.seq == .zero else {
            throw LedgerError(.usage, "the ledger in \(options.folder) already holds \(head.seq) events; demo writes only into an empty ledger (choose a new --data folder)")
        }
        let file = NSTemporaryDirectory() + "careledger-demo-\(getpid()).ndjson"
        let scratch = ScratchPaths.register([file])
        defer {
            try? FileManager.default.removeItem(atPath: file)
            if let scratch { ScratchPaths.unregister(scratch) }
        }
        guard FileManager.default.createFile(atPath: file, contents: Data((lines.joined(separator: "\n") + "\n").utf8)) else {
            throw LedgerError(.storage, "cannot write the demo's events to \(file) (is the temporary folder full, or not writable? TMPDIR chooses another)")
        }
        let summary = try ledger.importNDJSON(path: file)
        print("Wrote a demo programme of \(workers) workers (seed \(seed)) into \(options.folder): \(counted(summary.appended, "event")).")
        print("Head: \(summary.head.digestLine)")
    }
}
