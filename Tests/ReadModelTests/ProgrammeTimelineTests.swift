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

    /// A period that starts or ends mid-month counts only its own days of those months, and its
    /// last month's open cases are those open on its last day: nothing later is seen. (That month
    /// read 0 open cases, the day after the period's end being past what it saw.)
    @Test func aPeriodEndingMidMonthCountsItsOwnDaysAndTheCasesOpenOnItsLastDay() throws {
        let log = try ProgrammeLog()
        try log.append(E.partner("PT-1"), E.worker("W-1"), E.worker("W-2"),
                       E.opened("C-1", worker: "W-1", type: "support", owner: "PT-1", on: "2024-10-03"),
                       E.opened("C-2", worker: "W-2", type: "support", owner: "PT-1", on: "2024-10-20"),
                       E.support("C-2", by: "PT-1", on: "2024-12-02"), E.closed("C-1", outcome: "supportComplete", on: "2024-12-10"))
        let programme = try log.models.programme(period: try Period("2024-10-10..2024-12-05"), knownAt: nil)
        #expect(programme.months.map(\.month.description) == ["2024-10", "2024-11", "2024-12"])
        #expect(programme.months.map(\.casesOpened) == [1, 0, 0], "C-1 opened before the period began")
        #expect(programme.months.map(\.openCases) == [2, 2, 2], "both open on 5 December: C-1 closed after it")
        #expect(programme.months[2].supportEpisodes == 1 && programme.months[2].casesClosed.isEmpty)
        // Known earlier than the head, the same answer from the facts rather than the sums.
        let earlier = try log.models.programme(period: try Period("2024-10-10..2024-12-05"), knownAt: try log.recordedAt(Seq(7)))
        #expect(earlier.months.map(\.openCases) == [2, 2, 2] && earlier.months.map(\.casesOpened) == [1, 0, 0])
    }
}
