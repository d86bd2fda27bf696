public import CareLedger
public import ProjectionKit

/// The current caseload (SPEC 5.1): per case its opening and closings, per worker what the
/// window and flags need (registration, displacements, spells, concerns), per provider its
/// licence revocations.
public struct CaseloadProjection: Projection {
    public let name = "caseload"
    public let version = 7
    public let interests: Set<EventType> = [
        .caseOpened, .caseClosed, .safeguardingConcernRaised, .workerRegistered, .workerDisplaced,
        .employmentStarted, .employmentEnded, .sponsorLicenceRevoked,
    ]

    /// The kinds of fact this projection keeps.
    enum Tag: UInt8 {
        case opened = 1, closed, concern, registered, displaced, started, ended, revoked
    }

    public init() {}

    public func facts(for event: ProjectedEvent) -> [KeyedFact] {
        func on(_ prefix: String, _ id: String?, _ tag: Tag, _ texts: [String?] = [], flag: Bool = false, date: LocalDate? = nil) -> [KeyedFact] {
            guard let id else { return [] }
            return [KeyedFact(.entity(prefix, id), event.fact(tag.rawValue, texts, flag: flag, date: date))]
        }
        switch event.type {
        case .caseOpened:
            return on("case", event.caseId, .opened, [event.workerRef, event.caseType, event.channel, event.ownerPartnerId])
        case .caseClosed: return on("case", event.caseId, .closed)
        case .safeguardingConcernRaised:
            return on("case", event.caseId, .concern) + on("worker", event.workerRef, .concern)
        case .workerRegistered: return on("worker", event.workerRef, .registered, [event.laCode])
        case .workerDisplaced: return on("worker", event.workerRef, .displaced, date: event.windowEndsOn)
        case .employmentStarted: return on("worker", event.workerRef, .started, [event.spellId, event.providerId])
        case .employmentEnded: return on("worker", event.workerRef, .ended, [event.spellId])
        case .sponsorLicenceRevoked: return on("provider", event.providerId, .revoked)
        default: return []
        }
    }

    /// Where each case is open, as known now, so that the caseload known at the head reads about
    /// the cases open on its date rather than every case the programme ever had: a closed case
    /// under each month from its opening to its closing (`live:MONTH,caseId`), a case not closed,
    /// or closed more than ``monthsIndexed`` months after it opened, under the day it opened
    /// (`lasting:DAY,caseId`), so that no closing date, however far off, makes more than that many
    /// entries. The entry is the opening, with the closing day as its date, then the case's
    /// safeguarding concerns: all a row needs of the case itself.
    public func derived(from key: RecordKey, facts: [Fact]) -> [KeyedFact] {
        guard let (opened, closedOn) = Self.openingAndClosing(key, facts) else { return [] }
        var entry = opened
        entry.date = closedOn
        let concerns = facts.filter { $0.tag == Tag.concern.rawValue && $0.retractedAt == nil }
        let caseId = key.entityID
        func entries(_ family: String, _ day: LocalDate) -> [KeyedFact] {
            let key = RecordKey.onDay(family, day, name: caseId, knownFrom: nil)
            return [KeyedFact(key, entry)] + concerns.map { KeyedFact(key, $0) }
        }
        // Closed on or before the day it opened, a case is open on no day.
        if let closedOn, closedOn <= opened.occurredOn { return [] }
        guard let closedOn, closedOn < opened.occurredOn.adding(months: Self.monthsIndexed) else {
            return entries(Self.lasting, opened.occurredOn)
        }
        var result: [KeyedFact] = []
        var month = Self.firstOfMonth(opened.occurredOn)
        while month <= closedOn {
            result += entries(Self.live, month)
            month = month.adding(months: 1)
        }
        return result
    }

    /// The derived families of ``derived(from:facts:)``.
    static let live = "live", lasting = "lasting"
    /// The most months a closed case is indexed under, one entry each.
    static let monthsIndexed = 24

    static func firstOfMonth(_ day: LocalDate) -> LocalDate {
        let (year, month, _) = day.components
        return LocalDate(year: year, month: month, day: 1)!
    }

    /// Per case as known now, +1 on the day it opened and -1 on the day it closed (or on its
    /// opening day, if its closing is dated earlier): the count of cases open on a day is then the
    /// sum of every day's counts up to it (``Caseload/openCounts(_:view:on:)``).
    public func tallies(from key: RecordKey, facts: [Fact]) -> [Tally] {
        guard let (opened, closedOn) = Self.openingAndClosing(key, facts) else { return [] }
        let openedOn = opened.occurredOn
        var tallies = [Tally(RecordKey.onDay(Self.openingsAndClosings, openedOn), [1])]
        if let closedOn {
            tallies.append(Tally(RecordKey.onDay(Self.openingsAndClosings, max(openedOn, closedOn)), [-1]))
        }
        return tallies
    }

    /// A case record's opening and the day of its earliest closing, as known now (every
    /// retraction applied); `nil` for another record, or a case whose opening is retracted.
    static func openingAndClosing(_ key: RecordKey, _ facts: [Fact]) -> (opened: Fact, closedOn: LocalDate?)? {
        guard key.belongs(to: "case"),
              let opened = facts.first(where: { $0.tag == Tag.opened.rawValue && $0.retractedAt == nil }) else { return nil }
        return (opened, facts.filter { $0.tag == Tag.closed.rawValue && $0.retractedAt == nil }.map(\.occurredOn).min())
    }

    /// The tally family of ``tallies(from:facts:)``.
    static let openingsAndClosings = "opens"
}
