import ArgumentParser
import CareLedger
import CareLedgerServer
import SpreadsheetRows

/// `careledger workbook-sheet`: not for people, and not in the help. `serve` runs it to read a
/// posted workbook in a process of its own (``SheetReader``): the workbook's bytes on standard
/// input, its sheet (or the refusal) on standard output as a ``SheetMessage``.
///
/// A workbook is untrusted bytes handed to Foundation's XML parser, which has crashed the whole
/// process on damaged files (three found by `Tools/fuzz/run.sh rows`, each fixed); here such a
/// file stops only this child. The child also bounds itself, so that a file that would read
/// for ever or fill the machine's memory stops it too, and the server answers the next request.
struct WorkbookSheetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workbook-sheet",
        abstract: "Read a workbook's sheet from standard input for careledger serve (internal).",
        shouldDisplay: false
    )

    @Option(help: "The file's name, as refusals name it.")
    var source: String

    @Option(help: "The sheet to read (else the first not hidden).")
    var sheet: String?

    func run() throws {
        SheetReader.Limits.apply()
        let message: [UInt8]
        do {
            let bytes = try WholeFile.readStandardInput(atMost: CareLedgerServer.maximumBody)
            message = SheetMessage.bytes(of: try Workbook.sheet(of: bytes, source: source, named: sheet))
        } catch let error as LedgerError {
            message = SheetMessage.bytes(of: error)
        } catch {
            let reason = (error as? WholeFile.Failure)?.reason ?? "\(error)"
            message = SheetMessage.bytes(of: LedgerError(.rejected, "cannot read \(source) from standard input: \(reason)"))
        }
        let output = BufferedOutput()
        output.write(message)
        output.flush()
        try StandardOutput.finish()
    }
}
