import CareLedger
import Caseload
import PartnerActivity
import LedgerJSON
import ReadModels
import Testing
import Timelines

/// Transaction time: `--known-at` and retractions (SPEC section 5).
@Suite struct KnowledgeTests {
    @Test func aRetractionHidesItsTargetOnlyFromItsRecordedAtOn() throws {
        let log = try ProgrammeLog()
        let openingID = log.nextID()
        try log.append(E.partner("PT-1"), E.worker("W-1"))
        let openedAt = try log.append(E.opened("C-1", worker: "W-1", type: "support", owner: "PT-1", on: "2024-03-01", id: openingID))
        // Dated before the case: valid time does not matter, the retraction counts once recorded.
        let retractedAt = try log.append(E.retract(openingID, on: "2024-01-01"))
        let asOf = LocalDate("2024-04-01")
        func open(knownAt seq: Seq) throws -> [String] {
            try log.models.caseload(QueryOptions(asOf: asOf, knownAt: try log.recordedAt(seq))).rows.map(\.caseId)
        }
        #expect(try open(knownAt: openedAt) == ["C-1"])
        #expect(try open(knownAt: retractedAt) == [])
        #expect(try log.models.caseload(QueryOptions(asOf: asOf)).rows.isEmpty)
        let partners = try log.models.partners(QueryOptions(knownAt: try log.recordedAt(openedAt), period: try Period("2024-03")))
        #expect(partners.partners[0].casesOpened == 1)
        #expect(try log.models.partners(QueryOptions(period: try Period("2024-03"))).partners[0].casesOpened == 0)

        // The case's timeline keeps the retracted opening, marked as known at each instant.
        let before = try log.models.timeline(.case, id: "C-1", knownAt: try log.recordedAt(openedAt))
        #expect(before.entries.map(\.type) == [.caseOpened])
        #expect(before.entries.map(\.retracted) == [false])
        let after = try log.models.timeline(.case, id: "C-1", knownAt: nil)
        #expect(after.entries.map(\.type) == [.eventRetracted, .caseOpened])
        #expect(after.entries.map(\.retracted) == [false, true])
        #expect(try log.models.timeline(.worker, id: "W-1", knownAt: nil).entries.map(\.type) == [.eventRetracted, .workerRegistered, .caseOpened])
    }

    @Test func aQueryKnownAtAnInstantBetweenTwoAppendsSeesOnlyTheFirst() throws {
        let log = try ProgrammeLog()
        try log.append(E.partner("PT-1"), E.worker("W-1"), E.worker("W-2"))
        let first = try log.append(E.opened("C-1", worker: "W-1", type: "support", owner: "PT-1", on: "2024-03-01"))
        let second = try log.append(E.opened("C-2", worker: "W-2", type: "support", owner: "PT-1", on: "2024-02-01"))
        let firstAt = try log.recordedAt(first), secondAt = try log.recordedAt(second)
        #expect(firstAt < secondAt)
        let between = Instant(microseconds: (firstAt.microseconds + secondAt.microseconds) / 2)
        let asOf = LocalDate("2024-03-31")
        let then = try log.models.caseload(QueryOptions(asOf: asOf, knownAt: between))
        #expect(then.rows.map(\.caseId) == ["C-1"])
        #expect(then.knownAt == between)
        #expect(try log.models.caseload(QueryOptions(asOf: asOf)).rows.map(\.caseId) == ["C-2", "C-1"])
        // Before anything about the worker was known, its timeline is not found.
        #expect(throws: LedgerError.self) { try log.models.timeline(.worker, id: "W-1", knownAt: Instant(microseconds: 0)) }
        #expect(try log.models.timeline(.worker, id: "W-2", knownAt: between).entries.map(\.type) == [.workerRegistered])
    }

    @Test func theSameLogAndInstantsGiveTheSameBytes() throws {
        let log = try ProgrammeLog()
        try log.append(E.partner("PT-1"), E.worker("W-1"), E.opened("C-1", worker: "W-1", owner: "PT-1", on: "2024-03-01"))
        let at = try log.recordedAt(Seq(3))
        let options = QueryOptions(asOf: LocalDate("2024-03-31"), knownAt: at)
        let first = try log.models.caseload(options).json(publish: false).compactText
        try log.append(E.closed("C-1", on: "2024-03-10"))
        #expect(try log.models.caseload(options).json(publish: false).compactText == first)
    }
}
