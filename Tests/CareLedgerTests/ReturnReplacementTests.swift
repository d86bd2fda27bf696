import CareLedger
import LedgerJSON
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

    /// A row that names what it corrects itself keeps its word.
    @Test func aRowsOwnCorrectsIsKept() throws {
        let named = "00000000-0000-4000-8000-000000000005"
        let (plan, events) = try Self.replaced("2024-05-01,W-1,mandatory,Fire safety,\n", by: "2024-05-02,W-1,mandatory,Fire safety,\(named)\n")
        #expect(plan.corrects.isEmpty && events[1]["meta"]?["corrects"] == .string(named))
    }
}
