import CareLedger
import LedgerJSON
import LedgerTestSupport
import PartnerActivity
import ReadModels
import Testing

@Suite struct PartnerActivityTests {
    @Test func anEvenNumberOfPlacementsHasTheMeanOfTheMiddleTwoAsMedian() throws {
        let log = try ProgrammeLog()
        try log.append(E.partner("PT-1"), E.partner("PT-2", kind: "housing"), E.partner("PT-3", on: "2024-12-01"),
                       E.provider("P-1"), E.worker("W-1"), E.worker("W-2"),
                       E.opened("C-1", worker: "W-1", owner: "PT-1", on: "2024-06-20"),
                       E.opened("C-2", worker: "W-2", channel: "partner", owner: "PT-1", on: "2024-07-01"),
                       E.placed("C-1", with: "P-1", evidence: "selfReported", on: "2024-07-01"),
                       E.placed("C-2", with: "P-1", on: "2024-07-22"),
                       E.support("C-1", by: "PT-2", on: "2024-07-05"), E.support("C-2", by: "PT-2", kind: "food", on: "2024-07-06"),
                       E.support("C-2", by: "PT-2", on: "2024-07-07"),
                       E.closed("C-1", on: "2024-07-02"),
                       E.concern("SG-1", case: "C-1", referredTo: ["glaa", "ukvi"], on: "2024-08-01"))
        let answer = try log.models.partners(QueryOptions(period: try Period("2024-Q3")))
        #expect(answer.partners.map(\.partnerId) == ["PT-1", "PT-2"])  // PT-3 registered after the period
        let owner = answer.partners[0]
        #expect(owner.casesOpened == 1)  // C-1 was opened before the period
        #expect(owner.byChannel == ["partner": 1])
        #expect(owner.casesClosed == ["placed": 1])
        #expect(owner.placementsSelfReported == 1 && owner.placementsVerified == 1)
        #expect(owner.daysToPlacement.sorted() == [11, 21])
        let json = answer.json(publish: false)
        #expect(json["partners"]?[0]?["medianDaysToPlacement"] == .number(16))
        #expect(json["partners"]?[0]?["safeguardingReferrals"] == ["glaa": 1, "ukvi": 1])
        let helper = try #require(json["partners"]?[1])
        #expect(helper["supportEpisodes"] == ["food": 1, "housing": 2])
        #expect(helper["workersSupported"] == 2)
        #expect(helper["casesOpened"] == 0)
        #expect(helper["byChannel"] == .object([]))
        #expect(helper["placements"] == ["selfReported": 0, "verified": 0])
        #expect(helper["medianDaysToPlacement"] == .null)
    }

    @Test func aPartnerWithNothingInThePeriodIsListedWithZeros() throws {
        let log = try ProgrammeLog()
        try log.append(E.partner("PT-1"))
        let row = try #require(try log.models.partners(QueryOptions(period: try Period("2025-26"))).json(publish: false)["partners"]?[0])
        #expect(row["casesOpened"] == 0 && row["referralsReceived"] == 0 && row["workersSupported"] == 0)
        #expect(row["casesClosed"] == .object([]) && row["supportEpisodes"] == .object([]))
    }

    @Test func referralOutcomesAreCreditedToTheReceiver() throws {
        let log = try ProgrammeLog()
        try log.append(E.partner("PT-1"), E.partner("PT-2"), E.worker("W-1"),
                       E.opened("C-1", worker: "W-1", type: "support", owner: "PT-1", on: "2024-07-01"),
                       Fixtures.event("ReferralMade", ["caseId": "C-1", "referralId": "R-1", "fromPartnerId": "PT-1", "toPartnerId": "PT-2", "reason": "Housing"], on: "2024-07-02"),
                       Fixtures.event("ReferralOutcomeRecorded", ["caseId": "C-1", "referralId": "R-1", "outcome": "accepted"], on: "2024-07-09"))
        let rows = try log.models.partners(QueryOptions(period: try Period("2024-07"))).partners
        #expect(rows[0].referralsMade == 1 && rows[0].referralsReceived == 0 && rows[0].referralOutcomes.isEmpty)
        #expect(rows[1].referralsReceived == 1 && rows[1].referralOutcomes == ["accepted": 1])
    }

    /// Known at the head, activity is counted from sums per day; a count credited through a
    /// case's opening (or a referral) dated after the activity waits for that date. The answer
    /// known at an earlier instant (counted fact by fact) must be the same for the same events.
    @Test func creditThroughAnOpeningDatedLaterWaitsForItsDateBothWays() throws {
        let log = try ProgrammeLog()
        let last = try log.append(
            E.partner("PT-1"), E.partner("PT-2"), E.provider("P-1"), E.worker("W-1"),
            E.opened("C-1", worker: "W-1", owner: "PT-1", on: "2024-06-10"),
            Fixtures.event("JobIntroductionMade", ["caseId": "C-1", "providerId": "P-1", "platform": "direct"], on: "2024-06-01"),
            E.support("C-1", by: "PT-2", on: "2024-06-02"), E.placed("C-1", with: "P-1", on: "2024-06-03"),
            Fixtures.event("ReferralMade", ["caseId": "C-1", "referralId": "R-1", "fromPartnerId": "PT-1", "toPartnerId": "PT-2", "reason": "Housing"], on: "2024-06-20"),
            Fixtures.event("ReferralOutcomeRecorded", ["caseId": "C-1", "referralId": "R-1", "outcome": "completed"], on: "2024-06-04"))
        let before = try log.recordedAt(last)
        try log.append(E.partner("PT-3"))  // so that `before` is an earlier instant, counted fact by fact
        for (asOf, credited) in [("2024-06-05", false), ("2024-06-15", true), ("2024-06-30", true)] {
            var answers: [[PartnerRow]] = []
            for knownAt in [nil, before] {
                let rows = try log.models.partners(QueryOptions(asOf: LocalDate(asOf)!, knownAt: knownAt, period: try Period("2024-06"))).partners
                answers.append(rows.filter { $0.partnerId != "PT-3" })
                #expect(rows[0].jobIntroductions == (credited ? 1 : 0), "as of \(asOf)")
                #expect(rows[0].placementsVerified == (credited ? 1 : 0))
                #expect(rows[0].daysToPlacement == (credited ? [-7] : []))
                #expect(rows[1].supportEpisodes == ["housing": 1])
                #expect(rows[1].workersSupported == (credited ? ["W-1"] : []))
                #expect(rows[1].referralOutcomes == (asOf == "2024-06-30" ? ["completed": 1] : [:]))
            }
            #expect(answers[0] == answers[1], "as of \(asOf)")
        }
    }
}
