internal import LedgerJSON

/// A realistic synthetic programme, for newcomers, demos, tests and benchmarks: partners of
/// every kind across the 14 West Midlands local authorities; care providers, some of whose
/// sponsor licences are suspended, reinstated or revoked; workers recruited from overseas
/// (until recruitment ended on 22 July 2025) through offer, sponsorship, visa, arrival, checks,
/// employment, training and probation; endings; displacement when a licence is revoked, with
/// re-placement cases, job introductions and new sponsors; support cases with referrals;
/// safeguarding concerns; a few retractions with their corrections, and a few back-dated returns.
///
/// The same seed gives the same events, byte for byte, and every event passes the checks of
/// SPEC section 3 when appended in the order given.
public struct DemoProgramme: Sendable {
    /// How many workers the programme follows.
    public let workers: Int
    /// The seed of every random choice.
    public let seed: UInt64
    /// Whether workers carry synthetic `pii` and support episodes `notes` (appending them needs
    /// the master key). The story is the same either way.
    public let personalData: Bool

    /// A programme following `workers` workers, its every random choice drawn from `seed`.
    public init(workers: Int = 400, seed: UInt64 = 1, personalData: Bool = false) {
        self.workers = workers
        self.seed = seed
        self.personalData = personalData
    }

    /// The first `limit` events (all of them when `nil`) as NDJSON bytes: a prefix of a valid
    /// log is valid, so benchmarks cut the programme to the size they need.
    public func ndjson(limit: Int? = nil) -> [UInt8] {
        var text = [UInt8]()
        for line in lines().prefix(limit ?? Int.max) {
            text.append(contentsOf: line.utf8)
            text.append(UInt8(ascii: "\n"))
        }
        return text
    }

    /// The programme's events in recording order, one written event (NDJSON line) each.
    public func lines() -> [String] {
        var builder = DemoBuilder(seed: seed)
        if personalData { builder.personal = DemoRandom(seed: seed ^ 0x5EED_D47A) }
        builder.organisations(providers: max(12, workers / 10))
        for index in 1...max(1, workers) { builder.worker(index) }
        return builder.recordingOrder()
    }
}

/// One event of the simulation, waiting to be put in recording order.
struct DemoDraft {
    let recordDay: Int
    let order: Int
    let event: JSONValue
}

struct DemoBuilder {
    var random: DemoRandom
    var ids: DemoRandom
    var drafts: [DemoDraft] = []
    var providers: [(id: String, revokedOn: Int?)] = []
    var caseCounter = 0
    var concernCounter = 0
    var referralCounter = 0
    /// Draws synthetic personal data, when the demo carries some.
    var personal: DemoRandom?
    /// Draws the concerns raised about workers in employment, outside any case, and their events'
    /// ids and actors: a stream of its own, so that every other event is as it was before they
    /// were added to the demo.
    var outsideCases: DemoRandom
    var outsideCaseEvents = 0
    /// Draws what became of concerns raised in cases (some name only the case; some are
    /// retracted as raised on the wrong case) and the ids and actors of those retractions: a
    /// stream of its own, for the same reason as ``outsideCases``.
    var concernFollowUps: DemoRandom
    var concernFollowUpEvents = 0
    var supportCaseConcerns = 0
    var concernsInCases = 0
    let seed: UInt64

    static func day(_ text: String) -> Int { LocalDate(text)!.dayNumber }
    static let programmeStart = day("2022-10-03")
    static let recruitmentEnded = day("2025-07-22")
    static let lastDay = day("2026-10-31")

    init(seed: UInt64) {
        self.seed = seed
        random = DemoRandom(seed: seed)
        ids = DemoRandom(seed: seed ^ 0x5EED_1D5)
        outsideCases = DemoRandom(seed: seed ^ 0x5EED_C0C)
        concernFollowUps = DemoRandom(seed: seed ^ 0x5EED_F01)
    }

    /// Where an event's id and actor are drawn from: the programme's streams, or one of the
    /// streams of their own that keep every other event as it was when they were added.
    enum Draws { case programme, outsideCases, concernFollowUps }

    // MARK: Emitting

    /// Adds an event dated `day` (recorded then too, unless `recordDay` says later). Returns its id,
    /// or nil when the day is past the end of the simulation (nothing is added). Its id and actor
    /// are drawn as `draws` says.
    @discardableResult
    mutating func add(_ type: String, _ day: Int, _ data: [(String, JSONValue)], recordDay: Int? = nil,
                      meta extra: [(String, JSONValue)] = [], draws: Draws = .programme) -> String? {
        let recorded = max(day, recordDay ?? day)
        guard recorded <= Self.lastDay else { return nil }
        let actors = ["staff:jk", "staff:am", "staff:sp", "staff:rb", "staff:tn"]
        let id: String, actor: String, correlation: String
        switch draws {
        case .programme:
            (id, actor) = (EventID.random(using: &ids).description, random.pick(actors))
            correlation = "\(drafts.count - outsideCaseEvents - concernFollowUpEvents)"
        case .outsideCases:
            (id, actor) = (EventID.random(using: &outsideCases).description, outsideCases.pick(actors))
            correlation = "outside-case-\(outsideCaseEvents)"
            outsideCaseEvents += 1
        case .concernFollowUps:
            (id, actor) = (EventID.random(using: &concernFollowUps).description, concernFollowUps.pick(actors))
            correlation = "concern-follow-up-\(concernFollowUpEvents)"
            concernFollowUpEvents += 1
        }
        let source = type.hasPrefix("Case") || type.hasSuffix("Made") && type != "JobOfferMade" ? "manual:case-team"
            : type.contains("Licence") || type.hasSuffix("Registered") && type != "WorkerRegistered" ? "manual:programme-team"
            : "import:provider-return"
        let meta: [(String, JSONValue)] = [("actor", .string(actor)), ("source", .string(source)),
                                            ("correlationId", .string("demo-\(seed)-\(correlation)"))] + extra
        let event = JSONValue.object([
            ("id", .string(id)), ("type", .string(type)), ("schemaVersion", 1),
            ("occurredOn", .string(LocalDate(dayNumber: day).description)),
            ("data", .object(data)), ("meta", .object(meta)),
        ])
        drafts.append(DemoDraft(recordDay: recorded, order: drafts.count, event: event))
        return id
    }

    func recordingOrder() -> [String] {
        drafts.sorted { ($0.recordDay, $0.order) < ($1.recordDay, $1.order) }.map(\.event.compactText)
    }

    static func date(_ day: Int) -> JSONValue { .string(LocalDate(dayNumber: day).description) }

    // MARK: Organisations

    mutating func organisations(providers count: Int) {
        for (index, partner) in DemoOrganisations.partners.enumerated() {
            var data: [(String, JSONValue)] = [("partnerId", .string(partner.id)), ("name", .string(partner.name)), ("kind", .string(partner.kind))]
            if let la = partner.la { data.append(("laCode", .string(la))) }
            add("PartnerRegistered", Self.programmeStart + index / 3, data)
        }
        for number in 1...count {
            let id = "P-" + pad(number, 3)
            let base = DemoOrganisations.providerNames[(number - 1) % DemoOrganisations.providerNames.count]
            let name = number > DemoOrganisations.providerNames.count ? "\(base) \(number / DemoOrganisations.providerNames.count + 1)" : base
            let la = random.pick(DemoOrganisations.localAuthorities).code
            add("ProviderRegistered", Self.programmeStart + random.int(1...25), [
                ("providerId", .string(id)), ("name", .string(name + " Ltd")), ("laCode", .string(la)),
                ("cqcLocationId", .string("1-\(random.int(100_000_000...999_999_999))")),
                ("sponsorRating", .string(random.chance(0.85) ? "a" : "b")),
            ])
            var revokedOn: Int?
            let roll = random.int(1...100)
            if roll <= 12 {
                let suspended = random.int(Self.day("2023-05-01")...Self.day("2025-10-01"))
                add("SponsorLicenceSuspended", suspended, [("providerId", .string(id))])
                if random.chance(0.5) {
                    revokedOn = suspended + random.int(30...90)
                    add("SponsorLicenceRevoked", revokedOn!, [("providerId", .string(id))])
                } else {
                    add("SponsorLicenceReinstated", suspended + random.int(20...60), [("providerId", .string(id))])
                }
            } else if roll <= 20 {
                revokedOn = random.int(Self.day("2023-06-01")...Self.day("2025-12-01"))
                add("SponsorLicenceRevoked", revokedOn!, [("providerId", .string(id))])
            }
            providers.append((id, revokedOn))
        }
        // A partner whose funding ended, after its last involvement.
        add("PartnerDeactivated", Self.lastDay, [("partnerId", "PT-21"), ("reason", "Funding for the community hub ended")])
    }

    /// A provider whose licence still stands at `day` and for a while after.
    mutating func employer(at day: Int, excluding excluded: String? = nil) -> (id: String, revokedOn: Int?) {
        let open = providers.filter { ($0.revokedOn ?? .max) > day + 30 && $0.id != excluded }
        return open.isEmpty ? providers[0] : random.pick(open)
    }

    func revokedBefore(_ day: Int) -> [(id: String, revokedOn: Int?)] {
        providers.filter { ($0.revokedOn ?? .max) < day }
    }
}
