import ArgumentParser
import CareLedger
import ReadModels
import Retention
import Caseload
import PartnerActivity
import LedgerJSON

/// `careledger query caseload|retention|partners`.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Answer from a read model: the caseload, retention cohorts or partner activity.",
        discussion: """
            Every answer stands at two instants: --as-of D (valid time: what had happened by that date; \
            default today, or the period's last day) and --known-at T (transaction time: what the ledger \
            had recorded by then, retractions included; default now). The read models catch up with the \
            log first, so an answer is never stale.

            Examples:
              careledger query caseload
              careledger query caseload --as-of 2025-03-31 --known-at 2025-04-01T09:00:00Z
              careledger query retention --period 2024-25 --by provider --horizons 3,6,12
              careledger query partners --period 2024-Q3 --csv > partners.csv
              careledger query retention --period 2024-25 --publish --json    # for a board

            --publish applies disclosure control (SPEC 5.5): counts of 1 to 4 read "<5", others are \
            rounded to the nearest 5, rates over fewer than 10 are suppressed, and caseload rows are left out.
            """)

    enum Model: String, ExpressibleByArgument, CaseIterable {
        case caseload, retention, partners
    }

    @Argument(help: "The read model: caseload, retention or partners.")
    var model: Model

    @OptionGroup var options: DataOptions
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Valid time: the date to answer as of (YYYY-MM-DD).", valueName: "date"))
    var asOf: String?
    @OptionGroup var knownAt: KnownAtOption
    @OptionGroup var period: PeriodOption
    @OptionGroup var retention: RetentionFormOption
    @Flag(help: "Apply disclosure control for publication (SPEC 5.5).")
    var publish = false
    @OptionGroup var output: OutputFormatOptions

    func run() throws {
        var query = QueryOptions(asOf: try asOf.map { text throws(LedgerError) in try QueryOptions.date(text) },
                                 knownAt: try knownAt.knownAt(), period: try period.period())
        query.publish = publish
        if model != .retention {
            if retention.by != nil { throw LedgerError(.usage, "--by splits retention cohorts only") }
            if retention.horizons != nil { throw LedgerError(.usage, "--horizons applies to retention only") }
        }
        try retention.apply(to: &query)
        let models = try options.readModels()
        try KnownAtOption.noteIfBeforeTheLog(query.knownAt, in: models.ledger)
        switch model {
        case .caseload:
            let answer = try models.caseload(query)
            output.print(json: { answer.json(publish: publish) }, table: { answer.table(publish: publish) })
        case .retention:
            let answer = try models.retention(query)
            output.print(json: { answer.json(publish: publish) }, table: { answer.table(publish: publish) })
        case .partners:
            let answer = try models.partners(query)
            output.print(json: { answer.json(publish: publish) }, table: { answer.table(publish: publish) })
        }
    }
}
