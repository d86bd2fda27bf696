public import CareLedger
public import ProjectionKit
internal import LedgerJSON

/// Timelines (SPEC 5.4): what the log's stream index cannot answer alone. A worker's timeline is
/// its stream plus its cases' streams and the concerns naming it or its cases; a provider's or
/// partner's is its stream plus every event elsewhere naming it. This projection keeps those
/// links, the organisational events by date, and the programme's monthly counts by date.
public struct TimelinesProjection: Projection {
    public let name = "timelines"
    public let version = 3
    public let interests: Set<EventType> = [
        .caseOpened, .safeguardingConcernRaised, .jobOfferMade, .certificateOfSponsorshipAssigned, .rightToWorkChecked,
        .employmentStarted, .workerDisplaced, .jobIntroductionMade, .replacementSecured, .supportProvided, .referralMade,
        .caseClosed, .employmentEnded,
        .providerRegistered, .sponsorLicenceSuspended, .sponsorLicenceReinstated, .sponsorLicenceRevoked,
        .partnerRegistered, .partnerDeactivated,
    ]

    /// The event types a board may see on provider and partner timelines and in the programme's.
    public static let organisational: Set<EventType> = providerEvents.union([.partnerRegistered, .partnerDeactivated])
    /// The event types the programme's timeline counts or lists (SPEC 5.4). The others this
    /// projection reads (an offer, a certificate, a right-to-work check) only link a provider's
    /// timeline to a worker's events, and are in no figure.
    public static let programmeTypes: Set<EventType> = organisational.union([
        .caseOpened, .caseClosed, .workerDisplaced, .replacementSecured, .supportProvided, .employmentStarted, .employmentEnded,
    ])
    /// The organisational events that name a provider (the others name a partner).
    static let providerEvents: Set<EventType> = [.providerRegistered, .sponsorLicenceSuspended, .sponsorLicenceReinstated, .sponsorLicenceRevoked]

    /// The kinds of fact this projection keeps.
    enum Tag: UInt8 {
        /// On `workerCase:W` members: caseId.
        case workerCase = 1
        /// On `workerConcern:W` and `caseConcern:C` members: concernId.
        case concern
        /// On `provider:P` and `partner:P` members: an event naming it outside its own stream.
        case mention
        /// On `org:DAY,SEQ`: providerId or partnerId, the event's type and its summary.
        case organisational
        /// On `month:DAY,SEQ`, for the programme's counts:
        case caseOpened = 10  // caseId
        case caseClosed  // caseId, outcome
        case displaced
        case placement  // evidence
        case support
        case employmentStarted
        case employmentEnded
    }

    public init() {}

    public func facts(for event: ProjectedEvent) -> [KeyedFact] {
        var facts: [KeyedFact] = []
        facts.reserveCapacity(3)  // the most an event gives: grown from one, it was allocated twice
        func member(_ prefix: String, _ id: String?, _ tag: Tag, _ texts: [String?] = []) {
            guard let id else { return }
            facts.append(KeyedFact(.member(prefix, id, event.seq), event.fact(tag.rawValue, texts)))
        }
        func monthly(_ tag: Tag, _ texts: [String?] = []) {
            facts.append(KeyedFact(.dated("month", event.occurredOn, event.seq), event.fact(tag.rawValue, texts)))
        }
        switch event.type {
        case .caseOpened:
            member("workerCase", event.workerRef, .workerCase, [event.caseId])
            member("partner", event.ownerPartnerId, .mention)
            monthly(.caseOpened, [event.caseId])
        case .caseClosed: monthly(.caseClosed, [event.caseId, event.outcome])
        case .safeguardingConcernRaised:
            member("workerConcern", event.workerRef, .concern, [event.concernId])
            member("caseConcern", event.caseId, .concern, [event.concernId])
            member("provider", event.providerId, .mention)
        case .jobOfferMade, .certificateOfSponsorshipAssigned, .rightToWorkChecked, .jobIntroductionMade:
            member("provider", event.providerId, .mention)
        case .employmentStarted:
            member("provider", event.providerId, .mention)
            monthly(.employmentStarted)
        case .employmentEnded: monthly(.employmentEnded)
        case .workerDisplaced:
            member("provider", event.providerId, .mention)
            monthly(.displaced)
        case .replacementSecured:
            member("provider", event.newProviderId, .mention)
            monthly(.placement, [event.evidence])
        case .supportProvided:
            member("partner", event.partnerId, .mention)
            monthly(.support)
        case .referralMade:
            member("partner", event.fromPartnerId, .mention)
            if event.toPartnerId != event.fromPartnerId { member("partner", event.toPartnerId, .mention) }
        case .providerRegistered, .sponsorLicenceSuspended, .sponsorLicenceReinstated, .sponsorLicenceRevoked:
            facts.append(KeyedFact(.dated("org", event.occurredOn, event.seq),
                                   event.fact(Tag.organisational.rawValue, [event.providerId, event.type.rawValue, Self.summary(of: event)])))
        case .partnerRegistered, .partnerDeactivated:
            facts.append(KeyedFact(.dated("org", event.occurredOn, event.seq),
                                   event.fact(Tag.organisational.rawValue, [event.partnerId, event.type.rawValue, Self.summary(of: event)])))
        default: break
        }
        return facts
    }

    /// An organisational event's timeline summary, made as a timeline makes it from the stored
    /// event (its data holds only these fields), so the programme timeline need not parse it.
    static func summary(of event: ProjectedEvent) -> String {
        let fields: [(String, String?)] = [
            ("providerId", event.providerId), ("partnerId", event.partnerId), ("name", event.name), ("kind", event.kind),
            ("laCode", event.laCode), ("reason", event.reason),
        ]
        return EventSummary.of(event.type, data: .object(fields.compactMap { name, value in value.map { (name, .string($0)) } }))
    }

    /// The programme's counts per day (``MonthTallies``).
    public func tallies(from key: RecordKey, facts: [Fact]) -> [Tally] {
        MonthTallies.tallies(from: key, facts: facts)
    }
}
