@testable import CareLedger
import LMDBStore
import LedgerJSON
import LedgerTestSupport
import Testing

@Suite("Reader slots")
struct ReaderSlotsTests {
    /// A batch reads the log it began from through a snapshot of its own, which takes one of
    /// LMDB's reader slots (510, shared by every process with the ledger open). With every slot
    /// held by open snapshots it reads through its write transaction instead, and still lands.
    @Test func aBatchLandsWhileEveryReaderSlotIsHeld() throws {
        let test = try TestLedger()
        let before = try test.ledger.head()
        var held = 0
        var landed: AppendResult?
        func holdSlots() throws {
            do {
                try test.ledger.environment.read { _ in
                    held += 1
                    try holdSlots()
                }
            } catch let error as LMDBError where error.code == .readersFull {
                // Every slot is taken: append inside all the open snapshots.
                landed = try test.append(Fixtures.examples["WorkerArrived"]!)
            }
        }
        try holdSlots()
        #expect(held >= 500, "the test holds (nearly) every slot itself")
        #expect(landed?.positions.first?.seq == before.seq.next)
        #expect(try test.ledger.head().seq == before.seq.next)
        #expect(try test.ledger.verify().ok)
    }
}
