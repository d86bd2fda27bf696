public import CareLedger
public import ProjectionKit

extension Retention {
    typealias Tag = RetentionProjection.Tag

    /// Retention of the spells started in `period`, as `view` sees them, split by `by`.
    public static func query(
        _ reader: ProjectionReader, view: Viewpoint, knownAt: Instant, period: Period,
        by: RetentionGrouping?, horizons: [Int]
    ) throws -> Retention {
        var cohorts = CohortTable(horizons: horizons)
        if view.knownAt >= (try reader.checkpoint(RetentionProjection().name)).seq {
            if try !SpellTallies.count(reader, view: view, period: period, by: by, into: &cohorts) {
                cohorts = CohortTable(horizons: horizons)
                try fromSummaries(reader, view: view, period: period, by: by, into: &cohorts)
            }
        } else {
            try fromFacts(reader, view: view, period: period, by: by, into: &cohorts)
        }
        return Retention(asOf: view.asOf, knownAt: knownAt, period: period, by: by, horizons: horizons, rows: cohorts.rows)
    }

    /// Known at the head: the derived spell summaries, decoding texts only for a group or a reason.
    static func fromSummaries(_ reader: ProjectionReader, view: Viewpoint, period: Period, by: RetentionGrouping?, into cohorts: inout CohortTable) throws {
        let name = RetentionProjection().name
        var outcomes: [SpellOutcome] = []
        var spells: [(start: LocalDate, end: LocalDate?)] = []
        var checkpointsByStart: [Int: [LocalDate]] = [:]
        var needsTexts = false
        try reader.scan(name, prefix: RecordKey.prefix("spell"), from: RecordKey.datePrefix("spell", period.from),
                        before: RecordKey.datePrefix("spell", period.to.adding(days: 1)), where: { stamps in
            guard let summary = stamps.first, summary.tag == Tag.summary.rawValue else { return false }
            guard summary.occurredOn <= period.to else { return false }
            guard summary.occurredOn <= view.asOf else { return false }
            let spellEnd = summary.date.flatMap { $0 <= view.asOf ? $0 : nil }
            var registered = false
            spells.removeAll(keepingCapacity: true)
            for stamp in stamps.dropFirst() {
                if stamp.tag == Tag.registration.rawValue { registered = stamp.occurredOn <= view.asOf }
                if stamp.tag == Tag.interval.rawValue, stamp.occurredOn <= view.asOf {
                    spells.append((stamp.occurredOn, stamp.date.flatMap { $0 <= view.asOf ? $0 : nil }))
                }
            }
            outcomes.removeAll(keepingCapacity: true)
            let checkpoints = checkpointsByStart[summary.occurredOn.dayNumber] ?? {
                let days = cohorts.horizons.map { summary.occurredOn.adding(months: $0) }
                checkpointsByStart[summary.occurredOn.dayNumber] = days
                return days
            }()
            for checkpoint in checkpoints {
                guard checkpoint <= view.asOf else {
                    outcomes.append(.notYetObservable)
                    continue
                }
                let employer = spellEnd.map { $0 >= checkpoint } ?? true
                let sector = spells.contains { $0.start <= checkpoint && ($0.end.map { $0 >= checkpoint } ?? true) }
                outcomes.append(.eligible(employer: employer, sector: sector, reason: nil))
            }
            let group: GroupValue?? = switch by {
            case nil: .some(nil)
            case .viaReplacement: .some(.flag(summary.flag))
            case .laCode, .route: registered ? nil : .some(.unknown)
            case .provider: nil
            }
            needsTexts = group == nil || outcomes.contains { if case .eligible(false, _, _) = $0 { true } else { false } }
            if !needsTexts { cohorts.add(start: summary.occurredOn, group: group!, outcomes: outcomes) }
            return needsTexts
        }) { _, facts in
            let summary = facts[0]
            let group: GroupValue? = switch by {
            case nil: nil
            case .viaReplacement: .flag(summary.flag)
            case .provider: .text(summary[0])
            case .laCode: facts.contains { $0.tag == Tag.registration.rawValue && $0.occurredOn <= view.asOf } ? .text(summary[1]) : .unknown
            case .route: facts.contains { $0.tag == Tag.registration.rawValue && $0.occurredOn <= view.asOf } ? .text(summary[2]) : .unknown
            }
            let withReasons = outcomes.map { outcome -> SpellOutcome in
                if case .eligible(false, let sector, _) = outcome { return .eligible(employer: false, sector: sector, reason: summary[3]) }
                return outcome
            }
            cohorts.add(start: summary.occurredOn, group: group, outcomes: withReasons)
        }
    }

    /// Known at an earlier instant: every spell start of the period and its worker's facts,
    /// read in place (each worker's record once, however many of its spells the period holds).
    static func fromFacts(_ reader: ProjectionReader, view: Viewpoint, period: Period, by: RetentionGrouping?, into cohorts: inout CohortTable) throws {
        let name = RetentionProjection().name
        var workers: [String: [FactView]] = [:]
        func worker(_ ref: String) throws -> [FactView] {
            if let facts = workers[ref] { return facts }
            let facts = try reader.withFacts(name, .entity("worker", ref)) { $0 }
            workers[ref] = facts
            return facts
        }
        try reader.views(name, prefix: RecordKey.prefix("start"), from: RecordKey.datePrefix("start", period.from),
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
                let outcomes = cohorts.horizons.map { observe(spell, start: spell.occurredOn, horizon: $0, history: history, view: view) }
                cohorts.add(start: spell.occurredOn, group: group, outcomes: outcomes)
            }
        }
    }

    /// One spell (its start-index fact, whose second text is the spell id) at one horizon: not
    /// yet observable, or eligible and retained or not.
    static func observe(_ spell: FactView, start: LocalDate, horizon: Int, history: [FactView], view: Viewpoint) -> SpellOutcome {
        let checkpoint = start.adding(months: horizon)
        guard checkpoint <= view.asOf else { return .notYetObservable }
        let end = earliestEnd(of: spell, 1, before: checkpoint, in: history, view: view)
        let sector = history.contains { other in
            other.tag == Tag.started.rawValue && other.occurredOn <= checkpoint && view.sees(other)
                && earliestEnd(of: other, 0, before: checkpoint, in: history, view: view) == nil
        }
        return .eligible(employer: end == nil, sector: sector, reason: end?[1])
    }

    /// The earliest seen `EmploymentEnded` dated before `day` of the spell whose id is `spell`'s
    /// text at `index`.
    static func earliestEnd(of spell: FactView, _ index: Int, before day: LocalDate, in history: [FactView], view: Viewpoint) -> FactView? {
        var earliest: FactView?
        for end in history where end.tag == Tag.ended.rawValue && end.occurredOn < day && end.text(0, equals: spell, index) && view.sees(end) {
            if let known = earliest, (known.occurredOn, known.seq) < (end.occurredOn, end.seq) { continue }
            earliest = end
        }
        return earliest
    }
}

/// What became of one spell at one horizon.
enum SpellOutcome {
    case notYetObservable
    case eligible(employer: Bool, sector: Bool, reason: String?)
}

/// Cohort rows being counted: by cohort month and group.
struct CohortTable {
    let horizons: [Int]
    private struct Key: Hashable { var month: Int; var group: GroupValue? }
    /// Per row: starters, and figures per horizon in the order of ``horizons``.
    private var counts: [Key: (starters: Int, figures: [HorizonFigures])] = [:]

    init(horizons: [Int]) { self.horizons = horizons }

    /// Counts one spell, with its outcome at each horizon, in its row in place (a query known at
    /// an earlier instant counts every spell of the period this way).
    mutating func add(start: LocalDate, group: GroupValue?, outcomes: [SpellOutcome]) {
        withRow(start: start, group: group) { row in
            row.starters += 1
            for (index, outcome) in outcomes.enumerated() {
                switch outcome {
                case .notYetObservable: row.figures[index].notYetObservable += 1
                case .eligible(let employer, let sector, let reason):
                    row.figures[index].eligible += 1
                    if employer { row.figures[index].employerRetained += 1 } else { row.figures[index].notRetainedReasons[reason ?? "notKnown", default: 0] += 1 }
                    if sector { row.figures[index].sectorRetained += 1 }
                }
            }
        }
    }

    /// Counts `starters` spells started on `start`, with their figures at each horizon.
    mutating func add(start: LocalDate, group: GroupValue?, starters: Int, figures: [HorizonFigures]) {
        withRow(start: start, group: group) { row in
            row.starters += starters
            for (index, figure) in figures.enumerated() { row.figures[index].add(figure) }
        }
    }

    private mutating func withRow(start: LocalDate, group: GroupValue?, _ body: (inout (starters: Int, figures: [HorizonFigures])) -> Void) {
        body(&counts[Key(month: Self.monthIndex(start), group: group), default: (0, Array(repeating: HorizonFigures(), count: horizons.count))])
    }

    private static func monthIndex(_ date: LocalDate) -> Int {
        let (year, month, _) = date.components
        return year * 12 + month - 1
    }

    /// Sorted by cohort, then group value.
    var rows: [CohortRow] {
        counts.map { key, value in
            let year = key.month / 12, month = key.month % 12 + 1
            return CohortRow(cohort: Period.month(month, of: year).description, group: key.group, starters: value.starters,
                             horizons: Dictionary(uniqueKeysWithValues: zip(horizons, value.figures)))
        }.sorted { a, b in a.cohort != b.cohort ? a.cohort < b.cohort : (a.group ?? .unknown) < (b.group ?? .unknown) }
    }
}
