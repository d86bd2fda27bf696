public import CareLedger
public import ProjectionKit

extension PartnerActivity {
    typealias Tag = PartnerActivityProjection.Tag

    /// Each partner registered by the period's end, with what it did in the period, as `view`
    /// sees it (`view.asOf` is the period's last day unless the query gave another).
    public static func query(_ reader: ProjectionReader, view: Viewpoint, knownAt: Instant, period: Period) throws -> PartnerActivity {
        let name = PartnerActivityProjection().name
        var rows: [String: PartnerRow] = [:]
        try reader.scan(name, prefix: RecordKey.prefix("partner")) { key, facts in
            if let registered = facts.earliest(Tag.registered.rawValue, seenBy: view), registered.occurredOn <= period.to {
                rows[key.entityID] = PartnerRow(partnerId: key.entityID, name: registered[0], kind: registered[1])
            }
            return true
        }
        if view.knownAt >= (try reader.checkpoint(name)).seq {
            let registered = rows
            if try PartnerTallies.count(reader, view: view, period: period, into: &rows) {
                try supportedAndPlaced(reader, view: view, period: period, into: &rows)
                return PartnerActivity(period: period, asOf: view.asOf, knownAt: knownAt, partners: sorted(rows))
            }
            rows = registered
        }
        try countFacts(reader, view: view, period: period, into: &rows)
        return PartnerActivity(period: period, asOf: view.asOf, knownAt: knownAt, partners: sorted(rows))
    }

    private static func sorted(_ rows: [String: PartnerRow]) -> [PartnerRow] {
        rows.values.sorted { $0.partnerId.precedesByBytes($1.partnerId) }
    }

    /// Known at the head: the distinct workers supported and the days to each placement, from
    /// the index entries of support episodes and placements dated in the period.
    static func supportedAndPlaced(_ reader: ProjectionReader, view: Viewpoint, period: Period, into rows: inout [String: PartnerRow]) throws {
        let name = PartnerActivityProjection().name
        let last = min(period.to, view.asOf)
        guard period.from <= last else { return }
        // Keys: the day, the partner, a zero byte, (the worker, a zero byte,) the seq. Each entry is
        // dated with its case's opening, which must be seen as of the query's date.
        // Gathered per partner, then set once on its row: a row is large, and updating it in its
        // dictionary once per entry cost more than reading the entry.
        let seqSuffix = 1 + MemoryLayout<UInt64>.size
        let supp = RecordKey.prefix("supp"), placed = RecordKey.prefix("placed")
        func partnerAndRest(_ key: UnsafeRawBufferPointer, after prefix: [UInt8]) -> (partner: String, rest: Slice<UnsafeRawBufferPointer>) {
            let tail = key[(prefix.count + 4)..<(key.count - seqSuffix)]
            let zero = tail.firstIndex(of: 0) ?? tail.endIndex
            return (String(decoding: tail[..<zero], as: UTF8.self), tail[min(tail.endIndex, zero + 1)...])
        }
        var supported: [String: Set<String>] = [:]
        try reader.views(name, prefix: supp, from: RecordKey.datePrefix("supp", period.from),
                          before: RecordKey.datePrefix("supp", last.adding(days: 1))) { key, entry in
            guard let openedOn = entry.first?.date, openedOn <= view.asOf else { return }
            let (partner, worker) = partnerAndRest(key, after: supp)
            supported[partner, default: []].insert(String(decoding: worker, as: UTF8.self))
        }
        for (partner, workers) in supported { rows[partner]?.workersSupported = workers }
        var days: [String: [Int]] = [:]
        try reader.views(name, prefix: placed, from: RecordKey.datePrefix("placed", period.from),
                          before: RecordKey.datePrefix("placed", last.adding(days: 1))) { key, entry in
            guard let placement = entry.first, let openedOn = placement.date, openedOn <= view.asOf else { return }
            days[partnerAndRest(key, after: placed).partner, default: []].append(placement.occurredOn.days(since: openedOn))
        }
        for (partner, days) in days { rows[partner]?.daysToPlacement = days }
    }

    /// Known at an earlier instant: every activity dated in the period, as `view` sees it.
    static func countFacts(_ reader: ProjectionReader, view: Viewpoint, period: Period, into rows: inout [String: PartnerRow]) throws {
        let name = PartnerActivityProjection().name
        var owners: [String: Fact?] = [:]
        /// The case's `CaseOpened` as seen: its owner, worker and date.
        func opening(_ caseId: String) throws -> Fact? {
            if let known = owners[caseId] { return known }
            let fact = try reader.facts(name, .entity("case", caseId)).earliest(Tag.caseOwner.rawValue, seenBy: view)
            owners[caseId] = fact
            return fact
        }
        func receiver(_ referralId: String) throws -> String? {
            try reader.facts(name, .entity("referral", referralId)).earliest(Tag.referral.rawValue, seenBy: view)?[1]
        }
        try reader.scan(name, prefix: RecordKey.prefix("act"), from: RecordKey.datePrefix("act", period.from),
                        before: RecordKey.datePrefix("act", period.to.adding(days: 1))) { _, facts in
            for fact in facts where view.sees(fact) {
                guard let tag = Tag(rawValue: fact.tag) else { continue }
                switch tag {
                case .opened:
                    rows[fact[1]]?.casesOpened += 1
                    rows[fact[1]]?.byChannel[fact[2], default: 0] += 1
                case .closed:
                    if let owner = try opening(fact[0])?[0] { rows[owner]?.casesClosed[fact[1], default: 0] += 1 }
                case .referralMade:
                    rows[fact[0]]?.referralsMade += 1
                    rows[fact[1]]?.referralsReceived += 1
                case .referralOutcome:
                    if let to = try receiver(fact[0]) { rows[to]?.referralOutcomes[fact[1], default: 0] += 1 }
                case .support:
                    rows[fact[1]]?.supportEpisodes[fact[2], default: 0] += 1
                    if let worker = try opening(fact[0])?[1] { rows[fact[1]]?.workersSupported.insert(worker) }
                case .introduction:
                    if let owner = try opening(fact[0])?[0] { rows[owner]?.jobIntroductions += 1 }
                case .placement:
                    guard let opened = try opening(fact[0]) else { break }
                    if fact[1] == "verified" { rows[opened[0]]?.placementsVerified += 1 } else { rows[opened[0]]?.placementsSelfReported += 1 }
                    rows[opened[0]]?.daysToPlacement.append(fact.occurredOn.days(since: opened.occurredOn))
                case .concern:
                    if let owner = try opening(fact[0])?[0] {
                        for destination in fact.texts.dropFirst() { rows[owner]?.safeguardingReferrals[destination, default: 0] += 1 }
                    }
                default: break
                }
            }
            return true
        }
    }
}
