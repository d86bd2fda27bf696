import ArgumentParser
import CareLedger

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the ledger into a new folder.",
        discussion: """
            The copy is one snapshot, safe to take while a server or another import appends. It \
            is a data folder of its own: `careledger verify --data DEST` checks it. It is made in \
            DEST.partial-PID (inside DEST when DEST is an empty folder) and moved into place once \
            whole: a backup that fails or is interrupted leaves nothing at DEST.

              careledger backup /backups/careledger-2025-04-01
            """)

    @OptionGroup var options: DataOptions

    @Argument(help: ArgumentHelp("A new or empty folder for the copy.", valueName: "dest"))
    var destination: String

    func run() throws {
        let head = try options.openForReading().backup(to: destination)
        print("Backed up the ledger to \(destination): head \(head.digestLine).")
    }
}
