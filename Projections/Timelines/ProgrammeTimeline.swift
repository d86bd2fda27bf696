public import CareLedger
internal import Caseload
public import ProjectionKit
public import LedgerJSON

/// One month of the programme's timeline (SPEC 5.4), exact.
public struct ProgrammeMonth: Sendable {
    /// `YYYY-MM`.
    public var month: Period
    /// The caseload's count on the month's last day.
    public var openCases = 0
    public var casesOpened = 0
    public var casesClosed: [String: Int] = [:]
    public var displacements = 0
    public var placementsSelfReported = 0
    public var placementsVerified = 0
    public var supportEpisodes = 0
    public var employmentStarts = 0
    public var employmentEnds = 0
    public var organisationalEvents: [TimelineEntry] = []
}

/// The programme's timeline for a board: month by month counts and organisational events.
public struct ProgrammeTimeline: Sendable {
    public var period: Period
    public var knownAt: Instant
    public var months: [ProgrammeMonth]

    public func json(publish: Bool) -> JSONValue {
        let figure = Figure(publish: publish)
        return .object([
            ("period", .string(period.description)), ("from", .date(period.from)), ("to", .date(period.to)),
            ("knownAt", .string(knownAt.description)),
            ("months", .array(months.map { month in
                .object([
                    ("month", .string(month.month.description)), ("openCases", figure.count(month.openCases)),
                    ("casesOpened", figure.count(month.casesOpened)), ("casesClosed", figure.counts(month.casesClosed)),
                    ("displacements", figure.count(month.displacements)),
                    ("placements", .object([("selfReported", figure.count(month.placementsSelfReported)), ("verified", figure.count(month.placementsVerified))])),
                    ("supportEpisodes", figure.count(month.supportEpisodes)), ("employmentStarts", figure.count(month.employmentStarts)),
                    ("employmentEnds", figure.count(month.employmentEnds)),
                    ("organisationalEvents", .array(month.organisationalEvents.map { $0.json(withOrganisation: true) })),
                ])
            })),
        ])
    }

    /// The months for a person, cases closed as their total; in CSV, by outcome too, as the
    /// JSON has them. The organisational events are listed under the table.
    public func table(publish: Bool) -> ReportTable {
        var layout = ReportTable.Layout<ProgrammeMonth>(
            title: "Programme timeline for \(period) (\(period.from) to \(period.to)), known at \(knownAt)", figure: Figure(publish: publish))
        layout.column("month") { $0.month.description }
        layout.count("openCases") { $0.openCases }
        layout.count("casesOpened") { $0.casesOpened }
        layout.breakdown("casesClosed", by: MonthTallies.outcomes) { $0.casesClosed }
        layout.count("displacements") { $0.displacements }
        layout.count("placedSelfReported") { $0.placementsSelfReported }
        layout.count("placedVerified") { $0.placementsVerified }
        layout.count("supportEpisodes") { $0.supportEpisodes }
        layout.count("employmentStarts") { $0.employmentStarts }
        layout.count("employmentEnds") { $0.employmentEnds }
        // Organisational events are not counts of people: they are listed as they are, published or not.
        layout.column("organisationalEvents") { String($0.organisationalEvents.count) }
        var table = layout.table(months)
        // SPEC 9 gives a row to every month of the period; one not begun yet could be read as
        // a forecast, which it is not.
        if let first = months.first(where: { $0.month.from > knownAt.date }) {
            table.footer.append("Months from \(first.month) on begin after \(knownAt.date), the day this was known at: they count only events recorded ahead of time, and their open cases are those recorded as open and not yet closed. They are not a forecast.")
        }
        for month in months {
            for event in month.organisationalEvents {
                table.footer.append("\(event.occurredOn)  \(event.summary)\(event.retractedBy.map { " (retracted by seq \($0))" } ?? "")")
            }
        }
        return table
    }
}

extension ProgrammeTimeline {
    typealias Tag = TimelinesProjection.Tag

    /// The programme month by month over `period`, as of its last day and known at `view.knownAt`.
    /// `openCases` is the caseload's own count, read through `reader` (which must hold the
    /// caseload projection too).
    public static func query(_ reader: ProjectionReader, log: LogSnapshot, period: Period, knownAt: Instant, view: Viewpoint) throws -> ProgrammeTimeline {
        let name = TimelinesProjection().name
        let view = view.asOf(period.to)
        var months = period.months.map { ProgrammeMonth(month: $0) }
        let firstMonth = Self.monthIndex(period.from), monthCount = months.count
        func index(of date: LocalDate) -> Int? {
            let i = Self.monthIndex(date) - firstMonth
            return (0..<monthCount).contains(i) ? i : nil
        }

        let counts = try Caseload.openCounts(reader, view: view, on: months.map(\.month.to))
        for i in months.indices { months[i].openCases = counts[i] }
        if view.knownAt >= (try reader.checkpoint(name)).seq, try MonthTallies.count(reader, period: period, into: &months, index: index(of:)) {
            // Known at the head: the sums per day.
        } else {
            try countFacts(reader, view: view, period: period, into: &months, index: index(of:))
        }
        try reader.scan(name, prefix: RecordKey.prefix("org"), from: RecordKey.datePrefix("org", period.from),
                        before: RecordKey.datePrefix("org", period.to.adding(days: 1))) { _, facts in
            for fact in facts where fact.seq <= view.knownAt {
                guard let i = index(of: fact.occurredOn), let type = EventType(rawValue: fact[1]) else { continue }
                guard let recordedAt = try log.recordedAt(fact.seq) else {
                    throw TimelineEntry.missing(fact.seq)
                }
                let organisation = TimelinesProjection.providerEvents.contains(type) ? "providerId" : "partnerId"
                months[i].organisationalEvents.append(TimelineEntry(
                    seq: fact.seq, occurredOn: fact.occurredOn, recordedAt: recordedAt, type: type, summary: fact[2],
                    retractedBy: fact.retractedAt.flatMap { $0 <= view.knownAt ? $0 : nil }, organisation: (organisation, fact[0])))
            }
            return true
        }
        return ProgrammeTimeline(period: period, knownAt: knownAt, months: months)
    }

    /// The months' counts from the facts of each event dated in `period`, as `view` sees them.
    static func countFacts(_ reader: ProjectionReader, view: Viewpoint, period: Period, into months: inout [ProgrammeMonth], index: (LocalDate) -> Int?) throws {
        let name = TimelinesProjection().name
        // Read in place: only closings and placements read a text, their outcome and evidence.
        try reader.views(name, prefix: RecordKey.prefix("month"), from: RecordKey.datePrefix("month", period.from),
                         before: RecordKey.datePrefix("month", period.to.adding(days: 1))) { _, facts in
            for fact in facts where view.sees(fact) {
                guard let tag = Tag(rawValue: fact.tag), let i = index(fact.occurredOn) else { continue }
                switch tag {
                case .caseOpened: months[i].casesOpened += 1
                case .displaced: months[i].displacements += 1
                case .support: months[i].supportEpisodes += 1
                case .employmentStarted: months[i].employmentStarts += 1
                case .employmentEnded: months[i].employmentEnds += 1
                case .caseClosed: months[i].casesClosed[fact[1], default: 0] += 1
                case .placement:
                    if fact[0] == "verified" { months[i].placementsVerified += 1 } else { months[i].placementsSelfReported += 1 }
                case .workerCase, .concern, .mention, .organisational: break
                }
            }
        }
    }

    private static func monthIndex(_ date: LocalDate) -> Int {
        let (year, month, _) = date.components
        return year * 12 + month - 1
    }
}
