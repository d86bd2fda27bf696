import CareLedger
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// Events dated after tomorrow are recorded as given (SPEC 3 asks only for a real date) and named
/// in a note, with a day's slack for time zones: a year typed wrong lands in a period nobody
/// reads. Before anything lands the note names lines (what a person mends); after, seqs (what a
/// person retracts).
@Suite struct DatedAheadTests {
    static let today = LocalDate("2026-12-07")!

    @Test func rowsDatedAfterTodayAreNamedByLine() throws {
        func note(_ days: [String]) throws -> String? {
            let text = "occurredOn,workerRef\n" + days.map { "\($0),W-1\n" }.joined()
            let rows = try EventCatalogue.standard.events(ofRows: CSVRows(Array(text.utf8)), source: "return.csv", type: .workerArrived)
            return EventCatalogue.Entry.RowEvent.datedAheadNote(rows, today: Self.today)
        }
        #expect(try note(["2026-12-07", "2026-12-08", "2020-01-01"]) == nil, "today, and tomorrow somewhere, are not ahead")
        #expect(try note(["2026-12-01", "2062-12-01"]) == "line 3's occurredOn, 2062-12-01, is after today, 2026-12-07: is its year right? A day that has not come yet is taken as given")
        #expect(try note(["2026-12-09", "2026-12-01", "2062-01-01"]) == "lines 2 and 4 have an occurredOn after today, 2026-12-07 (line 2: 2026-12-09): are their years right? A day that has not come yet is taken as given")
        #expect(try note(Array(repeating: "2062-01-01", count: 10))?.hasPrefix("lines 2, 3, 4, 5, 6, 7, 8, 9 and 2 more have") == true)
    }

    @Test func eventsThatLandedAreNamedBySeqWithWhatToDo() {
        var one = DatedAhead(today: Self.today)
        one.add(LocalDate("2062-06-03")!, at: .landed(Seq(1142)))
        #expect(one.note == "seq 1142's occurredOn, 2062-06-03, is after today, 2026-12-07: is its year right? It was recorded as given: if the date is wrong, retract it and record it again")
        #expect(one.notes.count == 1)
        var two = DatedAhead(today: Self.today)
        two.add(LocalDate("2062-06-03")!, at: .landed(Seq(7)))
        two.add(LocalDate("2026-12-08")!, at: .landed(Seq(8)))
        two.add(LocalDate("2027-01-01")!, at: .landed(Seq(9)))
        #expect(two.count == 2 && two.note == "seqs 7 and 9 have an occurredOn after today, 2026-12-07 (seq 7: 2062-06-03): are their years right? They were recorded as given: retract any whose date is wrong and record it again")
        var indexed = DatedAhead(today: Self.today)
        indexed.add(LocalDate("2062-06-03")!, at: .inBatch(.index(0)))
        #expect(indexed.note?.hasPrefix("event 0's occurredOn, 2062-06-03") == true)
        #expect(DatedAhead(today: Self.today).note == nil && DatedAhead(today: Self.today).notes.isEmpty)
    }

    /// The ledger names them in every answer: an append's by seq, a check's by line or index, an
    /// import's by seq; a duplicate, noted when it first landed, is not named again.
    @Test func theLedgerNamesThemInEveryAnswer() throws {
        let test = try TestLedger()
        let ahead = Fixtures.event("WorkerArrived", ["workerRef": "W-1"], on: "2999-07-01", id: "00000000-0000-4000-8000-0000000000a1")
        let now = Fixtures.event("WorkerArrived", ["workerRef": "W-1"], on: "2020-01-01")
        let body = Array(Fixtures.ndjson([now, ahead]).utf8)

        let check = try test.ledger.checkAppend(body: body)
        #expect(check.datedAhead.listed.map(\.place) == [.inBatch(.line(2))], "\(check.datedAhead)")
        #expect(check.json["notes"]?[0]?.stringValue?.hasPrefix("line 2's occurredOn, 2999-07-01, is after today") == true)

        let appended = try test.append([now, ahead])
        let seq = appended.positions[1].seq
        #expect(appended.datedAhead.count == 1 && appended.datedAhead.listed.map(\.place) == [.landed(seq)])
        #expect(appended.json["notes"]?[0]?.stringValue?.hasPrefix("seq \(seq)'s occurredOn, 2999-07-01, is after today") == true)
        #expect(appended.positions[1].occurredOn == LocalDate("2999-07-01")!)

        let again = try test.append(ahead)
        #expect(again.onlyDuplicates && again.datedAhead.note == nil && again.json["notes"] == nil, "a duplicate was named when it landed")

        let file = TemporaryFolder("dated-ahead")
        let path = file.file("return.ndjson")
        try Data(Fixtures.ndjson([now, Fixtures.event("WorkerArrived", ["workerRef": "W-1"], on: "2999-08-01")]).utf8).write(to: URL(fileURLWithPath: path))
        let imported = try test.ledger.importNDJSON(path: path)
        #expect(imported.datedAhead.listed.map(\.place) == [.landed(imported.head.seq)] && imported.datedAhead.listed.first?.occurredOn == LocalDate("2999-08-01")!)
    }
}
