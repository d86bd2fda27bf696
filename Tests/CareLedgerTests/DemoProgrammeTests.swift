import CareLedger
import LedgerJSON
import LedgerTestSupport
import Testing

@Suite("The demo programme")
struct DemoProgrammeTests {
    @Test("every event of several seeds passes the ledger's checks", arguments: [UInt64(1), 2, 3])
    func everyEventIsAccepted(seed: UInt64) throws {
        let lines = DemoProgramme(workers: 120, seed: seed).lines()
        let ledger = try TestLedger(world: false)
        let result = try ledger.ledger.append(body: Array((lines.joined(separator: "\n") + "\n").utf8))
        #expect(result.positions.count == lines.count)
        #expect(try ledger.ledger.verify().ok)
        let types = Set(try lines.map { try JSONValue(parsing: $0)["type"]!.stringValue! })
        // A realistic programme uses most of the catalogue.
        #expect(types.isSuperset(of: ["PartnerRegistered", "ProviderRegistered", "WorkerRegistered", "EmploymentStarted",
                                      "TrainingCompleted", "CaseOpened", "CaseClosed", "SupportProvided", "EmploymentEnded"]))
        #expect(types.count >= 20, "only \(types.sorted())")
    }

    @Test func theSameSeedGivesTheSameEvents() {
        #expect(DemoProgramme(workers: 50, seed: 9).lines() == DemoProgramme(workers: 50, seed: 9).lines())
        #expect(DemoProgramme(workers: 50, seed: 9).lines() != DemoProgramme(workers: 50, seed: 10).lines())
    }

    @Test func displacementsFollowRevocationsAndSomeCasesStayOpen() throws {
        let events = try DemoProgramme(workers: 400, seed: 1).lines().map { try JSONValue(parsing: $0) }
        func count(_ type: String) -> Int { events.filter { $0["type"]?.stringValue == type }.count }
        #expect(count("SponsorLicenceRevoked") > 0 && count("WorkerDisplaced") > 0)
        #expect(count("CaseOpened") > count("CaseClosed"))
        #expect(count("EventRetracted") > 0)
        // Back-dated: some event is dated before one recorded earlier.
        let dates = events.compactMap { $0["occurredOn"]?.stringValue }
        #expect(zip(dates, dates.dropFirst()).contains { $0 > $1 })
        // Concerns are raised in cases, and about workers in employment outside any case.
        let concerns = events.filter { $0["type"] == "SafeguardingConcernRaised" }.compactMap { $0["data"] }
        #expect(concerns.contains { $0["caseId"] != nil } && concerns.contains { $0["caseId"] == nil && $0["workerRef"] != nil && $0["providerId"] != nil })
        // Some name only their case; some are retracted, as raised on the wrong case.
        #expect(concerns.contains { $0["caseId"] != nil && $0["workerRef"] == nil })
        let concernIDs = Set(events.filter { $0["type"] == "SafeguardingConcernRaised" }.compactMap { $0["id"]?.stringValue })
        #expect(events.contains { $0["type"] == "EventRetracted" && concernIDs.contains($0["data"]?["targetEventId"]?.stringValue ?? "") })
        // Overseas recruitment ended on 22 July 2025.
        #expect(!events.contains { $0["type"] == "JobOfferMade" && $0["occurredOn"]!.stringValue! > "2025-07-22" })
    }

    /// Recruitment from overseas closed to new entrants on 22 July 2025: a certificate of
    /// sponsorship assigned before then could still be used, none was assigned from then on.
    @Test func noCertificateOfSponsorshipIsAssignedFromTheDayRecruitmentEnded() throws {
        let assigned = try DemoProgramme(workers: 2000, seed: 1).lines().map { try JSONValue(parsing: $0) }
            .filter { $0["type"] == "CertificateOfSponsorshipAssigned" }.compactMap { $0["occurredOn"]?.stringValue }
        #expect(assigned.count > 1000)
        #expect(assigned.filter { $0 >= "2025-07-22" } == [])
    }

    /// Synthetic personal data changes no event of the story, and appends under a master key.
    @Test func personalDataIsAddedWithoutChangingTheStory() throws {
        let plain = DemoProgramme(workers: 80, seed: 4).lines()
        let personal = DemoProgramme(workers: 80, seed: 4, personalData: true).lines()
        func stripped(_ line: String) throws -> JSONValue {
            let event = try JSONValue(parsing: line)
            return .object((event.objectValue ?? []).map { name, value in
                name == "data" ? (name, .object((value.objectValue ?? []).filter { $0.0 != "pii" && $0.0 != "notes" })) : (name, value)
            })
        }
        #expect(try personal.map(stripped) == plain.map { try JSONValue(parsing: $0) })
        #expect(personal.filter { $0.contains(#""pii":"#) }.count == 80)
        #expect(personal.contains { $0.contains(#""notes":"#) })

        let ledger = try TestLedger(world: false, masterKey: MasterKey.generate())
        let result = try ledger.ledger.append(body: Array((personal.joined(separator: "\n") + "\n").utf8))
        #expect(result.positions.count == personal.count)
    }
}
