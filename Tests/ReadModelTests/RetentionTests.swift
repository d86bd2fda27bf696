import CareLedger
import LedgerJSON
import LedgerTestSupport
import ReadModels
import Retention
import Testing

@Suite struct RetentionTests {
    /// The dashboard's retention year: the latest whose every cohort has its 12-month figure.
    @Test(arguments: [("2024-03-31", "2022-23"), ("2024-03-30", "2021-22"), ("2025-06-30", "2023-24"), ("2025-04-01", "2023-24"), ("2026-12-06", "2024-25")])
    func wholeRetentionYear(asOf: String, year: String) throws {
        #expect(ReadModels.wholeRetentionYear(asOf: try #require(LocalDate(asOf))).description == year)
    }

    func retention(_ log: ProgrammeLog, period: String, asOf: String? = nil, by: RetentionGrouping? = nil, horizons: [Int] = [3, 6, 12]) throws -> Retention {
        var options = QueryOptions(asOf: asOf.flatMap(LocalDate.init), period: try Period(period))
        options.by = by
        options.horizons = horizons
        return try log.models.retention(options)
    }

    @Test func aSpellEndingOnItsCheckpointIsRetained() throws {
        let log = try ProgrammeLog()
        try log.append(E.provider("P-1"), E.provider("P-2"), E.worker("W-1"), E.worker("W-2"),
                       E.started("W-1", "S-1", at: "P-1", on: "2024-04-10"), E.ended("W-1", "S-1", reason: "choseToLeave", on: "2024-07-10"),
                       E.started("W-2", "S-2", at: "P-1", on: "2024-04-10"), E.ended("W-2", "S-2", reason: "choseToLeave", on: "2024-07-09"))
        let row = try #require(try retention(log, period: "2024-04", asOf: "2025-06-01").rows.first)
        let three = try #require(row.horizons[3])
        #expect(three.eligible == 2)
        #expect(three.employerRetained == 1)
        #expect(three.sectorRetained == 1)
        #expect(three.notRetainedReasons == ["choseToLeave": 1])
    }

    /// A cohort is written `YYYY-MM` whatever its year, so that cohorts sort as their months
    /// do: a start in year 900 once read "900-05", after "2024-04".
    @Test func cohortsAreWrittenWithFourDigitYears() throws {
        let log = try ProgrammeLog()
        try log.append(E.provider("P-1"), E.worker("W-1"), E.worker("W-2"),
                       E.started("W-1", "S-1", at: "P-1", on: "0900-05-10"), E.started("W-2", "S-2", at: "P-1", on: "2024-04-10"))
        #expect(try retention(log, period: "0000-01-01..2024-12-31", asOf: "2025-06-01").rows.map(\.cohort) == ["0900-05", "2024-04"])
    }

    @Test func aHorizonNamedTwiceIsAUsageErrorNotACrash() throws {
        let log = try ProgrammeLog()
        try log.append(E.provider("P-1"), E.worker("W-1"), E.started("W-1", "S-1", at: "P-1", on: "2024-04-10"))
        let error = try #require(throws: LedgerError.self) { try retention(log, period: "2024-04", horizons: [3, 6, 3]) }
        #expect(error.code == .usage)
    }

    @Test func thirtyFirstOfJanuaryPlusOneMonthIsTheLastDayOfFebruary() throws {
        let log = try ProgrammeLog()
        try log.append(E.provider("P-1"), E.worker("W-1"), E.started("W-1", "S-1", at: "P-1", on: "2024-01-31"))
        let early = try retention(log, period: "2024-01", asOf: "2024-02-28", horizons: [1])
        #expect(early.rows[0].horizons[1]?.notYetObservable == 1)
        #expect(early.rows[0].horizons[1]?.eligible == 0)
        let onTime = try retention(log, period: "2024-01", asOf: "2024-02-29", horizons: [1])
        #expect(onTime.rows[0].horizons[1]?.eligible == 1)
        #expect(onTime.json(publish: false)["cohorts"]?[0]?["horizons"]?["1"]?["employerRate"] == .number(1))
    }

    @Test func aReplacedWorkerIsRetainedInTheSector() throws {
        let log = try ProgrammeLog()
        try log.append(E.provider("P-1"), E.provider("P-2"), E.worker("W-1", route: "displaced"),
                       E.started("W-1", "S-1", at: "P-1", on: "2024-04-01"), E.ended("W-1", "S-1", on: "2024-05-15"),
                       E.started("W-1", "S-2", at: "P-2", via: true, on: "2024-06-20"))
        let row = try retention(log, period: "2024-04", asOf: "2025-12-31").rows[0]
        #expect(row.horizons[3] == figures(eligible: 1, employer: 0, sector: 1, reasons: ["sponsorRevoked": 1]))
        // On 2024-07-01 (3 months) S-2 is open; at 1 month neither spell ended yet.
        let split = try retention(log, period: "2024-04-01..2024-06-30", asOf: "2025-12-31", by: .viaReplacement)
        #expect(split.rows.map(\.group) == [.flag(false), .flag(true)])
        #expect(split.json(publish: false)["cohorts"]?[1]?["group"] == ["viaReplacement": true])
    }

    @Test func cohortsSplitByTheWorkersRegistrationAndSortByGroup() throws {
        let log = try ProgrammeLog()
        try log.append(E.provider("P-1"), E.worker("W-1", la: "E08000026"), E.worker("W-2", la: "E08000025"),
                       E.started("W-1", "S-1", at: "P-1", on: "2024-04-01"), E.started("W-2", "S-2", at: "P-1", on: "2024-04-02"))
        let answer = try retention(log, period: "2024-25", by: .laCode)
        #expect(answer.rows.map(\.group) == [.text("E08000025"), .text("E08000026")])
        #expect(answer.rows.allSatisfy { $0.starters == 1 })
    }

    @Test func publishedRatesOverFewerThanTenAreSuppressed() throws {
        let log = try ProgrammeLog()
        try log.append(E.provider("P-1"))
        var events: [JSONValue] = []
        for i in 1...9 {
            events += [E.worker("W-\(i)"), E.started("W-\(i)", "S-\(i)", at: "P-1", on: "2024-04-0\(i)")]
        }
        try log.append(events)
        let nine = try retention(log, period: "2024-04", asOf: "2025-06-30").json(publish: true)
        let cell = try #require(nine["cohorts"]?[0]?["horizons"]?["3"])
        #expect(cell["suppressed"] == true)
        #expect(cell["employerRate"] == .null)
        #expect(cell["eligible"] == 10)  // 9 rounds to the nearest 5
        #expect(nine["cohorts"]?[0]?["starters"] == 10)
        try log.append(E.worker("W-10"), E.started("W-10", "S-10", at: "P-1", on: "2024-04-10"))
        let ten = try retention(log, period: "2024-04", asOf: "2025-06-30").json(publish: true)
        #expect(ten["cohorts"]?[0]?["horizons"]?["3"]?["suppressed"] == nil)
        #expect(ten["cohorts"]?[0]?["horizons"]?["3"]?["employerRate"] == .number(1))
    }

    /// Known at the head, the standard horizons are read from sums per start day; any other
    /// horizon makes the query count spell by spell. Asking for 3, 6 and 12 with and without a
    /// fourth must give the same figures for them, at every as-of date and grouping.
    @Test(arguments: [UInt64(21), 22])
    func sumsPerStartDayAgreeWithCountingSpellBySpell(seed: UInt64) throws {
        let log = try ProgrammeLog()
        _ = try log.ledger.append(body: Array((DemoProgramme(workers: 250, seed: seed).lines().joined(separator: "\n") + "\n").utf8))
        for asOf in ["2023-06-30", "2024-07-15", "2024-12-31", "2025-04-30", "2026-01-31", "2027-12-31"] {
            for by in [nil] + RetentionGrouping.allCases {
                let summed = try retention(log, period: "2023-01-01..2026-12-31", asOf: asOf, by: by)
                let counted = try retention(log, period: "2023-01-01..2026-12-31", asOf: asOf, by: by, horizons: [3, 6, 12, 1])
                #expect(summed.rows.count == counted.rows.count, "as of \(asOf) by \(by?.rawValue ?? "none")")
                for (a, b) in zip(summed.rows, counted.rows) {
                    #expect(a.cohort == b.cohort && a.group == b.group && a.starters == b.starters)
                    for horizon in [3, 6, 12] {
                        #expect(a.horizons[horizon] == b.horizons[horizon], "\(a.cohort) \(String(describing: a.group)) at \(horizon) as of \(asOf)")
                    }
                }
            }
        }
    }

    @Test func aWorkerRegisteredAfterTheSpellStartedHasNoGroupUntilThen() throws {
        let log = try ProgrammeLog()
        try log.append(E.provider("P-1"), E.worker("W-1", la: "E08000026", on: "2024-05-20"),
                       E.started("W-1", "S-1", at: "P-1", on: "2024-04-10"))
        for horizons in [[3, 6, 12], [3, 6, 12, 1]] {
            let before = try retention(log, period: "2024-04", asOf: "2024-05-19", by: .laCode, horizons: horizons)
            #expect(before.rows.map(\.group) == [.unknown])
            let after = try retention(log, period: "2024-04", asOf: "2024-05-20", by: .route, horizons: horizons)
            #expect(after.rows.map(\.group) == [.text("overseasRecruitment")])
        }
    }

    func figures(eligible: Int, employer: Int, sector: Int, reasons: [String: Int] = [:]) -> HorizonFigures {
        var figures = HorizonFigures()
        figures.eligible = eligible
        figures.employerRetained = employer
        figures.sectorRetained = sector
        figures.notRetainedReasons = reasons
        return figures
    }
}
