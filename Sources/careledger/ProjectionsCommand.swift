import ArgumentParser
import CareLedger
import LedgerJSON
import LMDBStore
import ProjectionKit
import ReadModels
import Foundation

/// `careledger projections status|rebuild [NAME]`.
struct ProjectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections",
        abstract: "Show the read models' positions, or rebuild them from the log.",
        discussion: """
            The read models live in DATA/projections, beside the log; each keeps a checkpoint (the last \
            seq it folded in) committed with its state. Queries catch them up first; a read model whose \
            code version changed rebuilds itself.

            Examples:
              careledger projections status
              careledger projections verify     # the kept read models against a rebuild
              careledger projections rebuild    # every read model, from seq 1
              careledger projections rebuild caseload
            """,
        subcommands: [Status.self, Verify.self, Rebuild.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show each read model's checkpoint, version and lag behind the log.")
        @OptionGroup var options: DataOptions
        @Flag(help: "Answer with JSON.") var json = false

        func run() throws {
            let ledger = try options.openForReading()
            let folder = ProjectionStore.folder(in: options.folder)
            // The folder's own read models, as they are: where this user may not write them,
            // queries build fresh ones elsewhere when they are behind, but this reports the folder's.
            let readOnly = !ReadModels.mayKeepReadModels(in: options.folder)
            let store: ProjectionStore
            if readOnly {
                // Only an absent store is reported as such; a damaged one is an error like any other.
                guard FileManager.default.fileExists(atPath: folder + "/data.mdb") else {
                    if json {
                        printJSON(.object([("head", .integer(Int64(try ledger.head().seq.rawValue))), ("readOnly", true), ("projections", .array([]))]))
                    } else {
                        print("\(folder) holds no read models, and is read-only to this user: queries build them from the log in a temporary folder each time.")
                    }
                    return
                }
                store = try ProjectionStore(readingOnly: options.folder, projections: ReadModels.projections)
            } else {
                store = try ProjectionStore(dataFolder: options.folder, projections: ReadModels.projections)
            }
            let head = try ledger.head().seq
            let statuses = try store.status(against: ledger)
            if json {
                printJSON(.object([("head", .integer(Int64(head.rawValue))), ("readOnly", .bool(readOnly)), ("projections", .array(statuses.map { status in
                    .object([("name", .string(status.name)), ("version", .integer(Int64(status.version))),
                             ("checkpoint", .integer(Int64(status.checkpoint.seq.rawValue))),
                             ("storedVersion", .integer(Int64(status.checkpoint.version))),
                             ("lag", .integer(Int64(status.lag))), ("records", .integer(Int64(status.records)))])
                }))]))
                return
            }
            print("Read models in \(folder)\(readOnly ? " (read-only to this user)" : ""); log head seq \(head)")
            print(table(["name", "version", "checkpoint", "lag", "records", "state"], statuses.map { status in
                [status.name, String(status.version), String(status.checkpoint.seq.rawValue), String(status.lag), String(status.records),
                 status.lag == 0 && !status.isStale ? "up to date"
                     : readOnly ? "behind the log: queries here build fresh ones in a temporary folder"
                     : status.isStale && status.checkpoint.version != 0 ? "rebuilds on next query (built by version \(status.checkpoint.version))"
                     : "catches up on next query"]
            }))
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the kept read models, record by record, against a rebuild from the log.",
            discussion: """
                The figures queries print come from DATA/projections, which the hash chain does not \
                cover: a damaged or altered store would serve wrong figures without a sign. This builds \
                every read model from the log in a temporary folder (progress is shown on a terminal) \
                and compares the two. Exit 0 when \
                they match; exit 1 naming the first record that differs (then `careledger projections \
                rebuild` mends the store: the log is not affected).

                Catches the kept read models up first where this user may write them; on a read-only \
                copy they must already hold the whole log.

                  careledger projections verify
                """)
        @OptionGroup var options: DataOptions

        func run() throws {
            let ledger = try options.openForReading()
            let folder = ProjectionStore.folder(in: options.folder)
            let writable = ReadModels.mayKeepReadModels(in: options.folder)
            // A store too damaged for LMDB to read through fails this check (exit 1).
            MappedFiles.noteVerifying(seq: nil)
            guard writable || FileManager.default.fileExists(atPath: folder + "/data.mdb") else {
                print("\(folder) holds no read models to verify.")
                throw CheckFailed(status: ExitStatus.checkFailed)
            }
            let temporary = ScratchDataFolder(purpose: "verify")
            defer { temporary.remove() }
            let rebuilt = try ProjectionStore(dataFolder: temporary.path, projections: ReadModels.projections)
            let kept: ProjectionStore
            do {
                kept = writable
                    ? try ProjectionStore(dataFolder: options.folder, projections: ReadModels.projections)
                    : try ProjectionStore(readingOnly: options.folder, projections: ReadModels.projections)
            } catch {
                // (A typed throw: `catch let … as LedgerError where …` here crashed the 6.3.1 compiler.)
                guard error.code == .damaged else { throw error }
                throw Self.failed(error)
            }
            let outcome: (difference: StoreDifference?, compared: Int)
            let line = ProgressLine()
            defer { line.end() }
            do {
                try Self.foldToOnePoint(kept, rebuilt, from: ledger, catchingUpKept: writable, folder: folder) { reached, head in
                    line.show("rebuilding to compare", seq: reached, of: head)
                }
                line.show("comparing the read models record by record")
                outcome = try kept.firstDifference(from: rebuilt)
            } catch let error as LedgerError where error.code == .damaged {
                throw Self.failed(error)
            }
            line.end()
            if let difference = outcome.difference {
                print("The read models in \(folder) differ from a rebuild from the log: \(difference).")
                print("Rebuild them with `careledger projections rebuild`; the log is not affected.")
                throw CheckFailed(status: ExitStatus.checkFailed)
            }
            let head = try ledger.head().seq
            let span = head == .zero ? "an empty log" : "seq 1 to \(head)"
            print("The read models in \(folder) match a rebuild from the log (\(span)): \(counted(UInt64(outcome.compared), "record")) and sums compared.")
        }

        /// Folds both stores to one point of the log: appends by others in between are folded
        /// into both (a few tries), which a read-only kept store cannot follow.
        private static func foldToOnePoint(_ kept: ProjectionStore, _ rebuilt: ProjectionStore, from ledger: Ledger,
                                           catchingUpKept: Bool, folder: String, progress: @escaping (Seq, Seq) -> Void) throws {
            for attempt in 1...3 {
                if catchingUpKept { try kept.catchUp(from: ledger) }
                try rebuilt.catchUp(from: ledger, progress: progress)
                let (keptAt, rebuiltAt) = (try kept.checkpointsByProjection(), try rebuilt.checkpointsByProjection())
                if keptAt == rebuiltAt { return }
                if !catchingUpKept || attempt == 3 {
                    let stands = keptAt.values.map(\.seq.rawValue).min() ?? 0, head = rebuiltAt.values.map(\.seq.rawValue).max() ?? 0
                    print("Cannot verify: the read models in \(folder) stand at seq \(stands), the log at \(head)\(catchingUpKept ? " and growing" : ", and this user may not catch them up").")
                    throw CheckFailed(status: ExitStatus.checkFailed)
                }
            }
        }

        /// Says that a store too damaged to read through failed the check (what it exists to
        /// find), and answers the exit to throw.
        private static func failed(_ error: LedgerError) -> CheckFailed {
            print("Verification of the read models FAILED: \(error.rule).")
            return CheckFailed(status: ExitStatus.checkFailed)
        }
    }

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rebuild read models from seq 1 (all, or the one named).")
        @Argument(help: "caseload, retention, partners or timelines (default: all).")
        var name: String?
        @OptionGroup var options: DataOptions

        func run() throws {
            let models = try ReadModels(ledger: options.open())
            let started = Instant.now()
            let line = ProgressLine()
            defer { line.end() }
            try models.store.rebuild(name.map { [$0] } ?? [], from: models.ledger) { reached, head in
                line.show("rebuilding", seq: reached, of: head)
            }
            line.end()
            let seconds = Double(Instant.now().microseconds - started.microseconds) / 1_000_000
            let head = try models.ledger.head().seq
            print("Rebuilt \(name ?? "every read model") over \(counted(head.rawValue, "event")) in \(String(format: "%.2f", seconds)) s.")
        }
    }
}
