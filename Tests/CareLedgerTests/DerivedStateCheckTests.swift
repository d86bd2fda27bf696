@testable import CareLedger
import LMDBStore
import LedgerTestSupport
import Testing

/// `verify` also checks what lies beside the chain: the indexes, which `read --stream`,
/// `read --type` and the id rules go by (an entry dropped or changed is caught at its event, one
/// added at the event it names), and the state the lifecycle rules keep.
@Suite("Indexes and rules' state against the events")
struct DerivedStateCheckTests {
    @Test func anIntactLedgerPasses() throws {
        let test = try TestLedger()
        let report = try test.ledger.verify()
        #expect(report.ok && report.checked == 8)
    }

    @Test func anAddedIdEntryIsCaughtAtTheEventItNames() throws {
        let test = try TestLedger()
        let databases = test.ledger.databases
        let type = try #require(try test.ledger.environment.read { txn in try databases.type(at: Seq(3), in: txn) })
        try test.ledger.environment.write { txn in
            // An id no event has, pointing at seq 3 with that event's type.
            let stray: [UInt8] = Array(repeating: 0x7E, count: 16)
            try txn.put(databases.eventIds, key: stray, value: Array(Seq(3).key) + [EventTypeCode.code(of: type)])
        }
        let report = try test.ledger.verify()
        #expect(report.firstBadSeq == Seq(3))
        #expect(report.detail?.contains("the id index holds 9 entries for 8 events") == true)
        #expect(try test.ledger.verify(indexes: false).ok, "the chain itself is intact")
        #expect(try test.ledger.verify(from: Seq(2)).ok, "a check from a later seq has not seen every event's entries")
    }

    @Test func aDroppedStreamIsCaughtAtItsFirstEvent() throws {
        let test = try TestLedger()
        let databases = test.ledger.databases
        let (stream, first, deleted) = try test.ledger.environment.write { txn in
            let (stream, first) = try txn.withCursor(databases.streams) { cursor in
                _ = try cursor.move(.first)
                return (String(decoding: cursor.key, as: UTF8.self), Seq(readBigEndian(cursor.value, at: 8)))
            }
            return (stream, first, try txn.delete(databases.streams, key: Array(stream.utf8)))
        }
        #expect(deleted)
        let report = try test.ledger.verify()
        #expect(report.firstBadSeq == first)
        #expect(report.detail == "the stream index has no entry for version 1 of stream \(stream) at seq \(first)")
    }

    /// The rules' own state (spells, cases, open cases, offers, referrals, retractions) is remade
    /// from the events and compared: cleared, a case's close would let events into a closed case.
    @Test func aClosedCaseReopenedInTheRulesStateIsCaughtAtItsClose() throws {
        let test = try TestLedger()
        let closed = try test.append(Fixtures.examples["CaseClosed"]!).positions[0].seq
        #expect(try test.ledger.verify().ok)
        let databases = test.ledger.databases
        try test.ledger.environment.write { txn in
            // The record as a case still open: no seq of a CaseClosed.
            let record = try #require(try databases.caseRecord("C-1", in: txn))
            let reopened = CaseRecord(closedBy: nil, caseType: record.caseType, workerRef: record.workerRef)
            try txn.put(databases.cases, key: Array("C-1".utf8), value: RuleStateEncoding.case(reopened))
        }
        let report = try test.ledger.verify()
        #expect(report.firstBadSeq == closed)
        #expect(report.detail == "the rules' cases state for \"C-1\" is not what the events up to seq \(closed) make")
        #expect(try test.ledger.verify(indexes: false).ok, "the chain itself is intact")
    }

    @Test func aRetractionDroppedFromTheRulesStateIsCaughtAtTheRetraction() throws {
        let test = try TestLedger()
        let retraction = try test.append(Fixtures.examples["EventRetracted"]!).positions[0].seq
        let databases = test.ledger.databases
        let dropped = try test.ledger.environment.write { txn in try txn.delete(databases.retractions, key: Array(Seq(5).key)) }
        #expect(dropped)
        let report = try test.ledger.verify()
        #expect(report.firstBadSeq == retraction)
        #expect(report.detail?.contains("the rules' retractions state has no entry") == true)
    }

    /// A stored value too short for the seq it should hold is damage, reported as such, where
    /// reading it trapped: a retraction's target looked up in a damaged id index, for one.
    @Test func aShortIndexValueIsReportedNotReadPast() throws {
        let test = try TestLedger()
        let databases = test.ledger.databases
        let target = try #require(EventID("00000000-0000-4000-8000-000000000005"))
        let before = try test.ledger.head()
        try test.ledger.environment.write { txn in
            let short: [UInt8] = [0, 0, 0]
            try target.withKey { key in try short.withUnsafeBytes { value in try txn.put(databases.eventIds, key: key, value: value) } }
        }
        let refusal = try #require(throws: LedgerError.self) { try test.append(Fixtures.examples["EventRetracted"]!) }
        #expect(refusal.code == .damaged && refusal.rule.contains("the id index holds 3 bytes"))
        #expect(try test.ledger.head() == before)
        #expect(try test.ledger.verify().ok == false)
    }
}
