import CareLedger
import LedgerJSON
import LedgerTestSupport
import Testing

/// `retract --mend`'s right fact: the stored event with the fields named changed, each as
/// `record` types it, and nothing of the stored form (id, seq, stream, hash, meta) carried over.
@Suite struct MendTests {
    static func entry(_ type: EventType) -> EventCatalogue.Entry { EventCatalogue.standard.entry(type, version: 1)! }
    static func fields(_ texts: String...) -> [EventCatalogue.Entry.TypedField] { texts.map { EventCatalogue.Entry.TypedField($0)! } }

    @Test func changesTheFieldsNamedAndKeepsTheRest() throws {
        let stored = try JSONValue(parsing: #"{"data":{"channel":"direct","hourlyPayPence":1180,"jobRole":"careWorker","offerId":"O-1","providerId":"P-1","repaymentClause":{"amountPence":200000,"interestFree":true,"itemised":false,"months":24},"soc":"6135","weeklyHours":37.5,"workerRef":"W-1"},"hash":"00","id":"00000000-0000-4000-8000-000000000001","meta":{"source":"import"},"occurredOn":"2024-08-23","recordedAt":"2026-12-07T01:29:54.064755Z","schemaVersion":1,"seq":7,"stream":"worker-W-1","streamVersion":3,"type":"JobOfferMade"}"#)
        let mended = try Self.entry(.jobOfferMade).mending(stored, seq: Seq(7), with: Self.fields("hourlyPayPence=1240", "repaymentClause.months=12", "occurredOn=2024-08-24"))
        #expect(mended["occurredOn"] == "2024-08-24" && mended["data"]?["hourlyPayPence"] == 1240 && mended["data"]?["weeklyHours"] == 37.5)
        #expect(mended["data"]?["repaymentClause"]?["months"] == 12 && mended["data"]?["repaymentClause"]?["amountPence"] == 200000)
        #expect(mended["id"] == nil && mended["meta"] == nil && mended["seq"] == nil && mended["hash"] == nil && mended["stream"] == nil, "\(mended)")
        let removed = try Self.entry(.jobOfferMade).mending(stored, seq: Seq(7), with: Self.fields("repaymentClause="))
        #expect(removed["data"]?["repaymentClause"] == nil)
    }

    @Test func personalDataIsNotCopiedAndNothingIsNotAChange() throws {
        let registered = try JSONValue(parsing: #"{"data":{"laCode":"E08000025","nationality":"PH","pii":{"ciphertext":"AAAA"},"route":"overseasRecruitment","workerRef":"W-1"},"occurredOn":"2024-01-04","schemaVersion":1,"type":"WorkerRegistered"}"#)
        let refused = try #require(throws: LedgerError.self) { try Self.entry(.workerRegistered).mending(registered, seq: Seq(5), with: Self.fields("laCode=E08000026")) }
        #expect(refused.code == .rejected && refused.rule.contains("seq 5 carries personal data (pii)") && refused.rule.contains("--correction FILE"), "\(refused)")
        let arrived = try JSONValue(parsing: #"{"data":{"workerRef":"W-1"},"occurredOn":"2024-01-04","schemaVersion":1,"type":"WorkerArrived"}"#)
        let same = try #require(throws: LedgerError.self) { try Self.entry(.workerArrived).mending(arrived, seq: Seq(6), with: Self.fields("workerRef=W-1")) }
        #expect(same.code == .usage && same.rule == "workerRef is already so at seq 6: the mended event would be the same fact")
        let none = try #require(throws: LedgerError.self) { try Self.entry(.workerArrived).mending(arrived, seq: Seq(6), with: []) }
        #expect(none.code == .usage)
    }
}
