import ArgumentParser
import CareLedger
import LedgerJSON
import Foundation
import LMDBStore

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show counts of events, streams and types, and the size of the ledger.")

    @OptionGroup var options: DataOptions

    @Flag(help: "Answer with JSON.")
    var json = false

    func run() throws {
        let ledger = try options.openForReading()
        let stats = try ledger.statistics()
        let disk = FileSystemSpace(holding: options.folder)
        // The personal-data counts need the data-key file and the access log, which a user who
        // may read the log (an auditor's account, say) may not: the rest is shown, then why not
        // these, and the exit status is the failure's, so a script is not told all is well.
        let personal: (keys: (workersWithKeys: Int, erased: Int, masterKeyID: String?), reveals: Int)?
        var failure: LedgerError?
        do {
            let keys = try ledger.vault.summary()
            let reveals = FileManager.default.fileExists(atPath: AccessLog.folder(in: options.folder) + "/data.mdb")
                ? try AccessLog(dataFolder: options.folder, readOnly: true).verify().entries : 0
            personal = (keys, Int(reveals))
        } catch {
            failure = error
            personal = nil
        }
        defer {
            if let failure {
                printError("careledger: personal data is not counted: \(failure.rule)")
            }
        }
        if json {
            printJSON(.object([
                ("events", .integer(Int64(stats.events))), ("streams", .integer(Int64(stats.streams))),
                ("retracted", .integer(Int64(stats.retracted))),
                ("head", stats.head.digestJSON),
                ("firstRecordedAt", stats.firstRecordedAt.map { .string($0.description) } ?? .null),
                ("lastRecordedAt", stats.head.recordedAt.map { .string($0.description) } ?? .null),
                ("byType", .object(stats.byType.map { ($0.type.rawValue, .integer(Int64($0.count))) })),
                ("usedBytes", .integer(Int64(stats.usedBytes))), ("mapBytes", .integer(Int64(stats.mapBytes))),
                ("disk", disk.map { .object([("freeBytes", .integer(Int64($0.free))), ("totalBytes", .integer(Int64($0.total)))]) } ?? .null),
                ("personalData", personal.map { keys, reveals in
                    .object([("workersWithKeys", .integer(Int64(keys.workersWithKeys))), ("erased", .integer(Int64(keys.erased))),
                             ("masterKeyId", keys.masterKeyID.map(JSONValue.string) ?? .null),
                             ("revealsRecorded", .integer(Int64(reveals)))])
                } ?? .null),
            ]))
            if let failure { throw CheckFailed(status: ExitStatus.code(for: failure.code)) }
            return
        }
        print("Ledger in \(options.folder)")
        print("  events     \(stats.events) (\(stats.retracted) retracted)")
        print("  streams    \(stats.streams)")
        print("  head       \(stats.head.digestLine)")
        if let first = stats.firstRecordedAt, let last = stats.head.recordedAt {
            print("  recorded   \(first) to \(last)")
        }
        print("  size       \(stats.usedBytes / 1024) KiB in use")
        if let disk { print("  disk       \(disk.description) (the file system holding it)") }
        if let (keys, reveals) = personal {
            print("  personal   \(counted(keys.workersWithKeys, "worker")) with a data key, \(keys.erased) erased; master key \(keys.masterKeyID ?? "none yet"); \(counted(reveals, "reveal")) recorded")
        } else {
            print("  personal   not counted (see below)")
        }
        if !stats.byType.isEmpty {
            print("")
            print(table(["type", "events"], stats.byType.map { [$0.type.rawValue, String($0.count)] }))
        }
        if let failure { throw CheckFailed(status: ExitStatus.code(for: failure.code)) }
    }
}
