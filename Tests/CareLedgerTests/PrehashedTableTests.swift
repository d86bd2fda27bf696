@testable import CareLedger
import Testing

@Suite("Prehashed table and stream names")
struct PrehashedTableTests {
    /// A key whose hash the test chooses, to force collisions.
    struct Chosen: PrehashedKey {
        let value: Int
        let prehash: UInt64
    }

    @Test func findsEveryEntryThroughManyGrowths() {
        let table = PrehashedTable<EventID, Int>()
        let ids = (0..<50_000).map { n in EventID(high: UInt64(n) &* 0x9E37_79B9, low: UInt64(n)) }
        for (n, id) in ids.enumerated() {
            #expect(table.position(of: id) == nil)
            #expect(table.insert(id, n) == n)
        }
        #expect(table.count == ids.count)
        #expect(ids.enumerated().allSatisfy { n, id in table[id] == n })
        #expect(table[EventID(high: 1, low: 1)] == nil)
        #expect(table.keys == ids)
    }

    @Test func keysWhoseHashesCollideAreStillTellApart() {
        let table = PrehashedTable<Chosen, Int>()
        // Every key in the same slot and with the same tag: only equality tells them apart.
        let keys = (0..<300).map { Chosen(value: $0, prehash: 42) }
        for key in keys { table.insert(key, key.value * 2) }
        #expect(keys.allSatisfy { table[$0] == $0.value * 2 })
        #expect(table[Chosen(value: 300, prehash: 42)] == nil)
        // Same slot, other tags.
        let neighbours = (0..<50).map { Chosen(value: 1_000 + $0, prehash: UInt64($0 + 1) << 32 | 42) }
        for key in neighbours { table.insert(key, key.value) }
        #expect(neighbours.allSatisfy { table[$0] == $0.value })
        #expect(keys.allSatisfy { table[$0] == $0.value * 2 })
    }

    @Test func valuesChangeInPlaceAndRemoveAllForgetsEverything() {
        let table = PrehashedTable<StreamName, UInt64>()
        let name = StreamName("worker-W-1")
        let position = table.insert(name, 1)
        table[position: position] = 7
        #expect(table[name] == 7)
        table.removeAll()
        #expect(table.isEmpty)
        #expect(table[name] == nil)
        table.insert(name, 3)
        #expect(table[name] == 3)
    }

    /// Names past 15 bytes live on the heap: the table must move them when it grows and release
    /// them when it forgets them, and still find every one.
    @Test func heapAllocatedNamesSurviveGrowthAndRemoval() {
        let table = PrehashedTable<StreamName, Int>()
        let names = (0..<2_000).map { StreamName(kind: "case", id: "C-" + String(repeating: "0", count: 40) + String($0)) }
        for round in 0..<3 {
            for (n, name) in names.enumerated() { table.insert(name, n + round) }
            #expect(table.count == names.count)
            #expect(names.enumerated().allSatisfy { n, name in table[name] == n + round })
            #expect(table.keys.map(\.text) == names.map(\.text))
            table.removeAll()
            #expect(table[names[0]] == nil)
        }
    }

    @Test func aStreamNameIsTheSameHoweverItIsMade() {
        let typed = StreamName("worker-W-00123")
        let fromKind = StreamName(kind: "worker", id: "W-00123")
        let fromPrefix = StreamName(prefix: "worker-", id: "W-00123")
        #expect(typed.text == "worker-W-00123" && fromKind.text == typed.text && fromPrefix.text == typed.text)
        #expect(typed == fromKind && typed == fromPrefix)
        #expect(typed.prehash == fromKind.prehash && typed.prehash == fromPrefix.prehash)
        // Ids of every length up to 64 (past the inline strings' 15 bytes).
        let long = String(repeating: "x", count: 64)
        #expect(StreamName(kind: "case", id: long).text == "case-" + long)
        #expect(StreamName(kind: "case", id: long) == StreamName("case-" + long))
        #expect(StreamName("worker-W-1") != StreamName("worker-W-2"))
        #expect(StreamName("worker-W-1") != StreamName("provider-W-1"))
    }
}
