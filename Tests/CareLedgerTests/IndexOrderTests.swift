@testable import CareLedger
import Testing

@Suite("Index order of held ids")
struct IndexOrderTests {
    private func expectSortedLikeTheIndex(_ ids: [EventID]) {
        let values = Array(ids.indices)
        let sorted = EventID.sortedInIndexOrder(ids, values)
        let expected = ids.indices.sorted { ids[$0].precedes(ids[$1]) }
        #expect(sorted.map(\.0) == expected.map { ids[$0] })
        #expect(sorted.map(\.1) == expected, "each id keeps its own value")
    }

    @Test func randomIdsComeOutInTheIndexOrder() {
        var generator = SystemRandomNumberGenerator()
        expectSortedLikeTheIndex((0..<20_000).map { _ in EventID(high: generator.next(), low: generator.next()) })
    }

    @Test func idsSharingTheirTopBitsAreSortedWithinTheirBucket() {
        // The ledger's own ids share a time prefix; these differ only below the top 16 bits, in
        // both words, and arrive in reverse order.
        let ids = (0..<5_000).reversed().map { n in EventID(high: 0x0190_0000_0000_0000 | UInt64(n % 7), low: UInt64(n)) }
        expectSortedLikeTheIndex(ids)
        expectSortedLikeTheIndex(ids.map { EventID(high: $0.high | (0xFFFF << 48), low: $0.low) } + ids)
    }

    @Test func noIdsAndOneId() {
        expectSortedLikeTheIndex([])
        expectSortedLikeTheIndex([EventID(high: 5, low: 6)])
    }
}
