import ArgumentParser
import CareLedger
import Foundation

/// `careledger keys init|rotate-master`.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make and rotate the master key that protects personal data.",
        discussion: """
            Personal data (WorkerRegistered pii, SupportProvided notes) is stored only encrypted, \
            under a data key of each worker's own; the data keys are wrapped by a master key that \
            you keep outside the data folder and its backups. Without it the ledger refuses \
            personal data, and nobody can read what is stored.

              careledger keys init --master-key /etc/careledger/master.key
              careledger append events.ndjson --master-key /etc/careledger/master.key
              export CARELEDGER_MASTER_KEY_FILE=/etc/careledger/master.key  # or once

            A command may read it from a pipe, so that it is never written to a disk here:
              careledger read --reveal --master-key <(secrets get master-key)

            Rotate it (after a suspected leak, or to make earlier backups unreadable):
              careledger keys rotate-master --master-key old.key --new-master-key new.key

            Then keep new.key, and destroy old.key once no backup you still need depends on it. \
            A server running with old.key answers personal data with 503 until new.key is in that \
            file's place, which it reads again (no restart): copy old.key elsewhere first while \
            backups still need it, then move new.key over it.
            """,
        subcommands: [Init.self, RotateMaster.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a master key (or take the one given) and bind this ledger's data keys to it.",
            discussion: """
                With --master-key FILE naming no file yet, a new random key is written there \
                (readable by its owner alone); naming a file that exists, or with \
                $CARELEDGER_MASTER_KEY set, that key is used.
                """)
        @OptionGroup var options: DataOptions

        func run() throws {
            let file = options.masterKeyPath
            let key: MasterKey
            var made = false
            if let file, !FileManager.default.fileExists(atPath: file) {
                try options.refuseKeyInsideDataFolder(file)
                key = MasterKey.generate()
                try key.write(toNewFile: file)
                made = true
            } else if let existing = try options.masterKey() {
                key = existing
            } else {
                throw LedgerError(.usage, "say where to keep the new master key: careledger keys init --master-key FILE (outside the data folder)")
            }
            let ledger = try options.open()
            let bound = try ledger.bindMasterKey(key)
            if made { print("Wrote a new master key to \(file!) (id \(key.id)).") }
            print(bound ? "The data keys of \(options.folder) are bound to master key \(key.id)." : "The data keys of \(options.folder) were bound to master key \(key.id) already.")
            if made { print("Keep that file apart from the data folder and its backups: without it no personal data can be read.") }
        }
    }

    struct RotateMaster: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-master",
            abstract: "Re-wrap every data key under a new master key, written to a new file.")
        @OptionGroup var options: DataOptions
        @Option(name: .customLong("new-master-key"), help: ArgumentHelp("Where to write the new master key (a new file).", valueName: "file"))
        var newMasterKey: String

        func validate() throws {
            if newMasterKey.allSatisfy(\.isWhitespace) {
                throw ValidationError("--new-master-key was given an empty name: give the new file to write the master key to")
            }
        }

        func run() throws {
            try options.refuseKeyInsideDataFolder(newMasterKey)
            let ledger = try options.open()
            guard ledger.vault.masterKey != nil else {
                throw LedgerError(.usage, "give the current master key (--master-key FILE) to rotate it")
            }
            let fresh = MasterKey.generate()
            try fresh.write(toNewFile: newMasterKey)
            do {
                let count = try ledger.rotateMasterKey(to: fresh)
                print("Re-wrapped \(counted(count, "data key")) under master key \(fresh.id), written to \(newMasterKey).")
                print("Use it from now on; destroy the old key to make personal data in earlier backups unreadable.")
            } catch {
                unlink(newMasterKey)
                throw error
            }
        }
    }
}

extension DataOptions {
    /// A master key written into the data folder would travel with every copy of it (backups,
    /// audit copies), so the copy would hold both the ciphertext and the key that opens it.
    func refuseKeyInsideDataFolder(_ file: String) throws {
        if FolderPath.isWithin(file, folder) {
            throw LedgerError(.usage, "\(file) is inside the data folder \(folder): keep the master key apart from the data, so a copy of one is not a copy of both")
        }
    }
}
