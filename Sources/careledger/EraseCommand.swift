import ArgumentParser
import CareLedger

/// `careledger erase WORKER_REF --request REF`.
struct EraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a worker's personal data: destroy its key and record PersonalDataErased.",
        discussion: """
            The worker's data key is destroyed first (the key file is rewritten without it, so its \
            bytes are in no file the ledger keeps), then PersonalDataErased is appended to the \
            worker's stream. The events stay, and the chain still verifies; every read shows \
            "[erased]" for that worker's pii and notes, and the read models keep their counts. \
            No personal data is recorded for the worker again. It needs no master key.

              careledger erase W-00123 --request DSR-2025-017

            Backups taken earlier still hold the key, wrapped by the master key of the time: \
            rotate the master key (careledger keys rotate-master) and destroy the old one to make \
            them unreadable too.
            """)
    @OptionGroup var options: DataOptions
    @Argument(help: "The worker, such as W-00123.") var workerRef: String
    @Option(help: ArgumentHelp("The data subject's request reference, kept in the event.", valueName: "ref"))
    var request: String

    func run() throws {
        let ledger = try options.open()
        let held = try ledger.vault.hasKey(workerRef)
        let result: AppendResult
        do {
            result = try WriterWaitNotice.whileWaiting { () throws(LedgerError) in
                try ledger.erase(worker: workerRef, request: request, actor: operatingSystemUser)
            }
        } catch {
            // The library points into an erasure request's fields; here they are the arguments.
            switch error.pointer {
            case "/workerRef": throw LedgerError(error.code, "cannot erase \(workerRef): \(error.rule)")
            case "/requestReference": throw LedgerError(error.code, error.rule, pointer: "--request")
            default: throw error
            }
        }
        let position = result.positions[0]
        let recorded = "PersonalDataErased at seq \(position.seq) (\(position.stream) version \(position.streamVersion))"
        if held {
            print("Erased the personal data of \(workerRef): its data key is destroyed; \(recorded).")
        } else {
            // Said, so that a data subject's request is not answered as if data were destroyed.
            print("\(workerRef) held no personal data (no data key): nothing was destroyed; \(recorded), so none is recorded for it again.")
        }
    }
}
