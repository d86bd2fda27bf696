@testable import CareLedger
import LedgerJSON
import LedgerTestSupport
import Testing

/// The ids the ledger derives for a spreadsheet's rows, and the test that an id is one of them.
@Suite struct DerivedRowIDTests {
    let fact = Fixtures.event("WorkerArrived", ["workerRef": "W-1"], on: "2024-06-03")

    func derivedID(after earlier: Int) -> EventID {
        guard case .object(let members) = fact else { fatalError("an event is an object") }
        return DerivedRowID.id(fact: DerivedRowID.factDigest(of: members), earlier: earlier)
    }

    /// The third of three identical rows is recognised by trying the ids of the two before it,
    /// which its file recorded with it.
    @Test func theThirdOfThreeIdenticalRowsIsRecognisedThroughTheTwoBefore() {
        let recorded: Set = [derivedID(after: 0), derivedID(after: 1)]
        var asked: [EventID] = []
        #expect(DerivedRowID.derives(derivedID(after: 2), from: fact) { asked.append($0); return recorded.contains($0) })
        #expect(asked == [derivedID(after: 0), derivedID(after: 1)])
        #expect(!DerivedRowID.derives(derivedID(after: 2), from: fact) { $0 == derivedID(after: 0) },
                "without the second row recorded, no file made the third")
    }

    /// An id of version 8 the ledger did not derive (a writer's own) costs one try, not one for
    /// every count of identical rows: each such event in a batch once tried 65,536 hashes.
    @Test func anIDNotDerivedIsRefusedAtTheFirstRowNotRecorded() {
        var asked = 0
        let own = EventID("6902db7e-bb51-8a52-90d5-cf7e1eaf1e18")!
        #expect(!DerivedRowID.derives(own, from: fact) { _ in asked += 1; return false })
        #expect(asked == 1)
        #expect(!DerivedRowID.derives(derivedID(after: 0), from: Fixtures.event("WorkerArrived", ["workerRef": "W-2"], on: "2024-06-03")) { _ in false },
                "another fact derives other ids")
    }
}
