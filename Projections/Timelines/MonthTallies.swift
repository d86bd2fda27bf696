internal import CareLedger
internal import ProjectionKit

/// The programme timeline's sums (``Tally``): per day, the counts its months add up (cases
/// opened and closed by outcome, displacements, placements, support episodes, employment starts
/// and ends) of the events dated that day, as known now. A period is then one sum a day instead
/// of one fact an event. Only known at the head.
enum MonthTallies {
    /// `CaseClosed.outcome`'s values, in the schema's order.
    static let outcomes = EventCatalogue.standard.values(of: .caseClosed, field: "outcome")

    /// Positions in a day's counts; closings by outcome follow, then closings with an outcome
    /// not listed (the query counts fact by fact if that is ever not zero).
    enum Count: Int, CaseIterable {
        case casesOpened, displacements, placedSelfReported, placedVerified, supportEpisodes, employmentStarts, employmentEnds
    }
    static let closedAt = Count.allCases.count
    static let length = closedAt + outcomes.count + 1
    static let family = "day"

    typealias Tag = TimelinesProjection.Tag

    /// What one `month:DAY,SEQ` record (one event's fact) adds to its day.
    static func tallies(from key: RecordKey, facts: [Fact]) -> [Tally] {
        guard key.belongs(to: "month"), facts.count == 1, facts[0].retractedAt == nil,
              let tag = Tag(rawValue: facts[0].tag) else { return [] }
        let fact = facts[0]
        let position: Int? = switch tag {
        case .caseOpened: Count.casesOpened.rawValue
        case .displaced: Count.displacements.rawValue
        case .placement: fact[0] == "verified" ? Count.placedVerified.rawValue : Count.placedSelfReported.rawValue
        case .support: Count.supportEpisodes.rawValue
        case .employmentStarted: Count.employmentStarts.rawValue
        case .employmentEnded: Count.employmentEnds.rawValue
        case .caseClosed: closedAt + (outcomes.firstIndex(of: fact[1]) ?? outcomes.count)
        case .workerCase, .concern, .mention, .organisational: nil
        }
        guard let position else { return [] }
        return [Tally(RecordKey.onDay(family, fact.occurredOn), one: position, of: length)]
    }

    /// Adds the days of `period` into `months` (indexed by `index(of:)`): `false`, with nothing
    /// added, when a day holds a closing whose outcome is not listed.
    static func count(_ reader: ProjectionReader, period: Period, into months: inout [ProgrammeMonth], index: (LocalDate) -> Int?) throws -> Bool {
        var days: [(LocalDate, [Int32])] = []
        let dayAt = RecordKey.prefix(family).count
        try reader.tallies(TimelinesProjection().name, prefix: RecordKey.prefix(family), from: RecordKey.datePrefix(family, period.from),
                           before: RecordKey.datePrefix(family, period.to.adding(days: 1))) { key, counts in
            days.append((RecordKey.day(in: key, at: dayAt), Array(counts)))
        }
        guard days.allSatisfy({ $0.1.count < length || $0.1[length - 1] == 0 }) else { return false }
        for (day, counts) in days {
            guard let i = index(day) else { continue }
            func count(_ position: Int) -> Int { position < counts.count ? Int(counts[position]) : 0 }
            months[i].casesOpened += count(Count.casesOpened.rawValue)
            months[i].displacements += count(Count.displacements.rawValue)
            months[i].placementsSelfReported += count(Count.placedSelfReported.rawValue)
            months[i].placementsVerified += count(Count.placedVerified.rawValue)
            months[i].supportEpisodes += count(Count.supportEpisodes.rawValue)
            months[i].employmentStarts += count(Count.employmentStarts.rawValue)
            months[i].employmentEnds += count(Count.employmentEnds.rawValue)
            for (o, outcome) in outcomes.enumerated() where count(closedAt + o) != 0 {
                months[i].casesClosed[outcome, default: 0] += count(closedAt + o)
            }
        }
        return true
    }
}
