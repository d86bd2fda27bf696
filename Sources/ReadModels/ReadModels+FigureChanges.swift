public import CareLedger
internal import Caseload
internal import Retention
internal import PartnerActivity
internal import Timelines

extension ReadModels {
    /// The figures that read differently known at `changes`' earlier reading and at its later
    /// one: the caseload as of its date, and retention, partner activity and the programme's
    /// timeline for `figures.period` (by default from the start of the financial year of that
    /// date to the date itself, so that every figure is as of it), retention split and at the
    /// horizons `figures` asks, published if it asks. Its `asOf` and `knownAt` are not read: the
    /// date is the changes', the instants their two readings'.
    /// - Throws: ``LedgerError`` `usage` when the period does not end on the changes' date (the
    ///   events listed are those dated by it, and a figure of a later day could move for
    ///   others), or for horizons a retention query refuses.
    public func figureChanges(_ changes: RecordChanges, figures: QueryOptions) throws(LedgerError) -> FigureChanges {
        let asOf = changes.asOf, publish = figures.publish
        let compared: Period
        if let period = figures.period { compared = period } else { compared = try Self.yearToDate(asOf) }
        guard compared.to == asOf else {
            throw LedgerError(.usage, "the period \(compared) ends on \(compared.to), not on \(asOf), the date the changes are as of")
        }
        // A reading of the empty log knows nothing: an instant before any event was recorded.
        let beforeAnything = Instant(microseconds: 0)
        func answers(_ head: LogHead) throws(LedgerError) -> [FigureChanges.ReadModel: [FigureChanges.Row]] {
            var query = figures
            (query.asOf, query.knownAt, query.period) = (asOf, head.recordedAt ?? beforeAnything, compared)
            let metadata: Set<String> = ["asOf", "knownAt", "period", "from", "to", "by", "horizons"]
            return [
                .caseload: FigureChanges.Row.totals(of: try caseload(query).json(publish: publish), excluding: metadata.union(["cases"])),
                .retention: FigureChanges.Row.rows(of: try retention(query).json(publish: publish), in: "cohorts", identifiedBy: ["cohort", "group"]),
                .partners: FigureChanges.Row.rows(of: try partners(query).json(publish: publish), in: "partners", identifiedBy: ["partnerId"]),
                .programme: FigureChanges.Row.rows(of: try programme(period: compared, knownAt: query.knownAt).json(publish: publish),
                                                   in: "months", identifiedBy: ["month"], excluding: ["organisationalEvents"]),
            ]
        }
        let then = try answers(changes.then), now = try answers(changes.now)
        let differences = FigureChanges.ReadModel.allCases.flatMap { model in
            FigureChanges.compare(model, then: then[model] ?? [], now: now[model] ?? [])
        }
        return FigureChanges(asOf: asOf, period: compared, by: figures.by, horizons: figures.horizons, publish: publish, changes: differences)
    }

    /// From the start of the financial year that holds `date` to `date` itself: the whole
    /// year (`2023-24`) when `date` is its last day.
    static func yearToDate(_ date: LocalDate) throws(LedgerError) -> Period {
        let year = defaultPeriod(containing: date)
        return year.to == date ? year : try Period("\(year.from)..\(date)")
    }
}
