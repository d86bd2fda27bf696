import CareLedger
import LedgerJSON
import LedgerTestSupport
import Testing

/// Several batches in one write transaction: each atomic on its own.
@Suite struct GroupCommitTests {
    @Test func aRefusedBatchLeavesTheOthersOfItsGroupToLand() throws {
        let test = try TestLedger()
        let before = try test.ledger.head()
        let good = Fixtures.ndjson([Fixtures.event("WorkerArrived", ["workerRef": "W-1"])])
        // Its second event is bad, so its first must not land either.
        let bad = Fixtures.ndjson([Fixtures.event("WorkerArrived", ["workerRef": "W-1"]), Fixtures.event("WorkerArrived", ["workerRef": "W-404"])])
        // Refers to a worker registered by the first batch of the group.
        let dependent = Fixtures.ndjson([
            Fixtures.event("WorkerRegistered", ["workerRef": "W-7", "route": "selfReferral", "nationality": "IN", "laCode": "E08000025"]),
        ])
        let after = Fixtures.ndjson([Fixtures.event("WorkerArrived", ["workerRef": "W-7"])])
        let results = try test.ledger.appendGroup([good, bad, dependent, after].map { Array($0.utf8) })
        #expect(results.count == 4)
        let seqs = results.map { result -> [UInt64] in (try? result.get().positions.map(\.seq.rawValue)) ?? [] }
        #expect(seqs == [[before.seq.rawValue + 1], [], [before.seq.rawValue + 2], [before.seq.rawValue + 3]])
        guard case .failure(let error) = results[1] else { Issue.record("the bad batch landed"); return }
        #expect(error.location == .line(2) && error.pointer == "/data/workerRef")
        #expect(try test.ledger.head().seq.rawValue == before.seq.rawValue + 3)
        #expect(try test.ledger.verify().ok)
    }
}
