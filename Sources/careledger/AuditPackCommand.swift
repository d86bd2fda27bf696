import ArgumentParser
import CareLedger
import LedgerJSON
import ReadModels
import Timelines
import ProjectionKit
import Caseload
import Retention
import PartnerActivity

/// `careledger audit-pack --worker W | --period P --out DIR`, and `audit-pack verify DIR`.
struct AuditPackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-pack",
        abstract: "Write an audit pack of a worker or a period, or verify one offline.",
        discussion: """
            A pack holds the selected events as stored (personal data as ciphertext), every stored \
            event from the first of them to the head (so the hash chain can be recomputed up to the \
            head digest), the read-model figures with the seq range, projection versions and \
            schemas (their SHA-256, as --version prints it) that produced them, and a manifest with the head digest and each file's SHA-256. \
            `verify` needs only the pack: any changed byte fails it. With --digest, the pack must \
            also extend a digest published earlier (in board minutes, say).

              careledger audit-pack --worker W-00123 --out pack-W-00123
              careledger audit-pack --period 2024-25 --out pack-2024-25
              careledger audit-pack verify pack-2024-25 --digest 1200:9f86d0…
              careledger audit-pack verify pack-2024-25 --json   # for a script

            An auditor who would rather not trust this binary checks a pack with a page of Python \
            from CareLedger's source instead: \
            python3 Tools/reference/verifypack.py pack-2024-25 --digest 1200:9f86d0…
            """,
        subcommands: [Write.self, Verify.self],
        defaultSubcommand: Write.self)

    struct Write: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "write", abstract: "Write a pack (the default).")
        @OptionGroup var options: DataOptions
        @Option(help: ArgumentHelp("A worker's events: its stream, its cases' and its concerns'.", valueName: "workerRef")) var worker: String?
        @Option(help: ArgumentHelp("Every event dated in the period: YYYY-MM, YYYY-Qn, YYYY-YY or YYYY-MM-DD..YYYY-MM-DD.", valueName: "period"))
        var period: String?
        @Option(help: ArgumentHelp("The folder to write (new or empty).", valueName: "dir")) var out: String
        @Flag(help: "Answer with JSON: the pack's folder, its events, its chain's ends, its head and its manifest's hash.")
        var json = false

        func run() throws {
            let selection: AuditSelection
            switch (worker, period) {
            case (let worker?, nil): selection = .worker(worker)
            case (nil, let text?): selection = .period(try Period(text))
            default: throw LedgerError(.usage, "give one of --worker W or --period P")
            }
            let models = try options.readModels()
            let line = ProgressLine()
            defer { line.end() }
            let progress: ((Seq, Seq) -> Void)? = line.shown ? { line.show("packing: reading the log", seq: $0, of: $1) } : nil
            let summary = try AuditPack.write(ledger: models.ledger, selection: selection, to: out, createdBy: operatingSystemUser,
                                              progress: progress) { head in
                line.end()
                // Folded up to at least the pack's head, so the figures are those known at it exactly.
                try models.catchUp()
                let versions: JSONValue = .object(ReadModels.projections.map { ($0.name, .integer(Int64($0.version))) })
                return (try figures(models, selection, knownAt: head.recordedAt), versions)
            }
            line.end()
            if json {
                printJSON(.object([("out", .string(out)), ("events", .integer(Int64(summary.events))),
                                   ("chain", AuditPackCommand.chain(from: summary.chainFrom, to: summary.head)),
                                   ("head", summary.head.digestJSON), ("manifestHash", .string(summary.manifestHash))]))
                return
            }
            print("Wrote \(out): \(counted(summary.events, "event")), the chain from seq \(summary.chainFrom) to the head \(summary.head.digestLine).")
            print("Manifest hash \(summary.manifestHash). Check it anywhere with: careledger audit-pack verify \(ShellWord.quoted(out))")
        }

        private func figures(_ models: ReadModels, _ selection: AuditSelection, knownAt: Instant?) throws -> JSONValue {
            switch selection {
            case .worker(let worker):
                return .object([("timeline", try models.timeline(.worker, id: worker, knownAt: knownAt).json)])
            case .period(let period):
                let options = QueryOptions(asOf: period.to, knownAt: knownAt, period: period)
                return .object([
                    ("caseload", try models.caseload(options).json(publish: false)),
                    ("retention", try models.retention(options).json(publish: false)),
                    ("partners", try models.partners(options).json(publish: false)),
                    ("programme", try models.programme(period: period, knownAt: knownAt).json(publish: false)),
                ])
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a pack offline: manifest, files, chain and selection.")
        @Argument(help: "The pack's folder.") var folder: String
        @Option(help: ArgumentHelp("A published head, SEQ:HASH as `careledger digest` prints it, that the pack must hold.", valueName: "seq:hash"), transform: OptionValue.digest)
        var digest: PublishedDigest?
        @Option(help: ArgumentHelp("Accepted as by every command, and not used: a pack is verified without the ledger.", valueName: "dir"))
        var data: String?
        @Flag(help: "Answer with JSON: {\"ok\": true, …} with the pack's selection, events, chain and head, or {\"ok\": false, \"detail\": …} (exit 1).")
        var json = false

        func run() throws {
            let line = ProgressLine()
            defer { line.end() }
            let progress: ((Seq, Seq) -> Void)? = line.shown ? { line.show("verifying the chain", seq: $0, of: $1) } : nil
            do {
                let report = try AuditPack.verify(folder: folder, digest: digest, progress: progress)
                line.end()
                if json {
                    var answer: [(String, JSONValue)] = [
                        ("ok", .bool(true)), ("selection", .string(report.selection)), ("events", .integer(Int64(report.events))),
                        ("chain", AuditPackCommand.chain(from: report.chainFrom, to: report.head)), ("head", report.head.digestJSON),
                        ("manifestHash", .string(report.manifestHash)), ("leftAside", .array(report.leftAside.map { .string($0) })),
                    ]
                    if let digest { answer.append(("digest", .string(digest.description))) }
                    printJSON(.object(answer))
                    return
                }
                print("Verified \(folder): \(counted(report.events, "event")) of \(report.selection); the chain from seq \(report.chainFrom) to the head \(report.head.digestLine) is intact\(digest.map { " and holds \($0)" } ?? "").")
                if !report.leftAside.isEmpty {
                    print("Left aside, unread: \(report.leftAside.map { TerminalText.visible($0) }.joined(separator: ", ")), made by a desktop that showed the folder, not part of the pack.")
                }
            } catch {
                line.end()
                if json {
                    printJSON(.object([("ok", .bool(false)), ("detail", .string(error.rule))]))
                } else {
                    printError("careledger: \(folder): \(error.rule)")
                }
                throw CheckFailed(status: ExitStatus.checkFailed)
            }
        }
    }

    static func chain(from: Seq, to head: LogHead) -> JSONValue {
        .object([("from", .integer(Int64(from.rawValue))), ("to", .integer(Int64(head.seq.rawValue)))])
    }
}
