import ArgumentParser
import CareLedger

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty ledger in the data folder.",
        discussion: """
            Creates the folder when it is missing. A ledger already there is left exactly as it is.

              careledger init --data ./ledger
            """)

    @OptionGroup var options: DataOptions

    func run() throws {
        if try Ledger.initialise(folder: options.folder) {
            print("Created an empty ledger in \(options.folder).")
        } else {
            print("A ledger already exists in \(options.folder); it was left as it is.")
        }
    }
}
