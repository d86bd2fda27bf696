import ArgumentParser
import CareLedger
import ReadModels
import Foundation

/// The data folder, accepted by every subcommand.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The data folder (default: $CARELEDGER_DATA, else ./careledger-data).", valueName: "dir"))
    var data: String?

    @Option(name: .customLong("master-key"), help: ArgumentHelp(
        "The master key file, for personal data (default: $CARELEDGER_MASTER_KEY_FILE, or the key itself in $CARELEDGER_MASTER_KEY).",
        valueName: "file"))
    var masterKeyFile: String?

    var folder: String {
        data ?? Self.setting("CARELEDGER_DATA") ?? "./careledger-data"
    }

    /// An empty `--data` or `--master-key` (`--data "$DIR"` with `DIR` unset) names nothing: it
    /// would have made or read the ledger in the working folder.
    func validate() throws {
        for (option, value) in [("--data", data), ("--master-key", masterKeyFile)] where value?.allSatisfy(\.isWhitespace) == true {
            throw ValidationError("\(option) was given an empty name: give the \(option == "--data" ? "data folder" : "master key file"), or leave the option out for its default")
        }
    }

    /// A setting from the environment, `nil` when unset or empty: `CARELEDGER_DATA=` (a variable
    /// set to nothing, as an unset one expands) means the default, not the working folder.
    static func setting(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// The master key file the operator named, if any: `--master-key FILE`, else
    /// `$CARELEDGER_MASTER_KEY_FILE`.
    var masterKeyPath: String? { masterKeyFile ?? Self.setting("CARELEDGER_MASTER_KEY_FILE") }

    /// The master key the operator gave, if any: `--master-key FILE`, else the file named by
    /// `$CARELEDGER_MASTER_KEY_FILE`, else the base64 key in `$CARELEDGER_MASTER_KEY`.
    func masterKey() throws -> MasterKey? {
        if let file = masterKeyPath { return try MasterKey.read(file: file) }
        if let text = Self.setting("CARELEDGER_MASTER_KEY") { return try MasterKey(text: text, source: "$CARELEDGER_MASTER_KEY") }
        return nil
    }

    /// The ledger, with the master key the operator gave.
    /// - Parameter withoutMasterKey: what a refusal for want of that key says (a server's
    ///   client cannot pass one).
    func open(readOnly: Bool = false, withMasterKey: Bool = true, withoutMasterKey: MasterKeyRemedy = .commandLine) throws -> Ledger {
        try Ledger(folder: folder, readOnly: readOnly, masterKey: withMasterKey ? try masterKey() : nil, withoutMasterKey: withoutMasterKey)
    }

    /// The ledger, opened for reading only: a command that writes nothing to the log works on a
    /// folder this user may not write (an auditor's copy), and says so when that means reading
    /// without LMDB's lock.
    /// - Parameter withMasterKey: `false` for a command that never opens personal data (verify,
    ///   digest): then neither the master key nor the data-key file is read, and a damaged or
    ///   missing one does not stop the command.
    func openForReading(withMasterKey: Bool = true) throws -> Ledger {
        let ledger = try open(readOnly: true, withMasterKey: withMasterKey)
        if let note = ledger.lockNote { printError("careledger: note: \(note)") }
        return ledger
    }

    /// The read models over the ledger opened for reading, saying where they come from when that
    /// is not the data folder's own store.
    func readModels() throws -> ReadModels {
        let models = try ReadModels(ledger: openForReading())
        if let note = models.note { printError("careledger: note: \(note)") }
        return models
    }
}

/// Who runs this command, as the access log records a reveal: the operating-system user.
var operatingSystemUser: String {
    let environment = ProcessInfo.processInfo.environment
    return "os:" + (environment["USER"] ?? environment["LOGNAME"] ?? NSUserName())
}
