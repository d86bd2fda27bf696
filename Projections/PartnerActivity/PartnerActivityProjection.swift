public import CareLedger
public import ProjectionKit

/// Partner activity (SPEC 5.3): partners, who owns each case and who received each referral,
/// and every activity under its date, so that a period is one range scan. Each case's and
/// referral's record also keeps what happened to it, so that the sums known at the head
/// (``PartnerTallies``) can credit an activity to the case's owner or the referral's receiver.
public struct PartnerActivityProjection: Projection {
    public let name = "partners"
    public let version = 2
    public let interests: Set<EventType> = [
        .partnerRegistered, .caseOpened, .caseClosed, .referralMade, .referralOutcomeRecorded,
        .supportProvided, .jobIntroductionMade, .replacementSecured, .safeguardingConcernRaised,
    ]

    /// The kinds of fact this projection keeps.
    enum Tag: UInt8 {
        /// On `partner:P`: name, kind.
        case registered = 1
        /// On `case:C`: ownerPartnerId, workerRef.
        case caseOwner
        /// On `referral:R`: fromPartnerId, toPartnerId.
        case referral
        /// Dated activities (`act:DAY,SEQ`), with their texts:
        case opened = 10  // caseId, ownerPartnerId, channel
        case closed  // caseId, outcome
        case referralMade  // fromPartnerId, toPartnerId
        case referralOutcome  // referralId, outcome
        case support  // caseId, partnerId, kind
        case introduction  // caseId
        case placement  // caseId, evidence
        case concern  // caseId, then each referredTo
        /// On `case:C`, what happened to the case:
        case caseClosed = 20  // outcome
        case caseIntroduction
        case casePlacement  // evidence
        case caseConcern  // each referredTo
        case caseSupport  // partnerId
        /// On `referral:R`: outcome.
        case referralOutcomeKnown = 25
        /// Derived, known now: `supp:DAY,partner,worker,SEQ` (a support episode with its case's
        /// worker) and `placed:DAY,owner,SEQ` (a placement); the date is the case's opening.
        case supportedWorker = 30
        case placementDays
    }

    public init() {}

    public func facts(for event: ProjectedEvent) -> [KeyedFact] {
        func activity(_ tag: Tag, _ texts: [String?]) -> KeyedFact {
            KeyedFact(.dated("act", event.occurredOn, event.seq), event.fact(tag.rawValue, texts))
        }
        switch event.type {
        case .partnerRegistered:
            guard let partner = event.partnerId else { return [] }
            return [KeyedFact(.entity("partner", partner), event.fact(Tag.registered.rawValue, [event.name, event.kind]))]
        case .caseOpened:
            guard let caseId = event.caseId else { return [] }
            return [KeyedFact(.entity("case", caseId), event.fact(Tag.caseOwner.rawValue, [event.ownerPartnerId, event.workerRef])),
                    activity(.opened, [caseId, event.ownerPartnerId, event.channel])]
        case .caseClosed: return withCase(activity(.closed, [event.caseId, event.outcome]), .caseClosed, [event.outcome])
        case .referralMade:
            guard let referral = event.referralId else { return [] }
            return [KeyedFact(.entity("referral", referral), event.fact(Tag.referral.rawValue, [event.fromPartnerId, event.toPartnerId])),
                    activity(.referralMade, [event.fromPartnerId, event.toPartnerId])]
        case .referralOutcomeRecorded:
            guard let referral = event.referralId else { return [] }
            return [activity(.referralOutcome, [referral, event.outcome]),
                    KeyedFact(.entity("referral", referral), event.fact(Tag.referralOutcomeKnown.rawValue, [event.outcome]))]
        case .supportProvided: return withCase(activity(.support, [event.caseId, event.partnerId, event.kind]), .caseSupport, [event.partnerId])
        case .jobIntroductionMade: return withCase(activity(.introduction, [event.caseId]), .caseIntroduction)
        case .replacementSecured: return withCase(activity(.placement, [event.caseId, event.evidence]), .casePlacement, [event.evidence])
        case .safeguardingConcernRaised:
            guard let caseId = event.caseId else { return [] }
            return withCase(activity(.concern, [caseId] + event.referredTo), .caseConcern, event.referredTo)
        default: return []
        }
        /// The activity, then, when the event names a case, what the case's record keeps of it:
        /// made as one array (concatenating two made three).
        func withCase(_ activity: KeyedFact, _ tag: Tag, _ texts: [String?] = []) -> [KeyedFact] {
            guard let caseId = event.caseId else { return [activity] }
            return [activity, KeyedFact(.entity("case", caseId), event.fact(tag.rawValue, texts))]
        }
    }

    /// The sums known at the head (``PartnerTallies``): an activity's own partner from its dated
    /// record; the owner of a case, or the receiver of a referral, from that record.
    public func tallies(from key: RecordKey, facts: [Fact]) -> [Tally] {
        typealias T = PartnerTallies
        let live = facts.filter { $0.retractedAt == nil }
        if key.belongs(to: "act") {
            guard let fact = live.first, let tag = Tag(rawValue: fact.tag) else { return [] }
            switch tag {
            case .opened:
                return [T.tally(fact.occurredOn, fact[1], at: [T.Count.casesOpened.rawValue, T.position(fact[2], in: T.channels, from: T.channelAt)])]
            case .referralMade:
                return [T.tally(fact.occurredOn, fact[0], at: [T.Count.referralsMade.rawValue]),
                        T.tally(fact.occurredOn, fact[1], at: [T.Count.referralsReceived.rawValue])]
            case .support: return [T.tally(fact.occurredOn, fact[1], at: [T.position(fact[2], in: T.supportKinds, from: T.supportAt)])]
            default: return []
            }
        }
        if key.belongs(to: "case"), let opening = live.earliest(.caseOwner) {
            return live.compactMap { fact -> Tally? in
                let positions: [Int] = switch Tag(rawValue: fact.tag) {
                case .caseClosed: [T.position(fact[0], in: T.outcomes, from: T.outcomeAt)]
                case .caseIntroduction: [T.Count.jobIntroductions.rawValue]
                case .casePlacement: [fact[0] == "verified" ? T.Count.placedVerified.rawValue : T.Count.placedSelfReported.rawValue]
                case .caseConcern: fact.texts.map { T.position($0, in: T.destinations, from: T.destinationAt) }
                default: []
                }
                return positions.isEmpty ? nil : T.tally(fact.occurredOn, opening[0], creditedThrough: opening.occurredOn, at: positions)
            }
        }
        if key.belongs(to: "referral"), let referral = live.earliest(.referral) {
            return live.filter { $0.tag == Tag.referralOutcomeKnown.rawValue }.map { outcome in
                T.tally(outcome.occurredOn, referral[1], creditedThrough: referral.occurredOn,
                        at: [T.position(outcome[0], in: T.referralOutcomes, from: T.referralOutcomeAt)])
            }
        }
        return []
    }

    /// Known now, per case: each support episode with the case's worker (`supp:`), and each
    /// placement with the case's owner (`placed:`), under the activity's day and dated with the
    /// case's opening: what distinct workers and the median days to placement need.
    public func derived(from key: RecordKey, facts: [Fact]) -> [KeyedFact] {
        guard key.belongs(to: "case") else { return [] }
        let live = facts.filter { $0.retractedAt == nil }
        guard let opening = live.earliest(.caseOwner) else { return [] }
        let seq = { (fact: Fact) in withUnsafeBytes(of: fact.seq.rawValue.bigEndian) { Array($0) } }
        return live.compactMap { fact in
            func entry(_ key: [UInt8], _ tag: Tag) -> KeyedFact {
                KeyedFact(RecordKey(bytes: key + [0] + seq(fact)), Fact(seq: fact.seq, occurredOn: fact.occurredOn, tag: tag.rawValue, date: opening.occurredOn))
            }
            switch Tag(rawValue: fact.tag) {
            case .caseSupport: return entry(RecordKey.datePrefix("supp", fact.occurredOn) + Array(fact[0].utf8) + [0] + Array(opening[1].utf8), .supportedWorker)
            case .casePlacement: return entry(RecordKey.datePrefix("placed", fact.occurredOn) + Array(opening[0].utf8), .placementDays)
            default: return nil
            }
        }
    }
}

extension Array where Element == Fact {
    /// The earliest (by `occurredOn`, then `seq`) fact of `tag`, whatever its retraction.
    fileprivate func earliest(_ tag: PartnerActivityProjection.Tag) -> Fact? {
        filter { $0.tag == tag.rawValue }.min { ($0.occurredOn, $0.seq.rawValue) < ($1.occurredOn, $1.seq.rawValue) }
    }
}
