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

            To restore, stop what writes to the ledger, move the copy into place as the data \
            folder (or point --data at it) and verify it. The master key is not in the copy: its \
            personal data opens with the master key that was current when it was taken (keys \
            rotate-master re-wraps the ledger's key file, not the copies).

              careledger verify --data /backups/careledger-2025-04-01
            """)

    @OptionGroup var options: DataOptions

    @Argument(help: ArgumentHelp("A new or empty folder for the copy.", valueName: "dest"))
    var destination: String

    func run() throws {
        let head = try options.openForReading().backup(to: destination)
        print("Backed up the ledger to \(destination): head \(head.digestLine).")
    }
}
