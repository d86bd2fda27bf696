@testable import CareLedger
import LMDBStore
import LedgerTestSupport
import Testing

/// `verify` also checks the indexes beside the chain, which `read --stream`, `read --type` and
/// the id rules go by: an entry dropped or changed is caught at its event, one added at the
/// event it names.
@Suite("Index check")
struct IndexCheckTests {
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
}
