import ArgumentParser
import CareLedger
import LedgerJSON
import ProjectionKit
import ReadModels
import Retention

/// How a read model's answer is printed: a table for a person, JSON (SPEC section 9) or CSV.
struct OutputFormatOptions: ParsableArguments {
    @Flag(help: "Answer with JSON, the same as the HTTP endpoint.")
    var json = false

    @Flag(help: "Answer with CSV (RFC 4180), for a spreadsheet; an absent value is an empty field.")
    var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
    }

    func print(json value: () -> JSONValue, table: () -> ReportTable) {
        if json {
            Swift.print(value().compactText)
        } else if csv {
            Swift.print(table().csv, terminator: "")
        } else {
            Swift.print(table().text, terminator: "")
        }
    }
}

/// `--known-at T`: an RFC 3339 instant, such as a `recordedAt` the ledger served.
struct KnownAtOption: ParsableArguments {
    @Option(name: .customLong("known-at"), help: ArgumentHelp(
        "Answer as the ledger knew it at this instant (RFC 3339, such as 2025-04-01T09:00:00Z; default: now).",
        valueName: "instant"))
    var knownAtText: String?

    func knownAt() throws -> Instant? {
        try knownAtText.map { text throws(LedgerError) in try QueryOptions.instant(text) }
    }

    /// Says on standard error when `instant` lies before the log's first event, where every
    /// answer is empty: a ledger loaded after the fact, or a year mistyped, reads otherwise as a
    /// programme with nothing in it. Standard output, a table, JSON or CSV, stays as it is.
    static func noteIfBeforeTheLog(_ instant: Instant?, in ledger: Ledger) throws {
        guard let instant, let first = try ledger.withSnapshot({ try $0.recordedAt(Seq(1)) }), instant < first else { return }
        printError("careledger: note: nothing had been recorded by \(instant): the log's first event was recorded at \(first), so nothing is known at that instant")
    }
}

/// `--period P`, in any of SPEC section 1's forms.
struct PeriodOption: ParsableArguments {
    @Option(name: .customLong("period"), help: ArgumentHelp(
        "The period: YYYY-MM, YYYY-Qn, YYYY-YY (a financial year: 2024-25) or YYYY-MM-DD..YYYY-MM-DD (default: the financial year of today).",
        valueName: "period"))
    var periodText: String?

    func period() throws -> Period? {
        try periodText.map { text throws(LedgerError) in try Period(text) }
    }
}

/// `--by KEY` and `--horizons H`: the form of retention's cohorts, for `query retention` and
/// for the retention figures `changes` compares.
struct RetentionFormOption: ParsableArguments {
    @Option(help: ArgumentHelp("Retention: split cohorts by provider, laCode, viaReplacement or route.", valueName: "key"))
    var by: String?

    @Option(help: ArgumentHelp("Retention: the horizons in months (default 3,6,12).", valueName: "months"))
    var horizons: String?

    /// Sets `query`'s split and horizons where these give them.
    func apply(to query: inout QueryOptions) throws(LedgerError) {
        if let horizons { query.horizons = try QueryOptions.horizons(horizons) }
        if let by { query.by = try QueryOptions.grouping(by) }
    }
}
