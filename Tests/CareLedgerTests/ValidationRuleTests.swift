import CareLedger
import LedgerJSON
import LedgerTestSupport
import Testing
import Foundation

/// Every bad input of SPEC section 3: refused with the event's place, a JSON pointer and the rule,
/// and the log (event count and head hash) left exactly as it was.
@Suite("Validation at the door")
struct ValidationRuleTests {
    typealias F = Fixtures

    @Test("every example is accepted on its own after the world", arguments: Fixtures.examples.keys.sorted())
    func examplesAreAccepted(type: String) throws {
        let ledger = try TestLedger()
        let result = try ledger.append(F.examples[type]!)
        #expect(result.positions.count == 1)
        #expect(try ledger.ledger.verify().ok)
    }

    @Test("check 1: JSON, size, type and schema version", arguments: [
        ("{\"type\":", "not JSON", nil as String?),
        ("[1,2]", "a JSON array is not a batch: send {\"events\": [...]}", ""),
        ("\"WorkerArrived\"", "expected an event object", ""),
        (#"{"type":"WorkerLeft","schemaVersion":1,"occurredOn":"2024-01-01","data":{}}"#, "event type of the catalogue", "/type"),
        // A slip of a letter or of case is named; a name like none of them is not guessed at.
        (#"{"type":"WorkerRegisterd","schemaVersion":1,"occurredOn":"2024-01-01","data":{}}"#, "\"WorkerRegisterd\" is not one (did you mean WorkerRegistered?)", "/type"),
        (#"{"type":"caseclosed","schemaVersion":1,"occurredOn":"2024-01-01","data":{}}"#, "is not one (did you mean CaseClosed?)", "/type"),
        (#"{"schemaVersion":1,"occurredOn":"2024-01-01","data":{}}"#, "required", "/type"),
        (#"{"type":"WorkerArrived","schemaVersion":2,"occurredOn":"2024-01-01","data":{"workerRef":"W-1"}}"#, "schema version 1 only", "/schemaVersion"),
        (#"{"type":"WorkerArrived","occurredOn":"2024-01-01","data":{"workerRef":"W-1"}}"#, "required", "/schemaVersion"),
    ])
    func check1(body: String, message: String, pointer: String?) throws {
        let ledger = try TestLedger()
        let error = try ledger.refusal([], body: Array(body.utf8))
        #expect(error.code == .rejected)
        #expect(error.rule.contains(message), "\(error)")
        #expect(error.pointer == pointer)
    }

    @Test func aMisspeltBatchFieldNamesTheOneMeant() throws {
        let ledger = try TestLedger()
        let event = F.examples["WorkerArrived"]!.compactText
        let error = try ledger.refusal([], body: Array(#"{"events":[\#(event)],"expectedVersion":{"worker-W-1":1}}"#.utf8))
        #expect(error.pointer == "/expectedVersion")
        #expect(error.rule == "is not a known field of a batch; did you mean expectedVersions? (known: events, expectedVersions)", "\(error)")
        // Without "events" at all: named as a batch's field, not refused as an event without a type.
        let misnamed = try ledger.refusal([], body: Array(#"{"event":[\#(event)]}"#.utf8))
        #expect(misnamed.pointer == "/event" && misnamed.rule.hasPrefix("is not a known field of a batch; did you mean events?"), "\(misnamed)")
        let untyped = try ledger.refusal([], body: Array(#"{"schemaVersion":1,"occurredOn":"2024-01-01","data":{}}"#.utf8))
        #expect(untyped.pointer == "/type", "an event without a type is still an event")
    }

    /// An event copied from `read` to be recorded again (mended, or into another ledger) is told
    /// what it is and what to send, once, not refused member by member as typing slips.
    @Test func anEventAsStoredIsToldWhatToSendInstead() throws {
        let ledger = try TestLedger()
        let served = try #require(try ledger.ledger.event(at: Seq(5))).servedJSON
        let error = try ledger.refusal([], body: served)
        #expect(error.pointer == "/hash" && error.rule.hasPrefix("is added by the ledger when it stores an event, as are recordedAt, seq and streamVersion: this is an event as `read` serves it; send it as written, without them"), "\(error)")
        #expect(error.laterProblems.isEmpty, "\(error.laterProblems)")
        // One such member alone, beside a slip of another kind: each said as what it is.
        let body = #"{"type":"WorkerArrived","schemaVersion":1,"occurredOn":"2024-05-01","seq":9,"data":{"workerRef":"W-1","shoeSize":9}}"#
        let one = try ledger.refusal([], body: Array(body.utf8))
        #expect(one.pointer == "/seq" && one.rule == "is added by the ledger when it stores an event: send the event as written, without it", "\(one)")
        #expect(one.laterProblems.map(\.pointer) == ["/data/shoeSize"] && one.laterProblems.first?.rule.hasPrefix("is not a known field here") == true)
    }

    @Test func aSchemaVersionWrittenAsAWholeDecimalIsThatVersion() throws {
        let ledger = try TestLedger()
        let body = #"{"type":"WorkerArrived","schemaVersion":1.0,"occurredOn":"2024-05-01","data":{"workerRef":"W-1"}}"#
        let result = try ledger.ledger.append(body: Array(body.utf8))
        let stored = try #require(try ledger.ledger.event(at: result.positions[0].seq))
        #expect(String(decoding: stored.canonicalBytes, as: UTF8.self).contains(#""schemaVersion":1,"#))
        #expect(try ledger.refusal([], body: Array(body.replacingOccurrences(of: "1.0", with: "1.5").utf8)).pointer == "/schemaVersion")
    }

    @Test func anEventOver64KiBIsRefusedAsTooLarge() throws {
        let ledger = try TestLedger()
        let big = F.setting(F.examples["TrainingCompleted"]!, top: "meta", to: ["note": .string(String(repeating: "x", count: 70_000))])
        let error = try ledger.refusal([big])
        #expect(error.code == .tooLarge)
        #expect(error.description.contains("64 KiB"))
    }

    @Test("check 3: references exist in the log or earlier in the batch", arguments: [
        ("WorkerArrived", "workerRef", JSONValue.string("W-404"), "worker W-404"),
        ("JobOfferMade", "providerId", .string("P-404"), "provider P-404"),
        ("ReplacementSecured", "newProviderId", .string("P-404"), "provider P-404"),
        ("SupportProvided", "partnerId", .string("PT-404"), "partner PT-404"),
        ("CaseOpened", "ownerPartnerId", .string("PT-404"), "partner PT-404"),
        ("ReferralMade", "toPartnerId", .string("PT-404"), "partner PT-404"),
        ("ReferralMade", "fromPartnerId", .string("PT-404"), "partner PT-404"),
        ("CaseClosed", "caseId", .string("C-404"), "case C-404"),
        ("ProbationConcluded", "spellId", .string("S-404"), "spell S-404"),
        ("ReferralOutcomeRecorded", "referralId", .string("R-404"), "referral R-404"),
        ("EventRetracted", "targetEventId", .string("00000000-0000-4000-8000-000000000404"), "no event"),
        ("SafeguardingConcernRaised", "caseId", .string("C-404"), "case C-404"),
        // An id typed in small letters that exists in capitals is named; ids are case-sensitive.
        ("WorkerArrived", "workerRef", .string("w-1"), "names worker w-1, which does not exist (did you mean W-1? ids are case-sensitive)"),
        ("SupportProvided", "partnerId", .string("pt-2"), "(did you mean PT-2? ids are case-sensitive)"),
        ("CaseClosed", "caseId", .string("c-404"), "names case c-404, which does not exist: no CaseOpened"),
        // And one written with other leading zeros than the programme's: W-001, w-01 for W-1.
        ("WorkerArrived", "workerRef", .string("W-001"), "names worker W-001, which does not exist (did you mean W-1? ids are compared as written, leading zeros included)"),
        ("WorkerArrived", "workerRef", .string("w-01"), "(did you mean W-1? ids are compared as written, leading zeros included and ids are case-sensitive)"),
        ("CaseClosed", "caseId", .string("C-0404"), "names case C-0404, which does not exist: no CaseOpened"),
    ])
    func check3(type: String, field: String, value: JSONValue, message: String) throws {
        let ledger = try TestLedger()
        let error = try ledger.refusal([F.setting(F.examples[type]!, data: field, to: value)])
        #expect(error.code == .rejected)
        #expect(error.location == .line(1))
        #expect(error.pointer == "/data/\(field)")
        #expect(error.rule.contains(message), "\(error)")
    }

    /// The ids a person likely meant, most likely first: in capitals, then with the number's
    /// leading zeros as another writer kept them, up to eight digits; a spreadsheet's loss of a
    /// number's zeros is named when the id is a number.
    @Test func theIDsAPersonLikelyMeant() {
        #expect(EntityID.likelyMeant("W-7").map(\.id) == ["W-07", "W-007", "W-0007", "W-00007", "W-000007", "W-0000007", "W-00000007"])
        #expect(EntityID.likelyMeant("W-00007").map(\.id) == ["W-7", "W-07", "W-007", "W-0007", "W-000007", "W-0000007", "W-00000007"])
        #expect(EntityID.likelyMeant("w-1").first?.hint == " (did you mean W-1? ids are case-sensitive)")
        #expect(EntityID.likelyMeant("123").first?.why.hasSuffix("a spreadsheet drops a number's, unless its column is formatted as text") == true)
        #expect(EntityID.likelyMeant("W-A").isEmpty && EntityID.likelyMeant("W-000").isEmpty)
    }

    @Test func referencesMayPointEarlierInTheSameBatch() throws {
        let ledger = try TestLedger(world: false)
        try ledger.append(F.world)
        #expect(try ledger.ledger.head().seq == Seq(8))
    }

    @Test func aSpellMustBelongToTheWorkerNamed() throws {
        let ledger = try TestLedger()
        try ledger.append(F.examples["WorkerRegistered"]!)
        let error = try ledger.refusal([F.setting(F.examples["ProbationConcluded"]!, data: "workerRef", to: "W-9")])
        #expect(error.rule.contains("belongs to worker W-1"))
    }

    @Test("check 4: ids that must be new", arguments: [
        ("PartnerRegistered", "partnerId", "PT-1"), ("ProviderRegistered", "providerId", "P-1"),
        ("WorkerRegistered", "workerRef", "W-1"), ("CaseOpened", "caseId", "C-1"),
        ("EmploymentStarted", "spellId", "S-1"), ("ReferralMade", "referralId", "R-1"),
    ])
    func idsMustBeNew(type: String, field: String, existing: String) throws {
        let ledger = try TestLedger()
        let error = try ledger.refusal([F.setting(F.examples[type]!, data: field, to: .string(existing))])
        #expect(error.pointer == "/data/\(field)")
        #expect(error.rule.contains("already exists"), "\(error)")
    }

    @Test func offersAndConcernsMustBeNew() throws {
        let ledger = try TestLedger()
        try ledger.append([F.examples["JobOfferMade"]!, F.examples["SafeguardingConcernRaised"]!])
        #expect(try ledger.refusal([F.examples["JobOfferMade"]!]).pointer == "/data/offerId")
        #expect(try ledger.refusal([F.examples["SafeguardingConcernRaised"]!]).pointer == "/data/concernId")
    }

    @Test func aWorkerHasAtMostOneOpenCaseOfEachType() throws {
        let ledger = try TestLedger()
        let second = F.setting(F.setting(F.examples["CaseOpened"]!, data: "caseType", to: "support"), data: "caseId", to: "C-3")
        let error = try ledger.refusal([second])
        #expect(error.rule.contains("already has an open support case, C-1"))
        try ledger.append(F.examples["CaseOpened"]!)  // a replacement case is another type
        try ledger.append(F.examples["CaseClosed"]!)
        try ledger.append(second)  // once C-1 is closed, a new support case may open
    }

    @Test func nothingIsAppendedToAClosedCase() throws {
        let ledger = try TestLedger()
        try ledger.append(F.examples["CaseClosed"]!)
        let error = try ledger.refusal([F.examples["SupportProvided"]!])
        #expect(error.rule.contains("case C-1 was closed"))
        // Not even a retraction of an event in it.
        let retraction = F.setting(F.examples["EventRetracted"]!, data: "targetEventId", to: "00000000-0000-4000-8000-000000000008")
        let refused = try ledger.refusal([retraction])
        #expect(refused.pointer == "/data/targetEventId")
        #expect(refused.rule.contains("case C-1, which was closed") && refused.rule.contains("open a new support case for worker W-1"), "\(refused.rule)")
    }

    @Test func aSpellEndsAtMostOnceUnlessTheEndIsRetracted() throws {
        let ledger = try TestLedger()
        let end = F.examples["EmploymentEnded"]!
        let first = try ledger.append(end)
        #expect(try ledger.refusal([end]).rule.contains("already ended"))
        let retraction = F.setting(F.examples["EventRetracted"]!, data: "targetEventId", to: .string(first.positions[0].id.description))
        try ledger.append(retraction)
        try ledger.append(end)  // the retracted end no longer counts
    }

    @Test func retractionsCannotBeRepeatedOrRetracted() throws {
        let ledger = try TestLedger()
        let retraction = F.examples["EventRetracted"]!  // retracts seq 5, the worker's registration
        let done = try ledger.append(retraction)
        #expect(done.positions[0].stream.rawValue == "worker-W-1")  // the target's stream
        #expect(try ledger.refusal([F.setting(retraction, top: "occurredOn", to: "2024-06-01")]).rule.contains("already retracted"))
        let ofRetraction = F.setting(retraction, data: "targetEventId", to: .string(done.positions[0].id.description))
        #expect(try ledger.refusal([ofRetraction]).rule.contains("cannot be retracted"))
        // A retracted registration still counts as a reference.
        try ledger.append(F.examples["WorkerArrived"]!)
    }

    @Test("the displacement window", arguments: [
        ("2024-05-01", "2024-04-30", "before occurredOn"), ("2024-05-01", "2024-07-01", "at most 60 days"),
    ])
    func displacementWindow(occurred: String, ends: String, message: String) throws {
        let ledger = try TestLedger()
        let event = F.setting(F.setting(F.examples["WorkerDisplaced"]!, top: "occurredOn", to: .string(occurred)),
                              data: "windowEndsOn", to: .string(ends))
        let error = try ledger.refusal([event])
        #expect(error.pointer == "/data/windowEndsOn")
        #expect(error.rule.contains(message))
        let sixty = F.setting(event, data: "windowEndsOn", to: "2024-06-30")
        try ledger.append(sixty)
    }

    @Test func aBackDatedEventIsAccepted() throws {
        let ledger = try TestLedger()
        try ledger.append(F.setting(F.examples["WorkerArrived"]!, top: "occurredOn", to: "2020-01-01"))
    }

    @Test func aStreamSentMustMatchTheDerivedOne() throws {
        let ledger = try TestLedger()
        let wrong = F.setting(F.examples["WorkerArrived"]!, top: "stream", to: "worker-W-2")
        #expect(try ledger.refusal([wrong]).pointer == "/stream")
        try ledger.append(F.setting(F.examples["WorkerArrived"]!, top: "stream", to: "worker-W-1"))
    }

    @Test func personalDataIsRefusedWithoutAMasterKey() throws {
        let ledger = try TestLedger()
        let withPII = F.setting(F.examples["WorkerRegistered"]!, data: "pii", to: ["givenName": "Maria"])
        let error = try ledger.refusal([withPII])
        #expect(error.pointer == "/data/pii")
        #expect(error.rule.contains("needs the master key"))
        #expect(error.rule.contains("careledger keys init"))
        let withNotes = F.setting(F.examples["SupportProvided"]!, data: "notes", to: "Sleeping at a friend's")
        #expect(try ledger.refusal([withNotes]).pointer == "/data/notes")
    }

    @Test func aBatchWhoseFifthEventIsBadLandsNone() throws {
        let ledger = try TestLedger()
        var events = ["WorkerArrived", "VisaGranted", "DbsCheckCompleted", "TrainingCompleted"].map { F.examples[$0]! }
        events.append(F.setting(F.examples["EmploymentStarted"]!, data: "contractType", to: "zeroHours"))
        events.append(F.examples["CareCertificateAwarded"]!)
        let error = try ledger.refusal(events)
        #expect(error.location == .line(5))
        #expect(error.pointer == "/data/contractType")
        // The batch form names the index instead.
        let body = JSONValue.object([("events", .array(events))]).compactText
        let batchError = try ledger.refusal([], body: Array(body.utf8))
        #expect(batchError.location == .index(4))
        #expect(batchError.description.hasPrefix("event 4: /data/contractType: must be one of"))
    }
}
