import CareLedger
import LedgerJSON
import LedgerTestSupport
import Testing

/// SPEC 4 corrects a mistake by retracting it and appending the right fact. For an event that
/// makes an id, the right fact makes the same id: the id is new again once every event holding it
/// is retracted (SPEC 3, check 4), and only then.
@Suite("An id made again after its retraction")
struct MadeAgainTests {
    typealias F = Fixtures

    static func retraction(ofSeq seq: Int) -> JSONValue {
        F.setting(F.examples["EventRetracted"]!, data: "targetEventId", to: .string("00000000-0000-4000-8000-00000000000\(seq)"))
    }

    @Test("the world's makers, each made again", arguments: [
        ("PartnerRegistered", "partnerId", "PT-1", 1), ("ProviderRegistered", "providerId", "P-1", 3),
        ("WorkerRegistered", "workerRef", "W-1", 5), ("EmploymentStarted", "spellId", "S-1", 6),
        ("CaseOpened", "caseId", "C-1", 7), ("ReferralMade", "referralId", "R-1", 8),
    ])
    func madeAgainOnceRetracted(type: String, field: String, id: String, seq: Int) throws {
        let ledger = try TestLedger()
        let again = F.setting(F.examples[type]!, data: field, to: .string(id))
        let live = try ledger.refusal([again])
        #expect(live.pointer == "/data/\(field)" && live.rule.contains("already exists (\(type) at seq \(seq))")
                && live.rule.contains("retract seq \(seq) and record the right fact after its retraction"), "\(live.rule)")

        // The retraction and the right fact in one batch, as `retract --mend` appends them.
        let landed = try ledger.append([Self.retraction(ofSeq: seq), again])
        #expect(landed.positions.map(\.seq) == [Seq(9), Seq(10)])
        #expect(try ledger.refusal([again]).rule.contains("already exists (\(type) at seq 10)"), "made again, it holds the id")
        #expect(try ledger.ledger.verify().ok, "the rules' state is what the events make")
    }

    @Test func offersAndConcernsAreMadeAgainOnceRetracted() throws {
        let ledger = try TestLedger()
        let made = try ledger.append([F.examples["JobOfferMade"]!, F.examples["SafeguardingConcernRaised"]!])
        for (index, event) in [F.examples["JobOfferMade"]!, F.examples["SafeguardingConcernRaised"]!].enumerated() {
            let retraction = F.setting(F.examples["EventRetracted"]!, data: "targetEventId", to: .string(made.positions[index].id.description))
            #expect(try ledger.refusal([event]).rule.contains("retract seq \(made.positions[index].seq)"))
            try ledger.append([retraction, event])
        }
        #expect(try ledger.ledger.verify().ok)
    }

    /// Its events stay in the stream they were appended to, and the timelines of the worker and
    /// case it named show it: made again, it names them again.
    @Test func madeAgainItNamesTheSameWorkerAndCase() throws {
        let ledger = try TestLedger()
        try ledger.append(F.examples["WorkerRegistered"]!)  // W-9
        let concern = try ledger.append(F.examples["SafeguardingConcernRaised"]!).positions[0]
        try ledger.append(F.setting(F.examples["EventRetracted"]!, data: "targetEventId", to: .string(concern.id.description)))
        try ledger.append(Self.retraction(ofSeq: 7))  // C-1, opened for W-1
        let otherWorker = try ledger.refusal([F.setting(F.setting(F.examples["CaseOpened"]!, data: "caseId", to: "C-1"), data: "workerRef", to: "W-9")])
        #expect(otherWorker.pointer == "/data/workerRef"
                && otherWorker.rule.contains("case C-1 was made with workerRef W-1 (seq 7, retracted), and made again it names the same; for W-9, use a new caseId"), "\(otherWorker.rule)")
        let withoutCase = F.event("SafeguardingConcernRaised", ["concernId": "SG-1", "workerRef": "W-1", "indicators": ["fees"], "referredTo": []])
        let otherCase = try ledger.refusal([withoutCase])
        #expect(otherCase.pointer == "/data/caseId" && otherCase.rule.contains("was made with caseId C-1 (seq 10, retracted), and made again it names the same; without a caseId, use a new concernId"), "\(otherCase.rule)")
    }

    /// Nothing is appended to a closed case (SPEC 3), its opening made again included.
    @Test func aClosedCaseIsNotOpenedAgain() throws {
        let ledger = try TestLedger()
        try ledger.append([Self.retraction(ofSeq: 7), F.examples["CaseClosed"]!])
        let reopened = try ledger.refusal([F.setting(F.examples["CaseOpened"]!, data: "caseId", to: "C-1")])
        #expect(reopened.pointer == "/data/caseId" && reopened.rule.contains("case C-1 was closed (seq 10); nothing more is appended to a closed case, so it is not opened again"), "\(reopened.rule)")
    }

    /// A spell's end names the spell, not its start: a start corrected keeps the end recorded.
    @Test func aSpellStartedAgainKeepsItsEnd() throws {
        let ledger = try TestLedger()
        let end = F.examples["EmploymentEnded"]!
        try ledger.append(end)
        try ledger.append([Self.retraction(ofSeq: 6), F.setting(F.examples["EmploymentStarted"]!, data: "spellId", to: "S-1")])
        #expect(try ledger.refusal([end]).rule.contains("spell S-1 already ended (seq 9)"))
        #expect(try ledger.ledger.verify().ok, "the rules' state is what the events make")
    }
}
