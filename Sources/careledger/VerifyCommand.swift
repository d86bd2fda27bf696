import ArgumentParser
import CareLedger
import LedgerJSON
import LMDBStore

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Replay the hash chain and check that nobody rewrote the log.",
        discussion: """
            Recomputes every event's hash (SHA-256 over the previous hash and the event's canonical \
            bytes) and checks seqs, canonical form and recording order; then that the id, stream \
            and type indexes hold exactly the events' entries and (from seq 1) that the state the \
            lifecycle rules keep is what the events make: both are outside the chain, and reads \
            and rules go by them. Exit 0 when intact; exit 1 naming the first bad seq otherwise, \
            also when the data file is damaged or cut short. Progress is shown on a terminal.

            With --digest SEQ:HASH (a line printed by `careledger digest` and published earlier), \
            it also checks that the event at SEQ still has HASH: the log extends what was published. \
            Without the command line: GET /v1/verify?digest=SEQ:HASH, or the form at the foot of \
            the dashboard.

              careledger verify
              careledger verify --chain-only    # the hash chain alone: half the time
              careledger digest > published.txt  # publish this line (1200:9f86d0…); later:
              careledger verify --digest "$(cat published.txt)"
            """)

    @OptionGroup var options: DataOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Start at this seq, trusting the hash stored before it.", valueName: "seq"), transform: OptionValue.seq)
    var from: Seq = Seq(1)

    @Option(help: ArgumentHelp("A published head, SEQ:HASH as `careledger digest` prints it, that the log must still extend.", valueName: "seq:hash"), transform: OptionValue.digest)
    var digest: PublishedDigest?

    @Flag(help: "Check the hash chain alone, not the indexes and the rules' state beside it.")
    var chainOnly = false

    @Flag(help: "Answer with JSON, as GET /v1/verify does.")
    var json = false

    func run() throws {
        // Opening reads the log's first pages: a data file cut short may fault there already,
        // and then nothing from `from` on can be checked.
        MappedFiles.noteVerifying(seq: from.rawValue)
        if json { MappedFiles.noteVerificationAnswersJSON() }
        let report: VerificationReport
        let line = ProgressLine()
        defer { line.end() }
        do {
            let progress: ((Int, Int) -> Void)? = line.shown ? { checked, total in
                line.show("verifying: \(checked) of \(total) events (\(ProgressLine.percent(checked, of: total))%)")
            } : nil
            report = try options.openForReading(withMasterKey: false).verify(from: from, digest: digest, indexes: !chainOnly, progress: progress)
        } catch let error as LedgerError where error.code == .damaged {
            // A damaged data file is what verification exists to find: exit 1, not a storage error.
            report = .unreadable(from: from, detail: error.rule)
        }
        line.end()
        if json {
            if report.ok {
                printJSON(.object([("ok", .bool(true)), ("seq", .integer(Int64(report.head.seq.rawValue))),
                                   ("hash", .string(report.head.hash.description))]))
            } else {
                printJSON(.object([("ok", .bool(false)), ("firstBadSeq", .integer(Int64(report.firstBadSeq!.rawValue))),
                                   ("detail", .string(report.detail ?? ""))]))
            }
        } else if report.ok {
            print("Verified \(counted(report.checked, "event")): the chain is intact. Head: \(report.head.digestLine)")
            if let digest { print("The log extends the published digest \(digest).") }
        } else {
            print("Verification FAILED at seq \(report.firstBadSeq!): \(report.detail ?? "")")
            print("Events before it verified (\(report.checked) checked).")
        }
        if !report.ok { throw CheckFailed(status: ExitStatus.checkFailed) }
    }
}
