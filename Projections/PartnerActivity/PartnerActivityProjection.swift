public import CareLedger
public import ProjectionKit

/// Partner activity (SPEC 5.3): partners, who owns each case and who received each referral,
/// and every activity under its date, so that a period is one range scan.
public struct PartnerActivityProjection: Projection {
    public let name = "partners"
    public let version = 1
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
        case .caseClosed: return [activity(.closed, [event.caseId, event.outcome])]
        case .referralMade:
            guard let referral = event.referralId else { return [] }
            return [KeyedFact(.entity("referral", referral), event.fact(Tag.referral.rawValue, [event.fromPartnerId, event.toPartnerId])),
                    activity(.referralMade, [event.fromPartnerId, event.toPartnerId])]
        case .referralOutcomeRecorded: return [activity(.referralOutcome, [event.referralId, event.outcome])]
        case .supportProvided: return [activity(.support, [event.caseId, event.partnerId, event.kind])]
        case .jobIntroductionMade: return [activity(.introduction, [event.caseId])]
        case .replacementSecured: return [activity(.placement, [event.caseId, event.evidence])]
        case .safeguardingConcernRaised:
            guard let caseId = event.caseId else { return [] }
            return [activity(.concern, [caseId] + event.referredTo)]
        default: return []
        }
    }
}
