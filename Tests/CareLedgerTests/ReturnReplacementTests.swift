import CareLedger
import LedgerJSON
import LedgerTestSupport
import Testing

/// Which row of a corrected return names, in `meta.corrects`, the event it corrects: only a row
/// that differs from one retracted row in one field, each the other's only such partner.
@Suite("A corrected return's rows naming what they correct")
struct ReturnReplacementTests {
    static let header = "occurredOn,workerRef,kind,title,meta.corrects\n"

    static func rows(_ text: String, named name: String) throws -> [EventCatalogue.Entry.RowEvent] {
        try EventCatalogue.standard.events(ofRows: CSVRows(Array((header + text).utf8), source: name), source: name, type: .trainingCompleted)
    }

    /// Records `earlier`, then plans `corrected` in its place and appends the plan's batch.
    static func replaced(_ earlier: String, by corrected: String) throws -> (plan: ReturnReplacement, events: [JSONValue]) {
        let ledger = try TestLedger()
        let first = try rows(earlier, named: "return.csv")
        try ledger.append(first.map(\.event))
        let plan = try ReturnReplacement(replacing: first, named: "return.csv", by: try rows(corrected, named: "return-v2.csv"), in: ledger.ledger)
        let result = try ledger.ledger.append(body: try plan.body(reason: "corrected", actor: "test", source: "test", occurredOn: LocalDate(year: 2026, month: 12, day: 7)!))
        let events = try result.positions.map { position in try ledger.ledger.storedEvent(.seq(position.seq)).json() }
        return (plan, events)
    }

    @Test func aRowDifferingInOneFieldNamesTheEventItCorrects() throws {
        let (plan, events) = try Self.replaced("2024-05-01,W-1,mandatory,Fire safety,\n2024-05-02,W-1,english,ESOL,\n",
                                               by: "2024-05-01,W-1,mandatory,Fire safety at work,\n2024-05-02,W-1,english,ESOL,\n")
        #expect(plan.corrects.mapValues(\.line) == [0: 2])
        #expect(events.count == 2 && events[1]["meta"]?["corrects"] == events[0]["data"]?["targetEventId"], "\(events)")
    }

    @Test func twoFieldsChangedNameNothing() throws {
        let (plan, events) = try Self.replaced("2024-05-01,W-1,mandatory,Fire safety,\n", by: "2024-05-03,W-1,mandatory,Infection control,\n")
        #expect(plan.corrects.isEmpty && events[1]["meta"]?["corrects"] == nil)
    }

    /// Two wrong rows that the one corrected row could each correct: which is not known.
    @Test func aRowThatCouldCorrectEitherOfTwoNamesNeither() throws {
        let (plan, events) = try Self.replaced("2024-05-01,W-1,mandatory,Fire safety,\n2024-05-03,W-1,mandatory,Fire safety,\n",
                                               by: "2024-05-02,W-1,mandatory,Fire safety,\n")
        #expect(plan.retracted.count == 2 && plan.corrects.isEmpty && events[2]["meta"]?["corrects"] == nil)
    }

    /// A return corrected throughout (every date a day out): each row pairs with its own, among
    /// thousands; compared by the fields they share, not each with each.
    @Test func aReturnCorrectedThroughoutPairsEveryRow() throws {
        let count = 1_500
        let titles = (1...count).map { "Course \($0)" }
        let (plan, events) = try Self.replaced(titles.map { "2024-05-01,W-1,mandatory,\($0),\n" }.joined(), by: titles.map { "2024-05-02,W-1,mandatory,\($0),\n" }.joined())
        #expect(plan.corrects.count == count && plan.corrects.allSatisfy { $0.value.line == $0.key + 2 })
        #expect(events[count]["meta"]?["corrects"] == events[0]["data"]?["targetEventId"] && events[count]["data"]?["title"] == "Course 1")
    }

    /// A row that names what it corrects itself keeps its word.
    @Test func aRowsOwnCorrectsIsKept() throws {
        let named = "00000000-0000-4000-8000-000000000005"
        let (plan, events) = try Self.replaced("2024-05-01,W-1,mandatory,Fire safety,\n", by: "2024-05-02,W-1,mandatory,Fire safety,\(named)\n")
        #expect(plan.corrects.isEmpty && events[1]["meta"]?["corrects"] == .string(named))
    }

    /// A row the two returns share whose event was retracted apart (by `retract`) is left as
    /// it is, retracted, and the answer says so, where it was counted "as it was" unremarked.
    @Test func aSharedRowRetractedApartIsSaid() throws {
        let ledger = try TestLedger()
        let first = try Self.rows("2024-05-01,W-1,mandatory,Fire safety,\n2024-05-02,W-1,english,ESOL,\n", named: "return.csv")
        let landed = try ledger.append(first.map(\.event))  // seq 9, 10
        try ledger.append(Fixtures.setting(Fixtures.examples["EventRetracted"]!, data: "targetEventId", to: .string(landed.positions[0].id.description)))  // seq 11
        let plan = try ReturnReplacement(replacing: first, named: "return.csv",
                                         by: try Self.rows("2024-05-01,W-1,mandatory,Fire safety,\n2024-05-03,W-1,english,ESOL,\n", named: "return-v2.csv"), in: ledger.ledger)
        #expect(plan.unchangedButRetracted.map(\.line) == [2])
        #expect(plan.described(newName: "return-v2.csv") == "1 event of return.csv to retract, 1 row of return-v2.csv to record (line 3 correcting line 3 of return.csv), "
                + "1 row as it was (line 2 of return-v2.csv is seq 9, retracted at seq 11, and stays so: to record it anew, give it an id column holding a new UUID)")
    }
}
