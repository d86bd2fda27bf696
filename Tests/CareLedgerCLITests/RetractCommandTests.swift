import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `careledger retract`: a mistake corrected by the seq a timeline shows, checked as any event.
@Suite struct RetractCommandTests {
    /// The event at `seq` as `read` serves it.
    static func event(_ cli: CLIWorkspace, at seq: Int) throws -> JSONValue {
        try JSONValue(parsing: try cli.expect(0, ["read", "--from", String(seq), "--limit", "1"]).standardOutput)
    }

    @Test func retractsBySeqOrIdAndSaysHowToRecordTheRightFact() throws {
        let cli = try CLIWorkspace().initialised()
        // The world's referral (seq 8) was made to the wrong partner.
        let before = try cli.digest()
        let checked = try cli.expect(0, ["retract", "8", "--reason", "Referred to the wrong partner", "--check"]).standardOutput
        #expect(checked.hasPrefix("Would retract seq 8, ReferralMade in case-C-1, dated 2024-03-02: Referral R-1 from PT-1 to PT-2"), "\(checked)")
        #expect(try cli.digest() == before, "a check writes nothing")

        let answer = try cli.expect(0, ["retract", "8", "--reason", "Referred to the wrong partner", "--occurred-on", "2024-03-05"]).standardOutput
        #expect(answer.contains("Retracted seq 8, ReferralMade in case-C-1"), "\(answer)")
        #expect(answer.contains("EventRetracted at seq 9 (case-C-1 version 3)"), "\(answer)")
        #expect(answer.contains("\"meta\": {\"corrects\": \"00000000-0000-4000-8000-000000000008\"}"), "\(answer)")
        let retraction = try Self.event(cli, at: 9)
        #expect(retraction["type"] == "EventRetracted" && retraction["occurredOn"] == "2024-03-05")
        #expect(retraction["data"]?["targetEventId"] == "00000000-0000-4000-8000-000000000008")
        #expect(retraction["data"]?["reason"] == "Referred to the wrong partner")
        #expect(retraction["meta"]?["source"] == "careledger retract" && retraction["meta"]?["actor"]?.stringValue?.hasPrefix("os:") == true)
        let timeline = try JSONValue(parsing: try cli.expect(0, ["timeline", "case", "C-1", "--json"]).standardOutput)
        let retracted = timeline["events"]?.arrayValue?.first { $0["seq"] == 8 }
        #expect(retracted?["retracted"] == .bool(true) && retracted?["retractedBy"] == 9, "the row names its retraction: \(timeline)")
        #expect(timeline["events"]?.arrayValue?.first { $0["seq"] == 9 }?["retractedBy"] == nil)
        // Known before the retraction, the row is not retracted, and names none.
        let referral = try Self.event(cli, at: 8)
        let then = try JSONValue(parsing: try cli.expect(0, ["timeline", "case", "C-1", "--json", "--known-at", referral["recordedAt"]?.stringValue ?? ""]).standardOutput)
        #expect(then["events"]?.arrayValue?.first { $0["seq"] == 8 }?["retractedBy"] == nil)
        #expect(try cli.expect(0, ["timeline", "case", "C-1"]).standardOutput.contains("  by seq 9  "), "the table says it too")

        // By its id, with JSON as POST /v1/events answers.
        let byID = try JSONValue(parsing: try cli.expect(0, ["retract", "00000000-0000-4000-8000-000000000006", "--reason", "Wrong provider", "--json"]).standardOutput)
        #expect(byID["events"]?[0]?["seq"] == 10 && byID["events"]?[0]?["stream"] == "worker-W-1")
    }

    /// `--correction FILE`: the right fact lands with the retraction, in one batch, with
    /// `meta.corrects` set; a correction the rules refuse leaves the mistake standing.
    @Test func retractsAndCorrectsInOneBatch() throws {
        let cli = try CLIWorkspace().initialised()
        let before = try cli.digest()
        // The referral (seq 8) went to PT-2; it was made to PT-2 from PT-1, but the reason was
        // wrong. A referral id names one referral forever, so the right fact has a new one.
        let right = Fixtures.event("ReferralMade", ["caseId": "C-1", "referralId": "R-1b", "fromPartnerId": "PT-1", "toPartnerId": "PT-2", "reason": "Eviction notice"], on: "2024-03-02")
        let file = cli.folder.file("right.json")
        try Data(right.compactText.utf8).write(to: URL(fileURLWithPath: file))
        let checked = try cli.expect(0, ["retract", "8", "--reason", "Wrong reason", "--correction", file, "--check"]).standardOutput
        #expect(checked.contains("Would append the correction with it, in one batch: ReferralMade dated 2024-03-02: Referral R-1b from PT-1 to PT-2: Eviction notice. Nothing was written."), "\(checked)")
        #expect(try cli.digest() == before)

        // A correction the rules refuse: neither lands, and the refusal names the file and field.
        let wrong = Fixtures.setting(right, data: "toPartnerId", to: "PT-404")
        let refused = try cli.expect(3, ["retract", "8", "--reason", "Wrong reason", "--correction", "-"], input: wrong.compactText).standardError
        #expect(refused.contains("the correction in standard input: /data/toPartnerId:") && refused.contains("PT-404"), "\(refused)")
        #expect(try cli.digest() == before, "the mistake stands, not retracted")
        let otherTarget = Fixtures.setting(right, top: "meta", to: ["corrects": "00000000-0000-4000-8000-000000000006"])
        #expect(try cli.expect(3, ["retract", "8", "--reason", "x", "--correction", "-"], input: otherTarget.compactText).standardError
            .contains("/meta/corrects: names \"00000000-0000-4000-8000-000000000006\", but the event retracted is 00000000-0000-4000-8000-000000000008"))
        let two = Fixtures.ndjson([right, Fixtures.setting(right, data: "referralId", to: "R-1c")])
        #expect(try cli.expect(3, ["retract", "8", "--reason", "x", "--correction", "-"], input: two).standardError.contains("it holds 2 lines: a correction is one event"))
        #expect(try cli.expect(3, ["retract", "8", "--reason", "x", "--correction", "-"], input: "{\"type\":").standardError.contains("not JSON"))
        try cli.expect(2, ["retract", "8", "--reason", "x", "--correction", cli.folder.file("missing.json")])
        #expect(try cli.digest() == before)

        let answer = try cli.expect(0, ["retract", "8", "--reason", "Wrong reason", "--correction", file]).standardOutput
        #expect(answer.contains("EventRetracted at seq 9 (case-C-1 version 3)") && answer.contains("The correction, appended at seq 10 (case-C-1 version 4), with \"meta\": {\"corrects\": \"00000000-0000-4000-8000-000000000008\"}: ReferralMade dated 2024-03-02: Referral R-1b from PT-1 to PT-2: Eviction notice."), "\(answer)")
        let corrected = try Self.event(cli, at: 10)
        #expect(corrected["meta"]?["corrects"] == "00000000-0000-4000-8000-000000000008" && corrected["data"]?["reason"] == "Eviction notice")
        let partners = try JSONValue(parsing: try cli.expect(0, ["query", "partners", "--period", "2023-24", "--json"]).standardOutput)
        #expect(partners["partners"]?.arrayValue?.first { $0["partnerId"] == "PT-2" }?["referralsReceived"] == 1, "one referral, the right one")

        // The retraction first: a spell's ending corrected by another ending of the same spell.
        let ended = Fixtures.event("EmploymentEnded", ["workerRef": "W-1", "spellId": "S-1", "reason": "choseToLeave"], on: "2024-06-30")
        try cli.expect(0, ["append", "-"], input: Fixtures.ndjson([ended]))
        let rightEnding = Fixtures.setting(ended, data: "reason", to: "movedToHealth")
        try cli.expect(0, ["retract", "11", "--reason", "Moved to the NHS", "--correction", "-"], input: rightEnding.compactText)
        #expect(try Self.event(cli, at: 13)["data"]?["reason"] == "movedToHealth")
    }

    /// `--mend FIELD=VALUE`: the right fact is the retracted event with those fields changed,
    /// the rest copied, so a date or a provider is corrected without typing the event again.
    @Test func mendsTheFieldsNamedAndCopiesTheRest() throws {
        let cli = try CLIWorkspace().initialised()
        let before = try cli.digest()
        // The referral (seq 8): its reason and date were wrong, and the id given it was another.
        let checked = try cli.expect(0, ["retract", "8", "--reason", "Wrong reason", "--mend", "occurredOn=2024-03-04", "--mend", "reason=Eviction notice",
                                         "--mend", "referralId=R-1b", "--check"]).standardOutput
        #expect(checked.contains("Would append the correction with it, in one batch: ReferralMade dated 2024-03-04: Referral R-1b from PT-1 to PT-2: Eviction notice."), "\(checked)")
        #expect(try cli.digest() == before)

        // Refused, each said of the mended copy, and nothing written.
        // Its own id is new again once it is retracted, first in the batch (SPEC 4).
        let sameID = try cli.expect(0, ["retract", "8", "--reason", "x", "--mend", "reason=Eviction notice", "--check"]).standardOutput
        #expect(sameID.contains("Would append the correction with it, in one batch: ReferralMade dated 2024-03-02: Referral R-1 from PT-1 to PT-2: Eviction notice."), "\(sameID)")
        let unknownField = try cli.expect(3, ["retract", "8", "--reason", "x", "--mend", "toPartnrId=PT-1", "--mend", "referralId=R-1b"]).standardError
        #expect(unknownField
            .contains("the mended copy of seq 8: /data/toPartnrId: is not a known field here; did you mean toPartnerId?"), "\(unknownField)")
        #expect(try cli.expect(2, ["retract", "8", "--reason", "x", "--mend", "occurredOn=2024-03-02"]).standardError.contains("occurredOn is already so at seq 8"))
        #expect(try cli.expect(2, ["retract", "8", "--reason", "x", "--mend", "reason=a", "--mend", "reason=b"]).standardError.contains("reason is given twice"))
        try cli.expect(2, ["retract", "8", "--reason", "x", "--mend", "reason=a", "--correction", "-"], input: "{}")
        #expect(try cli.expect(3, ["retract", "7", "8", "--reason", "x", "--mend", "reason=a"]).standardError.contains("the mended copy of seq 7: /data/reason: is not a known field"))
        #expect(try cli.digest() == before)

        let answer = try cli.expect(0, ["retract", "8", "--reason", "Wrong reason", "--mend", "occurredOn=2024-03-04", "--mend", "reason=Eviction notice",
                                        "--mend", "referralId=R-1b"]).standardOutput
        #expect(answer.contains("The correction, appended at seq 10"), "\(answer)")
        let corrected = try Self.event(cli, at: 10)
        #expect(corrected["occurredOn"] == "2024-03-04" && corrected["data"]?["fromPartnerId"] == "PT-1" && corrected["data"]?["toPartnerId"] == "PT-2"
                && corrected["data"]?["reason"] == "Eviction notice" && corrected["meta"]?["corrects"] == "00000000-0000-4000-8000-000000000008"
                && corrected["meta"]?["source"] == "careledger retract --mend", "\(corrected)")
        // The event a correction names by id is read by it (exit 1 for an id the log lacks).
        let original = try JSONValue(parsing: try cli.expect(0, ["read", "--id", "00000000-0000-4000-8000-000000000008"]).standardOutput)
        #expect(original["seq"] == 8 && original["data"]?["reason"] == "Housing at risk", "\(original)")
        #expect(try cli.expect(1, ["read", "--id", "00000000-0000-4000-8000-0000000000ff"]).standardError.contains("the log holds no event 00000000-0000-4000-8000-0000000000ff"))
        try cli.expect(2, ["read", "--id", "00000000-0000-4000-8000-000000000008", "--stream", "case-C-1"])
        // The case's timeline names the seqs of the correction's three rows, not their ids.
        let timeline = try JSONValue(parsing: try cli.expect(0, ["timeline", "case", "C-1", "--json"]).standardOutput)
        let summaries = Dictionary(uniqueKeysWithValues: (timeline["events"]?.arrayValue ?? []).compactMap { entry in
            entry["seq"]?.integerValue.map { ($0, entry["summary"]?.stringValue ?? "") }
        })
        #expect(summaries[9] == "Retracted seq 8: Wrong reason" && summaries[10] == "Referral R-1b from PT-1 to PT-2: Eviction notice (corrects seq 8)", "\(summaries)")
        let entries = timeline["events"]?.arrayValue ?? []
        func entry(_ seq: Int64) -> JSONValue? { entries.first { $0["seq"]?.integerValue == seq } }
        #expect(entry(9)?["retracts"] == 8 && entry(10)?["corrects"] == 8 && entry(8)?["retracts"] == nil && entry(8)?["corrects"] == nil, "\(entries)")

        // An optional field emptied is removed.
        try cli.expect(0, ["retract", "3", "--reason", "No rating", "--mend", "sponsorRating=", "--mend", "providerId=P-1r"])
        let provider = try Self.event(cli, at: 12)
        #expect(provider["data"]?["sponsorRating"] == nil && provider["data"]?["name"] == "Test Care Ltd", "\(provider)")
    }

    /// A registration corrected keeps its workerRef, so the worker's events, case and figures
    /// follow the right fact (SPEC 4: the id is new again once its maker is retracted).
    @Test func correctsARegistrationUnderItsOwnWorkerRef() throws {
        let cli = try CLIWorkspace().initialised()
        let answer = try cli.expect(0, ["retract", "5", "--reason", "Wrong local authority", "--mend", "laCode=E08000026"]).standardOutput
        #expect(answer.contains("The correction, appended at seq 10 (worker-W-1 version"), "\(answer)")
        let caseload = try JSONValue(parsing: try cli.expect(0, ["query", "caseload", "--json", "--as-of", "2024-12-31"]).standardOutput)
        #expect(caseload["cases"]?[0]?["workerRef"] == "W-1" && caseload["cases"]?[0]?["laCode"] == "E08000026", "\(caseload)")
        let timeline = try cli.expect(0, ["timeline", "worker", "W-1"]).standardOutput
        #expect(timeline.contains("Registered (overseasRecruitment, PH, E08000026) (corrects seq 5)") && timeline.contains("Retracted seq 5: Wrong local authority"), "\(timeline)")
        try cli.expect(0, ["projections", "verify"])
        try cli.expect(0, ["verify"])
        // Made again, the id is held: a second registration is refused with the way to correct it.
        let again = try cli.expect(3, ["record", "WorkerRegistered", "--on", "2024-01-04", "workerRef=W-1", "route=displaced", "nationality=PH", "laCode=E08000025"]).standardError
        #expect(again.contains("/data/workerRef: worker W-1 already exists (WorkerRegistered at seq 10); WorkerRegistered needs a new workerRef, or, to correct that event, retract seq 10"), "\(again)")
    }

    /// `--mend` with several events: each retracted and recorded so mended, in one batch; a
    /// return filed under the wrong provider is put right whole, or not at all.
    @Test func mendsSeveralEventsInOneBatch() throws {
        let cli = try CLIWorkspace().initialised()
        let check = Fixtures.examples["RightToWorkChecked"]!
        try cli.expect(0, ["append", "-"], input: Fixtures.ndjson([check, Fixtures.setting(check, data: "method", to: "manual")]))  // seqs 9 and 10
        let head = try cli.digest()
        let refused = try cli.expect(3, ["retract", "9", "10", "--reason", "Filed under P-1", "--mend", "providerId=P-404"]).standardError
        #expect(refused.contains("the mended copy of seq 9: /data/providerId:") && refused.contains("P-404"), "\(refused)")
        #expect(try cli.digest() == head, "nothing of the batch landed")
        let checked = try cli.expect(0, ["retract", "9", "10", "--reason", "Filed under P-1", "--mend", "providerId=P-2", "--check"]).standardOutput
        #expect(checked.contains("Would append the correction of seq 10: RightToWorkChecked dated 2024-05-01: Right to work checked by P-2 (manual)"), "\(checked)")
        let answer = try cli.expect(0, ["retract", "9", "10", "--reason", "Filed under P-1", "--mend", "providerId=P-2"]).standardOutput
        #expect(answer.contains("EventRetracted at seq 11") && answer.contains("EventRetracted at seq 12") && answer.contains("The correction, appended at seq 14"), "\(answer)")
        for (seq, method) in [(13, "shareCode"), (14, "manual")] {
            let right = try Self.event(cli, at: seq)
            #expect(right["data"]?["providerId"] == "P-2" && right["data"]?["method"] == .string(method), "\(right)")
        }
        #expect(try Self.event(cli, at: 14)["meta"]?["corrects"] == (try Self.event(cli, at: 10))["id"])
    }

    /// Several events named at once are retracted in one batch: all or none.
    @Test func retractsSeveralEventsInOneBatch() throws {
        let cli = try CLIWorkspace().initialised()
        try cli.expect(0, ["retract", "3", "--reason", "Registered twice"])  // seq 9, a retraction
        let head = try cli.digest()
        // One of them cannot be retracted (a retraction): none is.
        let refused = try cli.expect(3, ["retract", "7", "9", "--reason", "Wrong return"]).standardError
        #expect(refused.contains("cannot retract seq 9, EventRetracted in provider-P-1") && refused.contains("a retraction cannot be retracted"), "\(refused)")
        #expect(try cli.digest() == head, "the case's opening (seq 7) is not retracted either")
        #expect(try cli.expect(2, ["retract", "8", "00000000-0000-4000-8000-000000000008", "--reason", "x"]).standardError.contains("seq 8 is named more than once"))
        try cli.expect(2, ["retract", "7", "8", "--reason", "x", "--correction", "-"], input: "{}")
        try cli.expect(2, ["retract", "--reason", "x"])

        let checked = try cli.expect(0, ["retract", "8", "7", "--reason", "Wrong return", "--check"]).standardOutput
        #expect(checked.contains("Would retract seq 8, ReferralMade") && checked.contains("Would retract seq 7, CaseOpened") && checked.hasSuffix("In one batch. Nothing was written.\n"), "\(checked)")
        let answer = try cli.expect(0, ["retract", "8", "7", "--reason", "Wrong return"]).standardOutput
        #expect(answer.contains("EventRetracted at seq 10 (case-C-1 version 3)") && answer.contains("EventRetracted at seq 11 (case-C-1 version 4)"), "\(answer)")
        #expect(answer.contains("00000000-0000-4000-8000-000000000008, 00000000-0000-4000-8000-000000000007"), "the ids for meta.corrects: \(answer)")
        let timeline = try JSONValue(parsing: try cli.expect(0, ["timeline", "case", "C-1", "--json"]).standardOutput)
        #expect(timeline["events"]?.arrayValue?.filter { $0["retracted"] == true }.compactMap { $0["seq"]?.integerValue }.sorted() == [7, 8])
        #expect(try JSONValue(parsing: try cli.expect(0, ["query", "caseload", "--as-of", "2024-03-31", "--json"]).standardOutput)["openCases"] == 0)
    }

    /// A retraction the rules refuse, or of no event, is refused with the event named, and the
    /// log stays as it was.
    @Test func whatCannotBeRetractedIsRefusedAndNothingIsWritten() throws {
        let cli = try CLIWorkspace().initialised()
        try cli.expect(0, ["retract", "6", "--reason", "Wrong provider"])
        let head = try cli.digest()
        let again = try cli.expect(3, ["retract", "6", "--reason", "Again"]).standardError
        #expect(again.contains("cannot retract seq 6, EmploymentStarted in worker-W-1, dated 2024-02-01: Started as careWorker with P-1 (permanent): the event at seq 6 is already retracted (by seq 9)"), "\(again)")
        #expect(try cli.expect(3, ["retract", "6", "--reason", "Again", "--check"]).standardError.contains("already retracted"))
        #expect(try cli.expect(3, ["retract", "9", "--reason", "Undo"]).standardError.contains("a retraction cannot be retracted"))
        let missing = try cli.expect(1, ["retract", "99", "--reason", "x"]).standardError
        #expect(missing.contains("the log holds no seq 99 (its events are seq 1 to 9)"), "\(missing)")
        try cli.expect(1, ["retract", "00000000-0000-4000-8000-000000000099", "--reason", "x"])
        #expect(try cli.expect(2, ["retract", "W-1", "--reason", "x"]).standardError.contains("name the event by its seq"))
        try cli.expect(2, ["retract", "3", "--reason", " "])
        try cli.expect(2, ["retract", "3"])
        #expect(try cli.digest() == head, "the log is as it was")
    }
}
