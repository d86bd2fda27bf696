import ArgumentParser
import CareLedger
import LedgerJSON
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
              careledger projections rebuild              # every read model, from seq 1
              careledger projections rebuild caseload
            """,
        subcommands: [Status.self, Rebuild.self])

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

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rebuild read models from seq 1 (all, or the one named).")
        @Argument(help: "caseload, retention, partners or timelines (default: all).")
        var name: String?
        @OptionGroup var options: DataOptions

        func run() throws {
            let models = try ReadModels(ledger: options.open())
            let started = Instant.now()
            let terminal = isatty(2) != 0
            try models.store.rebuild(name.map { [$0] } ?? [], from: models.ledger) { reached, head in
                if terminal { printError("  rebuilt to seq \(reached) of \(head)") }
            }
            let seconds = Double(Instant.now().microseconds - started.microseconds) / 1_000_000
            let head = try models.ledger.head().seq
            print("Rebuilt \(name ?? "every read model") over \(counted(head.rawValue, "event")) in \(String(format: "%.2f", seconds)) s.")
        }
    }
}
