import CareLedger
import LedgerJSON
import LedgerTestSupport
import Testing

/// The door under broken input: valid events of every type, each changed in a few bytes, are
/// appended to a real ledger one by one. Each lands whole or is refused with a writer's error
/// (never a storage error, never a crash) that leaves the head as it was; at the end the chain,
/// the indexes and the rules' state verify, and every stored event reads back.
@Suite struct DoorMutationTests {
    @Test(arguments: [11, 12])
    func brokenEventsLandWholeOrAreRefusedCleanly(seed: Int) throws {
        let test = try TestLedger()
        var mutations = Mutations(seed: UInt64(seed))
        let examples = Fixtures.examples.sorted { $0.key < $1.key }.map { Array($0.value.compactText.utf8) }
        var landed = 0, refused = 0
        for _ in 0..<1500 {
            let body = mutations.mutate(examples[mutations.below(examples.count)])
            let before = try test.ledger.head()
            switch Result(catching: { () throws(LedgerError) in try test.ledger.append(body: body) }) {
            case .success(let result):
                landed += result.positions.filter { !$0.wasDuplicate }.count
            case .failure(let error):
                refused += 1
                #expect([.rejected, .conflict, .tooLarge].contains(error.code), "\(error) for \(String(decoding: body, as: UTF8.self))")
                #expect(try test.ledger.head() == before, "a refusal leaves the log as it was")
            }
        }
        #expect(landed > 0 && refused > 0, "both outcomes were exercised: \(landed) landed, \(refused) refused")
        let report = try test.ledger.verify()
        #expect(report.ok, "\(report.detail ?? "")")
        var read = 0
        _ = try test.ledger.readEvents(EventFilter(from: Seq(1)), limit: 100_000) { event in
            read += 1
            _ = try JSONValue(parsing: String(decoding: event.servedJSON, as: UTF8.self))
        }
        #expect(read == 8 + landed, "the world, and every event that landed, reads back as JSON")
    }
}
