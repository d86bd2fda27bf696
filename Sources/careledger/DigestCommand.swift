import ArgumentParser
import CareLedger
import LedgerJSON
import ReadModels

struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the head of the log as one line, SEQ:HASH, to publish.",
        discussion: """
            The line is short enough for board minutes. Anyone holding it can later check, with \
            `careledger verify --digest SEQ:HASH` (or the dashboard's form, or GET \
            /v1/verify?digest=SEQ:HASH), that the log still extends it. --known-at gives \
            the head as it stood at an instant: the digest under figures known then (the \
            dashboard prints it beside its figures).

              careledger digest
              careledger digest --known-at 2025-04-01T09:00:00Z
            """)

    @OptionGroup var options: DataOptions

    @Option(help: ArgumentHelp("The head as it stood at this RFC 3339 instant (default: now).", valueName: "instant"))
    var knownAt: String?

    @Flag(help: "Answer with JSON: {\"seq\": …, \"hash\": …}.")
    var json = false

    func run() throws {
        let ledger = try options.openForReading(withMasterKey: false)
        let head = try knownAt.map { text in
            let instant = try QueryOptions.instant(text)
            try KnownAtOption.noteIfBeforeTheLog(instant, in: ledger)
            return try ledger.withSnapshot { try $0.head(knownAt: instant) }
        } ?? ledger.head()
        if json {
            printJSON(head.digestJSON)
        } else {
            print(head.digestLine)
        }
    }
}
