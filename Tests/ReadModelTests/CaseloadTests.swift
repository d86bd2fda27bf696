import CareLedger
import Caseload
import ProjectionKit
import LedgerJSON
import ReadModels
import Testing

@Suite struct CaseloadTests {
    /// A world of one partner, two providers and a worker employed at P-1 from 2024-02-01.
    static func world() throws -> ProgrammeLog {
        let log = try ProgrammeLog()
        try log.append(E.partner("PT-1"), E.provider("P-1"), E.provider("P-2"), E.worker("W-1"),
                       E.started("W-1", "S-1", at: "P-1", on: "2024-02-01"))
        return log
    }

    func caseload(_ log: ProgrammeLog, asOf: String) throws -> Caseload {
        try log.models.caseload(QueryOptions(asOf: LocalDate(asOf)!))
    }

    @Test func aCaseClosedOnDIsNotOpenOnD() throws {
        let log = try Self.world()
        try log.append(E.opened("C-1", worker: "W-1", type: "support", owner: "PT-1", on: "2024-03-01"),
                       E.closed("C-1", outcome: "supportComplete", on: "2024-03-10"))
        #expect(try caseload(log, asOf: "2024-03-09").rows.map(\.caseId) == ["C-1"])
        #expect(try caseload(log, asOf: "2024-03-10").rows.isEmpty)
        #expect(try caseload(log, asOf: "2024-02-29").rows.isEmpty)
        let row = try #require(try caseload(log, asOf: "2024-03-09").rows.first)
        #expect(row.daysOpen == 8)
        #expect(row.laCode == "E08000025")
        #expect(row.windowEndsOn == nil && row.daysLeft == nil)
    }

    /// Rows of one day are ordered by their ids' bytes, ids sharing their first 8 bytes and ids
    /// that are prefixes of others included; the rows of a later day come after.
    @Test func rowsOfOneDayAreOrderedByTheirIdsBytes() throws {
        let log = try Self.world()
        let ids = ["CASE-0001-B", "CASE-0001-A", "C-2", "CASE-000", "CASE-0001", "c-1", "C-10"]
        try log.append((ids.indices.map { E.worker("W-\($0 + 10)") } + [E.worker("W-20")]))
        try log.append(ids.enumerated().map { i, id in
            E.opened(id, worker: "W-\(i + 10)", type: "support", owner: "PT-1", on: "2024-03-01")
        } + [E.opened("A-1", worker: "W-20", type: "support", owner: "PT-1", on: "2024-03-02")])
        let expected = ["C-10", "C-2", "CASE-000", "CASE-0001", "CASE-0001-A", "CASE-0001-B", "c-1", "A-1"]
        #expect(try caseload(log, asOf: "2024-03-05").rows.map(\.caseId) == expected)
    }

    /// Known at the head, the caseload reads a closed case under each month it spans and a case
    /// not closed under its opening day; known at an earlier instant, every case. Both must agree
    /// on every day, across month ends.
    @Test func casesSpanningMonthsAreOpenOnEachDayBetweenOpeningAndClosing() throws {
        let log = try Self.world()
        let last = try log.append(
            E.worker("W-2"), E.worker("W-3"),
            E.opened("C-1", worker: "W-1", type: "support", owner: "PT-1", on: "2024-01-15"), E.closed("C-1", outcome: "supportComplete", on: "2024-04-01"),
            E.opened("C-2", worker: "W-2", type: "support", owner: "PT-1", on: "2024-02-10"), E.closed("C-2", outcome: "withdrew", on: "2024-02-10"),
            E.opened("C-3", worker: "W-3", type: "support", owner: "PT-1", on: "2023-12-01"),
            // Closed far in the future (a mistyped year): indexed once, not under thousands of months.
            E.worker("W-4"), E.opened("C-4", worker: "W-4", type: "support", owner: "PT-1", on: "2024-02-01"),
            E.closed("C-4", outcome: "withdrew", on: "9999-12-31"))
        let before = try log.recordedAt(last)
        try log.append(E.partner("PT-2"))  // so that `before` is an earlier instant, read case by case
        let expected: [(String, [String])] = [
            ("2023-11-30", []), ("2023-12-01", ["C-3"]), ("2024-01-14", ["C-3"]), ("2024-01-15", ["C-3", "C-1"]),
            ("2024-02-10", ["C-3", "C-1", "C-4"]), ("2024-02-29", ["C-3", "C-1", "C-4"]), ("2024-03-31", ["C-3", "C-1", "C-4"]),
            ("2024-04-01", ["C-3", "C-4"]), ("9999-12-30", ["C-3", "C-4"]), ("9999-12-31", ["C-3"]),
        ]
        for (asOf, cases) in expected {
            for knownAt in [nil, before] {
                let rows = try log.models.caseload(QueryOptions(asOf: LocalDate(asOf)!, knownAt: knownAt)).rows
                #expect(rows.map(\.caseId) == cases, "as of \(asOf), known at \(knownAt.map(\.description) ?? "now")")
            }
        }
        try log.models.catchUp()
        let records = try log.models.store.allRecords()["caseload"] ?? [:]
        #expect(records.count > 10 && records.count < 40, "a far closing date adds one index entry, not one a month: \(records.count) records")
    }

    @Test func theWindowClosesWhenALaterEmploymentStarts() throws {
        let log = try Self.world()
        try log.append(E.displaced("W-1", from: "P-1", windowEndsOn: "2024-05-30", on: "2024-04-01"),
                       E.ended("W-1", "S-1", on: "2024-04-01"),
                       E.opened("C-1", worker: "W-1", owner: "PT-1", on: "2024-04-02"),
                       E.started("W-1", "S-2", at: "P-2", via: true, on: "2024-05-10"))
        let before = try #require(try caseload(log, asOf: "2024-05-09").rows.first)
        #expect(before.windowEndsOn == LocalDate("2024-05-30"))
        #expect(before.daysLeft == 21)
        #expect(before.flags.isEmpty)
        let after = try #require(try caseload(log, asOf: "2024-05-10").rows.first)
        #expect(after.windowEndsOn == nil && after.daysLeft == nil)
    }

    @Test func windowUnder14DaysIncludesTheFourteenthDayAndAPassedWindow() throws {
        let log = try Self.world()
        try log.append(E.displaced("W-1", from: "P-1", windowEndsOn: "2024-05-30", on: "2024-04-01"),
                       E.opened("C-1", worker: "W-1", owner: "PT-1", on: "2024-04-02"))
        #expect(try caseload(log, asOf: "2024-05-15").rows[0].flags == [])
        #expect(try caseload(log, asOf: "2024-05-16").rows[0].flags == ["windowUnder14Days"])
        let passed = try caseload(log, asOf: "2024-06-02").rows[0]
        #expect(passed.daysLeft == -3)
        #expect(passed.flags == ["windowUnder14Days"])
    }

    @Test func safeguardingCountsConcernsFromTheOpeningDayOn() throws {
        let log = try Self.world()
        try log.append(E.worker("W-2"), E.opened("C-1", worker: "W-1", type: "support", owner: "PT-1", on: "2024-04-02"),
                       E.opened("C-2", worker: "W-2", type: "support", owner: "PT-1", on: "2024-04-02"),
                       E.concern("SG-1", worker: "W-1", on: "2024-04-01"),
                       E.concern("SG-2", case: "C-2", on: "2024-04-02"))
        let rows = try caseload(log, asOf: "2024-04-30").rows
        #expect(rows.map(\.flags) == [[], ["safeguardingRaised"]])
        try log.append(E.concern("SG-3", worker: "W-1", on: "2024-04-20"))
        #expect(try caseload(log, asOf: "2024-04-19").rows[0].flags == [])
        #expect(try caseload(log, asOf: "2024-04-20").rows[0].flags == ["safeguardingRaised"])
    }

    @Test func employerRevokedFollowsTheCurrentSpellEvenAfterReinstatement() throws {
        let log = try Self.world()
        try log.append(E.opened("C-1", worker: "W-1", type: "support", owner: "PT-1", on: "2024-03-01"),
                       E.revoked("P-1", on: "2024-03-05"), E.reinstated("P-1", on: "2024-03-20"))
        #expect(try caseload(log, asOf: "2024-03-04").rows[0].flags == [])
        #expect(try caseload(log, asOf: "2024-03-05").rows[0].flags == ["employerRevoked"])
        #expect(try caseload(log, asOf: "2024-03-25").rows[0].flags == ["employerRevoked"])
        try log.append(E.ended("W-1", "S-1", on: "2024-04-01"))
        #expect(try caseload(log, asOf: "2024-04-01").rows[0].flags == [])
    }

    @Test func flagsComeInSpecOrder() throws {
        let log = try Self.world()
        try log.append(E.revoked("P-1", on: "2024-04-01"), E.displaced("W-1", from: "P-1", windowEndsOn: "2024-04-10", on: "2024-04-01"),
                       E.opened("C-1", worker: "W-1", owner: "PT-1", on: "2024-04-02"), E.concern("SG-1", case: "C-1", on: "2024-04-03"))
        #expect(try caseload(log, asOf: "2024-04-05").rows[0].flags == ["windowUnder14Days", "safeguardingRaised", "employerRevoked"])
    }

    @Test func rowsSortByOpeningThenCaseAndTotalsCount() throws {
        let log = try Self.world()
        try log.append(E.partner("PT-2"), E.worker("W-2"), E.worker("W-3"),
                       E.opened("C-9", worker: "W-1", type: "support", owner: "PT-1", on: "2024-03-01"),
                       E.opened("C-10", worker: "W-2", owner: "PT-2", on: "2024-03-01"),
                       E.opened("C-2", worker: "W-3", type: "support", owner: "PT-1", on: "2024-03-02"))
        let answer = try caseload(log, asOf: "2024-03-31")
        #expect(answer.rows.map(\.caseId) == ["C-10", "C-9", "C-2"])
        #expect(answer.byType == ["support": 2, "replacement": 1])
        let json = answer.json(publish: false)
        #expect(json["openCases"] == 3)
        #expect(json["byOwnerPartner"] == ["PT-1": 2, "PT-2": 1])
        let published = answer.json(publish: true)
        #expect(published["openCases"] == "<5")
        #expect(published["cases"] == nil)
    }
}
