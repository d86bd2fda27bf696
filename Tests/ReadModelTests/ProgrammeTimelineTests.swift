import CareLedger
import LedgerJSON
import LedgerTestSupport
import ReadModels
import Testing
import Timelines

@Suite struct ProgrammeTimelineTests {
    /// The programme timeline keeps each organisational event's summary from the fold rather than
    /// reading the log; it must read exactly as the provider's or partner's own timeline shows it,
    /// retractions included.
    @Test func organisationalEventsReadAsTheirOrganisationsTimelinesShowThem() throws {
        let log = try ProgrammeLog()
        _ = try log.ledger.append(body: Array((DemoProgramme(workers: 200, seed: 31).lines().joined(separator: "\n") + "\n").utf8))
        let mistaken = log.nextID()
        try log.append(E.provider("P-TEST", on: "2025-02-01"),
                       Fixtures.event("SponsorLicenceRevoked", ["providerId": "P-TEST"], on: "2025-03-01", id: mistaken),
                       E.retract(mistaken, on: "2025-03-02"))
        let programme = try log.models.programme(period: try Period("2020-01-01..2030-12-31"), knownAt: nil)
        let entries = programme.months.flatMap(\.organisationalEvents)
        #expect(entries.count > 20)
        var checked = 0
        for entry in entries {
            let organisation = try #require(entry.organisation)
            let kind: TimelineKind = organisation.key == "providerId" ? .provider : .partner
            let own = try log.models.timeline(kind, id: organisation.id, knownAt: nil).entries.first { $0.seq == entry.seq }
            #expect(own?.summary == entry.summary, "seq \(entry.seq)")
            #expect(own?.recordedAt == entry.recordedAt && own?.type == entry.type && own?.retracted == entry.retracted)
            checked += 1
        }
        #expect(checked == entries.count)
        #expect(entries.contains { $0.organisation?.id == "P-TEST" && $0.type == .sponsorLicenceRevoked && $0.retracted })
    }
}
