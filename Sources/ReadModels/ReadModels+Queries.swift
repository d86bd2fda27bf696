public import CareLedger
internal import ProjectionKit
public import Caseload
public import Retention
public import PartnerActivity
public import Timelines

/// What a read-model query asks for (SPEC section 7's `query` options).
public struct QueryOptions: Sendable {
    /// Valid time; default today, or the period's last day for period queries.
    public var asOf: LocalDate?
    /// Transaction time; default now.
    public var knownAt: Instant?
    public var period: Period?
    public var by: RetentionGrouping?
    public var horizons: [Int] = [3, 6, 12]
    /// Disclosure control (SPEC 5.5).
    public var publish = false

    public init(asOf: LocalDate? = nil, knownAt: Instant? = nil, period: Period? = nil) {
        self.asOf = asOf
        self.knownAt = knownAt
        self.period = period
    }
}

extension ReadModels {
    /// The caseload (SPEC 5.1).
    public func caseload(_ options: QueryOptions) throws(LedgerError) -> Caseload {
        if catchesUpOnQueries { try catchUp() }
        let (view, knownAt) = try viewpoint(asOf: options.asOf ?? options.period?.to, knownAt: options.knownAt)
        return try reading { reader in try Caseload.query(reader, view: view, knownAt: knownAt) }
    }

    /// Retention cohorts (SPEC 5.2).
    public func retention(_ options: QueryOptions) throws(LedgerError) -> Retention {
        if catchesUpOnQueries { try catchUp() }
        let period = options.period ?? Self.defaultPeriod(containing: options.asOf ?? Instant.now().date)
        guard !options.horizons.isEmpty, options.horizons.allSatisfy({ $0 > 0 && $0 <= 600 }),
              Set(options.horizons).count == options.horizons.count else {
            throw LedgerError(.usage, "--horizons takes distinct whole months from 1 to 600, such as 3,6,12")
        }
        let (view, knownAt) = try viewpoint(asOf: options.asOf ?? period.to, knownAt: options.knownAt)
        return try reading { reader in
            try Retention.query(reader, view: view, knownAt: knownAt, period: period, by: options.by, horizons: options.horizons)
        }
    }

    /// Partner activity (SPEC 5.3).
    public func partners(_ options: QueryOptions) throws(LedgerError) -> PartnerActivity {
        if catchesUpOnQueries { try catchUp() }
        let period = options.period ?? Self.defaultPeriod(containing: options.asOf ?? Instant.now().date)
        let (view, knownAt) = try viewpoint(asOf: options.asOf ?? period.to, knownAt: options.knownAt)
        return try reading { reader in try PartnerActivity.query(reader, view: view, knownAt: knownAt, period: period) }
    }

    /// A worker's, provider's, partner's or case's timeline (SPEC 5.4). Published (a board),
    /// worker and case timelines are refused and the others keep only organisational events.
    public func timeline(_ kind: TimelineKind, id: String, knownAt: Instant?, publish: Bool = false) throws(LedgerError) -> Timeline {
        if publish && !kind.isOrganisational {
            throw LedgerError(.usage, "\(kind.rawValue) timelines are row-level data about people and are not published; a board reads `timeline programme`")
        }
        // Not found, as SPEC 5.4 says of an id no event is about, and said why: no event can
        // name an id of other characters.
        guard EntityID.isWellFormed(id.utf8) else {
            throw LedgerError(.notFound, "\"\(id)\" is not a \(kind.rawValue) id (an id is \(EntityID.form)), so no events are about it")
        }
        if catchesUpOnQueries { try catchUp() }
        let (view, instant) = try viewpoint(asOf: nil, knownAt: knownAt)
        return try reading { reader in
            try ledger.withSnapshot { log in
                try Timeline.query(reader, log: log, kind: kind, id: id, view: view, knownAt: instant, organisationalOnly: publish)
            }
        }
    }

    /// The most months a programme timeline answers at once: a century, where a period of
    /// `0001-01-01..9999-12-31` would be 120,000 rows (26 MB of JSON) of which none can hold an event.
    public static let programmeMonthsLimit = 1_200

    /// `period`, if a programme timeline answers it.
    /// - Throws: ``LedgerError`` `usage` for a period of more than ``programmeMonthsLimit`` months.
    public static func programmePeriod(_ period: Period) throws(LedgerError) -> Period {
        let (first, last) = (period.from.components, period.to.components)
        let months = (last.year - first.year) * 12 + last.month - first.month + 1
        guard months <= programmeMonthsLimit else {
            throw LedgerError(.usage, "the period \(period) spans \(months) months; a programme timeline gives at most \(programmeMonthsLimit) (a century) at once: ask for a shorter period")
        }
        return period
    }

    /// The programme's month-by-month timeline (SPEC 5.4).
    /// - Throws: ``LedgerError`` `usage` for a period of more than ``programmeMonthsLimit`` months.
    public func programme(period: Period?, knownAt: Instant?) throws(LedgerError) -> ProgrammeTimeline {
        let period = try Self.programmePeriod(period ?? Self.defaultPeriod(containing: Instant.now().date))
        if catchesUpOnQueries { try catchUp() }
        let (view, instant) = try viewpoint(asOf: period.to, knownAt: knownAt)
        return try reading { reader in
            try ledger.withSnapshot { log in try ProgrammeTimeline.query(reader, log: log, period: period, knownAt: instant, view: view) }
        }
    }

    /// Runs `body` against the projections, translating failures.
    private func reading<Result>(_ body: (ProjectionReader) throws -> Result) throws(LedgerError) -> Result {
        try store.read { reader in
            do {
                return try body(reader)
            } catch {
                throw ProjectionStore.failure(error, "reading the read models", folder: ProjectionStore.folder(in: ledger.folder))
            }
        }
    }
}
