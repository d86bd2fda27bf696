public import CareLedger
public import ProjectionKit
public import LedgerJSON

/// One partner's activity over a period (SPEC 5.3), exact.
public struct PartnerRow: Sendable, Equatable {
    public var partnerId: String
    public var name: String
    public var kind: String
    public var casesOpened = 0
    public var byChannel: [String: Int] = [:]
    public var casesClosed: [String: Int] = [:]
    public var referralsReceived = 0
    public var referralsMade = 0
    public var referralOutcomes: [String: Int] = [:]
    public var supportEpisodes: [String: Int] = [:]
    /// The distinct workers of the support episodes' cases.
    public var workersSupported: Set<String> = []
    public var jobIntroductions = 0
    public var placementsSelfReported = 0
    public var placementsVerified = 0
    /// Days from `CaseOpened` to `ReplacementSecured`, one per placement in the period.
    public var daysToPlacement: [Int] = []
    public var safeguardingReferrals: [String: Int] = [:]

    public init(partnerId: String, name: String, kind: String) {
        self.partnerId = partnerId
        self.name = name
        self.kind = kind
    }
}

/// Partner activity over a period (SPEC 5.3, section 9's shape).
public struct PartnerActivity: Sendable {
    public var period: Period
    public var asOf: LocalDate
    public var knownAt: Instant
    /// Sorted by `partnerId`.
    public var partners: [PartnerRow]

    public func json(publish: Bool) -> JSONValue {
        let figure = Figure(publish: publish)
        return .object([
            ("period", .string(period.description)), ("from", .date(period.from)), ("to", .date(period.to)),
            ("asOf", .date(asOf)), ("knownAt", .string(knownAt.description)),
            ("partners", .array(partners.map { row in
                var members: [(String, JSONValue)] = [
                    ("partnerId", .string(row.partnerId)), ("name", .string(row.name)), ("kind", .string(row.kind)),
                    ("casesOpened", figure.count(row.casesOpened)), ("byChannel", figure.counts(row.byChannel)),
                    ("casesClosed", figure.counts(row.casesClosed)), ("referralsReceived", figure.count(row.referralsReceived)),
                    ("referralsMade", figure.count(row.referralsMade)), ("referralOutcomes", figure.counts(row.referralOutcomes)),
                    ("supportEpisodes", figure.counts(row.supportEpisodes)), ("workersSupported", figure.count(row.workersSupported.count)),
                    ("jobIntroductions", figure.count(row.jobIntroductions)),
                    ("placements", .object([("selfReported", figure.count(row.placementsSelfReported)), ("verified", figure.count(row.placementsVerified))])),
                ]
                let withheld = publish && Disclosure.suppresses(denominator: row.daysToPlacement.count)
                members.append(("medianDaysToPlacement", withheld ? .null : .decimal(Figures.median(row.daysToPlacement))))
                if withheld && !row.daysToPlacement.isEmpty { members.append(("medianSuppressed", true)) }
                members.append(("safeguardingReferrals", figure.counts(row.safeguardingReferrals)))
                return .object(members)
            })),
        ])
    }

    /// The activity for a person, with each breakdown as its total; in CSV, with a column for
    /// each channel, outcome, kind and destination too, as the JSON has them.
    public func table(publish: Bool) -> ReportTable {
        let figure = Figure(publish: publish)
        var layout = ReportTable.Layout<PartnerRow>(
            title: "Partner activity in \(period) (\(period.from) to \(period.to)), known at \(knownAt)", figure: figure)
        layout.column("partnerId") { $0.partnerId }
        layout.column("name") { $0.name }
        layout.column("kind") { $0.kind }
        layout.count("casesOpened") { $0.casesOpened }
        layout.breakdown("byChannel", by: PartnerTallies.channels, head: .none) { $0.byChannel }
        layout.breakdown("casesClosed", by: PartnerTallies.outcomes) { $0.casesClosed }
        layout.count("referralsReceived") { $0.referralsReceived }
        layout.count("referralsMade") { $0.referralsMade }
        layout.breakdown("referralOutcomes", by: PartnerTallies.referralOutcomes, head: .none) { $0.referralOutcomes }
        layout.breakdown("supportEpisodes", by: PartnerTallies.supportKinds) { $0.supportEpisodes }
        layout.count("workersSupported") { $0.workersSupported.count }
        layout.count("jobIntroductions") { $0.jobIntroductions }
        layout.count("placedSelfReported") { $0.placementsSelfReported }
        layout.count("placedVerified") { $0.placementsVerified }
        layout.column("medianDaysToPlacement") { row in
            guard publish && Disclosure.suppresses(denominator: row.daysToPlacement.count) else {
                return Figures.median(row.daysToPlacement).map { String($0) } ?? ReportTable.missing
            }
            return row.daysToPlacement.isEmpty ? ReportTable.missing : "suppressed"
        }
        layout.breakdown("safeguardingReferrals", by: PartnerTallies.destinations) { $0.safeguardingReferrals }
        let opened = partners.reduce(0) { $0 + $1.casesOpened }
        let episodes = partners.reduce(0) { $0 + $1.supportEpisodes.values.reduce(0, +) }
        let placed = partners.reduce(0) { $0 + $1.placementsSelfReported + $1.placementsVerified }
        return layout.table(partners, footer: [
            "Partners: \(partners.count); cases opened: \(figure.cell(opened)); support episodes: \(figure.cell(episodes)); placements: \(figure.cell(placed))",
            "(workersSupported is a distinct count per partner and is not totalled)",
        ])
    }
}
