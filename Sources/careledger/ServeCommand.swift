import ArgumentParser
import CareLedger
import CareLedgerServer
import ReadModels
import Foundation

/// `careledger serve`: the HTTP endpoint of SPEC section 8.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the ledger and its read models over HTTP (loopback only until access tokens exist).",
        discussion: """
            Prints the address it listens on, then serves until SIGINT or SIGTERM, finishing requests \
            in flight. --port 0 picks a free port.

            Examples:
              careledger serve --data ./demo
              curl -s localhost:8080/v1/caseload?asOf=2025-06-30
              curl -s 'localhost:8080/v1/retention?period=2024-25&by=provider&publish=true'
              curl -s localhost:8080/v1/timeline/worker/W-00007
              curl -s -H 'Accept: application/x-ndjson' 'localhost:8080/v1/events?from=1&limit=5'
              curl -s -X POST --data-binary @events.ndjson localhost:8080/v1/events
            """)

    @OptionGroup var options: DataOptions

    @Option(help: ArgumentHelp("The address to listen on: loopback only (127.0.0.1 or ::1) while no access tokens exist.", valueName: "host"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The port to listen on; 0 picks a free one.", valueName: "port"))
    var port = 8080

    func run() async throws {
        let ledger = try options.open()
        let models = try ReadModels(ledger: ledger)
        try models.catchUp()
        let folder = options.folder
        try await CareLedgerServer.serve(models: models, host: host, port: port) { address in
            let line = "careledger serving \(folder) on \(address) (loopback only: no access tokens exist yet)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}
