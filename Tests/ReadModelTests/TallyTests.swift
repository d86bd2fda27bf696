import CareLedger
import ProjectionKit
import Testing

@Suite struct TallyTests {
    @Test func aOneCountTallyIsTheCountsWithThatOne() {
        let key = RecordKey.onDay("day", LocalDate(year: 2025, month: 1, day: 31)!)
        #expect(Tally(key, one: 3, of: 5).counts == [0, 0, 0, 1, 0])
        #expect(Tally(key, one: 0, of: 1).counts == [1])
        #expect(Tally(key, one: 3, of: 5) == Tally(key, [0, 0, 0, 1, 0]))
        #expect(Tally(key, one: 3, of: 5) != Tally(key, one: 2, of: 5))
    }
}
