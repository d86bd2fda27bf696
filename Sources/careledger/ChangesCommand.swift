import ArgumentParser
import CareLedger
import LedgerJSON
import ProjectionKit
import ReadModels

/// `careledger changes --since T|SEQ:HASH`: why a figure published earlier reads differently now.
struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "List what the log has recorded since an earlier reading that changes figures as of a date.",
        discussion: """
            A figure as of a date sees the events recorded by its known-at instant, less those \
            retracted by then, dated on or before that date. So the same figure known then and \
            known now differs by exactly these: the events recorded since, dated on or before \
            it (late returns, back-dated corrections), and the retractions since of events so \
            dated. Events of types no figure is made from (a late training record, an offer) \
            cannot change one and are left out. None listed: figures as of that date known then \
            and now agree.

            --since takes the instant the earlier figures were known at, or the digest printed \
            beside them (SEQ:HASH, as `careledger digest` and the dashboard give it), which must \
            still be the log's hash at that seq. The date is --as-of, the last day of --period, \
            or else the earlier reading's own date.

              careledger changes --since 2025-04-01T09:00:00Z --period 2024-25
              careledger changes --since 812:9f86d0… --as-of 2025-03-31 --json

            --until compares two earlier readings instead, such as the digests of two board \
            papers: what the second knew of the first's figures that the first did not.

              careledger changes --since 812:9f86d0… --until 1204:5be2aa… --period 2024-25

            Above the events, the figures they restated, each known then and known now: the \
            caseload's totals as of the date, and retention (3, 6 and 12 months), partner \
            activity and the programme's months for --period (by default from the start of \
            the date's financial year to the date). --publish compares them as a board reads \
            them (SPEC 5.5: a count moving from 3 to 4 still reads "<5") and lists no events, \
            which name workers; --figures shows the figures alone (--csv: the figures rather \
            than the events).

              careledger changes --since 812:9f86d0… --period 2024-25 --publish
              careledger changes --since 812:9f86d0… --period 2024-25 --by provider

            --by and --horizons give retention the form the earlier figures had, as for \
            `query retention`.
            """)

    @OptionGroup var options: DataOptions

    @Option(help: ArgumentHelp("The earlier reading: an RFC 3339 instant, or a digest SEQ:HASH.", valueName: "instant-or-digest"))
    var since: String

    @Option(help: ArgumentHelp("A later reading to compare with, in the same forms (default: now).", valueName: "instant-or-digest"))
    var until: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The date the figures are as of (YYYY-MM-DD).", valueName: "date"),
            transform: OptionValue.date)
    var asOf: LocalDate?

    @OptionGroup var period: PeriodOption

    @OptionGroup var retention: RetentionFormOption

    @Flag(help: "Compare the figures as published (SPEC 5.5), and list no events.")
    var publish = false

    @Flag(help: "Show the figures that read differently alone, without the events (with --csv, the figures; with --json, their counts).")
    var figures = false

    @OptionGroup var format: OutputFormatOptions

    func validate() throws {
        if asOf != nil && period.periodText != nil { throw ValidationError("give --as-of or --period, not both: a period's figures are as of its last day") }
    }

    func run() throws {
        let reading = try QueryOptions.earlierReading(since, option: "--since")
        let later = try until.map { text throws(LedgerError) in try QueryOptions.earlierReading(text, option: "--until") }
        let models = try options.readModels()
        let period = try period.period()
        let changes = try models.ledger.changes(since: reading, until: later, asOf: asOf ?? period?.to, readBy: ReadModels.figureTypes)
        // The figures in the form the earlier ones had.
        var form = QueryOptions(period: period)
        form.publish = publish
        try retention.apply(to: &form)
        let figureChanges = try models.figureChanges(changes, figures: form)
        guard !format.json else {
            guard case .object(let members) = changes.json(withEvents: !publish && !figures) else { return }
            return printJSON(.object(members + figureChanges.jsonMembers))
        }
        let figureTable = figureChanges.table
        if figures || publish {
            var table = figureTable
            if !format.csv { table.footer.append(Self.counts(changes)) }
            guard format.csv || !figureChanges.changes.isEmpty else {
                return print(([table.title] + table.footer).joined(separator: "\n"))
            }
            return format.print(json: { .null }, table: { table })
        }
        if !format.csv {
            // None changed: the title and the verdict say so without an empty table.
            print(figureChanges.changes.isEmpty ? ([figureTable.title] + figureTable.footer).joined(separator: "\n") + "\n" : figureTable.text)
        }
        format.print(json: { .null }, table: { changes.table })
    }

    /// The events behind the figures in one line, for an answer that does not list them.
    static func counts(_ changes: RecordChanges) -> String {
        "Behind them: \(changes.lateEvents) event\(changes.lateEvents == 1 ? "" : "s") recorded since and dated on or before \(changes.asOf), \(changes.retractions) retraction\(changes.retractions == 1 ? "" : "s") of events so dated (listed without --publish and --figures)."
    }
}
