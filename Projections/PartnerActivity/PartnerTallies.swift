internal import CareLedger
internal import ProjectionKit

/// Partner activity's sums (``Tally``): per day and partner, the counts of SPEC 5.3 that add up
/// across days (cases opened by channel, closed by outcome, referrals made, received and their
/// outcomes, support episodes by kind, job introductions, placements, safeguarding referrals).
/// Only known at the head.
///
/// A count credited through a case's owner or a referral's receiver depends on that opening (or
/// referral) being dated on or before the query's as-of date; when it is dated after the activity,
/// the sum's key carries its day for the query to decide. Distinct workers and the median days to
/// placement do not add up: they come from index entries (``PartnerActivityProjection/derived(from:facts:)``).
enum PartnerTallies {
    static let family = "day"

    static let channels = EventCatalogue.standard.values(of: .caseOpened, field: "channel")
    static let outcomes = EventCatalogue.standard.values(of: .caseClosed, field: "outcome")
    static let referralOutcomes = EventCatalogue.standard.values(of: .referralOutcomeRecorded, field: "outcome")
    static let supportKinds = EventCatalogue.standard.values(of: .supportProvided, field: "kind")
    static let destinations = EventCatalogue.standard.values(of: .safeguardingConcernRaised, field: "referredTo")

    /// Positions of the single counts; the enumerations' counts follow, each in its schema's order,
    /// then one for any value not listed (the query then counts fact by fact).
    enum Count: Int, CaseIterable {
        case casesOpened, referralsReceived, referralsMade, jobIntroductions, placedSelfReported, placedVerified
    }
    static let channelAt = Count.allCases.count
    static let outcomeAt = channelAt + channels.count
    static let referralOutcomeAt = outcomeAt + outcomes.count
    static let supportAt = referralOutcomeAt + referralOutcomes.count
    static let destinationAt = supportAt + supportKinds.count
    static let unlistedAt = destinationAt + destinations.count
    static let length = unlistedAt + 1

    /// One count of `partner` on `day`, credited through a fact dated `creditedThrough` (a case's
    /// opening, a referral) when that is later than `day`.
    static func tally(_ day: LocalDate, _ partner: String, creditedThrough: LocalDate? = nil, at positions: [Int]) -> Tally {
        let key = RecordKey.onDay(family, day, name: partner, knownFrom: creditedThrough)
        if positions.count == 1 { return Tally(key, one: positions[0], of: length) }
        var counts = Array(repeating: Int32(0), count: length)
        for position in positions { counts[position] += 1 }
        return Tally(key, counts)
    }

    /// The position of `value` among `values` from `start`, or of the unlisted count.
    static func position(_ value: String, in values: [String], from start: Int) -> Int {
        values.firstIndex(of: value).map { start + $0 } ?? unlistedAt
    }

    /// Adds the sums of `period` (up to `view.asOf`) into `rows`: `false`, with `rows` left
    /// partly counted, when a sum holds a value not listed.
    static func count(_ reader: ProjectionReader, view: Viewpoint, period: Period, into rows: inout [String: PartnerRow]) throws -> Bool {
        let last = min(period.to, view.asOf)
        guard period.from <= last else { return true }
        let dayAt = RecordKey.prefix(family).count
        // Summed per partner first (one dictionary lookup a sum), then into the rows.
        var sums: [String: [Int32]] = [:]
        var listed = true
        try reader.tallies(PartnerActivityProjection().name, prefix: RecordKey.prefix(family), from: RecordKey.datePrefix(family, period.from),
                           before: RecordKey.datePrefix(family, last.adding(days: 1))) { key, counts in
            guard listed else { return }
            let (partner, creditedFrom) = RecordKey.name(in: key[(dayAt + 4)...])
            if let creditedFrom, creditedFrom > view.asOf { return }
            guard counts.count == length, counts[unlistedAt] == 0 else {
                listed = false
                return
            }
            sums[String(decoding: partner, as: UTF8.self), default: Array(repeating: 0, count: length)].add(counts)
        }
        guard listed else { return false }
        for (id, counts) in sums {
            guard rows[id] != nil else { continue }
            func add(_ values: [String], from start: Int, into map: inout [String: Int]) {
                for (i, value) in values.enumerated() where counts[start + i] != 0 { map[value, default: 0] += Int(counts[start + i]) }
            }
            rows[id]!.casesOpened += Int(counts[Count.casesOpened.rawValue])
            rows[id]!.referralsReceived += Int(counts[Count.referralsReceived.rawValue])
            rows[id]!.referralsMade += Int(counts[Count.referralsMade.rawValue])
            rows[id]!.jobIntroductions += Int(counts[Count.jobIntroductions.rawValue])
            rows[id]!.placementsSelfReported += Int(counts[Count.placedSelfReported.rawValue])
            rows[id]!.placementsVerified += Int(counts[Count.placedVerified.rawValue])
            add(channels, from: channelAt, into: &rows[id]!.byChannel)
            add(outcomes, from: outcomeAt, into: &rows[id]!.casesClosed)
            add(referralOutcomes, from: referralOutcomeAt, into: &rows[id]!.referralOutcomes)
            add(supportKinds, from: supportAt, into: &rows[id]!.supportEpisodes)
            add(destinations, from: destinationAt, into: &rows[id]!.safeguardingReferrals)
        }
        return true
    }
}

extension Array where Element == Int32 {
    /// Adds `other` element by element.
    fileprivate mutating func add(_ other: TallyCounts) {
        for i in 0..<Swift.min(count, other.count) { self[i] += other[i] }
    }
}
