/// The event types of the catalogue (SPEC section 4). Each has a schema file under `Schemas/`;
/// a test checks that the files and this list name the same types.
public enum EventType: String, CaseIterable, Sendable, Comparable {
    case partnerRegistered = "PartnerRegistered"
    case partnerDeactivated = "PartnerDeactivated"
    case providerRegistered = "ProviderRegistered"
    case sponsorLicenceSuspended = "SponsorLicenceSuspended"
    case sponsorLicenceReinstated = "SponsorLicenceReinstated"
    case sponsorLicenceRevoked = "SponsorLicenceRevoked"
    case workerRegistered = "WorkerRegistered"
    case jobOfferMade = "JobOfferMade"
    case certificateOfSponsorshipAssigned = "CertificateOfSponsorshipAssigned"
    case visaGranted = "VisaGranted"
    case workerArrived = "WorkerArrived"
    case rightToWorkChecked = "RightToWorkChecked"
    case dbsCheckCompleted = "DbsCheckCompleted"
    case employmentStarted = "EmploymentStarted"
    case probationConcluded = "ProbationConcluded"
    case trainingCompleted = "TrainingCompleted"
    case careCertificateAwarded = "CareCertificateAwarded"
    case sponsorChangeReported = "SponsorChangeReported"
    case employmentEnded = "EmploymentEnded"
    case workerDisplaced = "WorkerDisplaced"
    case caseOpened = "CaseOpened"
    case jobIntroductionMade = "JobIntroductionMade"
    case replacementSecured = "ReplacementSecured"
    case supportProvided = "SupportProvided"
    case referralMade = "ReferralMade"
    case referralOutcomeRecorded = "ReferralOutcomeRecorded"
    case safeguardingConcernRaised = "SafeguardingConcernRaised"
    case caseClosed = "CaseClosed"
    case eventRetracted = "EventRetracted"
    case personalDataErased = "PersonalDataErased"

    public static func < (a: EventType, b: EventType) -> Bool { a.rawValue < b.rawValue }

    /// The type's position in ``allCases`` (declaration order), read from the enum's own tag: a
    /// payload-free enum is stored as its case's index. A test checks it against ``allCases``.
    /// For bit sets (``EventTypes``): hashing a type hashes its raw value, a string.
    public var ordinal: Int { Int(unsafeBitCast(self, to: UInt8.self)) }

    /// The type at `ordinal` in ``allCases``, without making that array (as ``ordinal`` reads it).
    public init?(ordinal: Int) {
        guard ordinal >= 0, ordinal < Self.count else { return nil }
        self = unsafeBitCast(UInt8(ordinal), to: EventType.self)
    }

    /// How many types the catalogue has.
    public static let count = allCases.count
}

/// A set of event types as one word of bits: asked for every event a rebuild reads, once per
/// read model, where a `Set<EventType>` hashed the type's name each time.
public struct EventTypes: Sendable, Equatable {
    private let bits: UInt64

    public init(_ types: some Sequence<EventType>) {
        bits = types.reduce(0) { $0 | 1 << UInt64($1.ordinal) }
    }

    public func contains(_ type: EventType) -> Bool { bits & 1 << UInt64(type.ordinal) != 0 }
}
