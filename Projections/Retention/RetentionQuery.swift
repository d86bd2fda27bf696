public import CareLedger
public import ProjectionKit

extension Retention {
    typealias Tag = RetentionProjection.Tag

    /// Retention of the spells started in `period`, as `view` sees them, split by `by`.
    public static func query(
        _ reader: ProjectionReader, view: Viewpoint, knownAt: Instant, period: Period,
        by: RetentionGrouping?, horizons: [Int]
    ) throws -> Retention {
        let name = RetentionProjection().name
        var workers: [String: [Fact]] = [:]
        func worker(_ ref: String) throws -> [Fact] {
            if let facts = workers[ref] { return facts }
            let facts = try reader.facts(name, .entity("worker", ref))
            workers[ref] = facts
            return facts
        }
        struct RowKey: Hashable { var cohort: String; var group: GroupValue? }
        var rows: [RowKey: CohortRow] = [:]
        try reader.scan(name, prefix: RecordKey.prefix("start"), from: RecordKey.datePrefix("start", period.from),
                        before: RecordKey.datePrefix("start", period.to.adding(days: 1))) { _, facts in
            for spell in facts where spell.tag == Tag.startIndex.rawValue && view.sees(spell) {
                let history = try worker(spell[0])
                let registration = history.latest(Tag.registered.rawValue, seenBy: view)
                let group: GroupValue? = switch by {
                case nil: nil
                case .provider: .text(spell[2])
                case .viaReplacement: .flag(spell.flag)
                case .laCode: registration.map { .text($0[0]) } ?? .unknown
                case .route: registration.map { .text($0[1]) } ?? .unknown
                }
                let (year, month, _) = spell.occurredOn.components
                let key = RowKey(cohort: "\(year)-\(month < 10 ? "0" : "")\(month)", group: group)
                rows[key, default: CohortRow(cohort: key.cohort, group: group, starters: 0, horizons: [:])].starters += 1
                for horizon in horizons {
                    rows[key]!.horizons[horizon, default: HorizonFigures()].add(
                        observe(spellId: spell[1], start: spell.occurredOn, horizon: horizon, history: history, view: view))
                }
            }
            return true
        }
        let sorted = rows.values.sorted { a, b in
            a.cohort != b.cohort ? a.cohort < b.cohort : (a.group ?? .unknown) < (b.group ?? .unknown)
        }
        return Retention(asOf: view.asOf, knownAt: knownAt, period: period, by: by, horizons: horizons, rows: sorted)
    }

    /// One spell at one horizon: not yet observable, or eligible and retained or not.
    static func observe(spellId: String, start: LocalDate, horizon: Int, history: [Fact], view: Viewpoint) -> HorizonFigures {
        var figures = HorizonFigures()
        let checkpoint = start.adding(months: horizon)
        guard checkpoint <= view.asOf else {
            figures.notYetObservable = 1
            return figures
        }
        figures.eligible = 1
        if let end = earliestEnd(of: spellId, before: checkpoint, in: history, view: view) {
            figures.notRetainedReasons[end[1]] = 1
        } else {
            figures.employerRetained = 1
        }
        let sector = history.contains { spell in
            spell.tag == Tag.started.rawValue && spell.occurredOn <= checkpoint && view.sees(spell)
                && earliestEnd(of: spell[0], before: checkpoint, in: history, view: view) == nil
        }
        if sector { figures.sectorRetained = 1 }
        return figures
    }

    /// The earliest seen `EmploymentEnded` of `spellId` dated before `day`.
    static func earliestEnd(of spellId: String, before day: LocalDate, in history: [Fact], view: Viewpoint) -> Fact? {
        var earliest: Fact?
        for end in history where end.tag == Tag.ended.rawValue && end.occurredOn < day && end[0] == spellId && view.sees(end) {
            if let known = earliest, (known.occurredOn, known.seq) < (end.occurredOn, end.seq) { continue }
            earliest = end
        }
        return earliest
    }
}
