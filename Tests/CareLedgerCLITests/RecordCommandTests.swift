import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `careledger record TYPE --on DATE FIELD=VALUE…`: one event from its fields, each made the
/// JSON its schema property takes, checked and refused as `append` checks and refuses.
@Suite struct RecordCommandTests {
    /// The last stored event, as `read` serves it.
    static func last(_ cli: CLIWorkspace) throws -> JSONValue {
        let lines = try cli.expect(0, ["read"]).standardOutput.split(separator: "\n")
        return try JSONValue(parsing: String(try #require(lines.last)))
    }

    @Test func recordsEachKindOfFieldAsItsSchemaTakesIt() throws {
        let cli = try CLIWorkspace().initialised()
        let arrived = try cli.expect(0, ["record", "WorkerArrived", "--on", "2024-01-20", "workerRef=W-1", "--meta", "source=phone-call"]).standardOutput
        #expect(arrived.hasPrefix("Appended 1 event (seq 9 to 9).") && arrived.contains("worker-W-1"), "\(arrived)")
        #expect(try Self.last(cli)["meta"] == .object([("source", "phone-call")]) && Self.last(cli)["occurredOn"] == "2024-01-20")

        // Numbers, a whole number, an enumeration of digits (soc: text), an object by its members, booleans.
        try cli.expect(0, ["record", "JobOfferMade", "--on", "2024-01-10", "workerRef=W-1", "offerId=O-1", "providerId=P-2", "soc=6135",
                           "jobRole=careWorker", "weeklyHours=37.5", "hourlyPayPence=1240", "channel=direct",
                           "repaymentClause.amountPence=200000", "repaymentClause.months=24",
                           "repaymentClause.interestFree=true", "repaymentClause.itemised=false"])
        let offer = try Self.last(cli)["data"]
        #expect(offer?["weeklyHours"] == .number(37.5) && offer?["hourlyPayPence"] == 1240 && offer?["soc"] == "6135")
        #expect(offer?["repaymentClause"] == .object([("amountPence", 200000), ("interestFree", true), ("itemised", false), ("months", 24)]), "\(String(describing: offer))")
        // A number as JSON writes it, exponent and all; Swift's wider forms stay text, refused.
        try cli.expect(0, ["record", "JobOfferMade", "--on", "2024-01-10", "workerRef=W-1", "offerId=O-3", "providerId=P-2", "soc=6135",
                           "jobRole=careWorker", "weeklyHours=3.75e1", "hourlyPayPence=1240", "channel=direct"])
        #expect(try Self.last(cli)["data"]?["weeklyHours"] == .number(37.5))
        #expect(try cli.expect(3, ["record", "JobOfferMade", "--on", "2024-01-10", "workerRef=W-1", "offerId=O-4", "providerId=P-2", "soc=6135",
                                   "jobRole=careWorker", "weeklyHours=0x1p3", "hourlyPayPence=1240", "channel=direct"]).standardError.contains("/data/weeklyHours: must be a number"))

        // Lists: comma-separated, and nothing for an empty one.
        try cli.expect(0, ["record", "SafeguardingConcernRaised", "--on", "2024-03-05", "concernId=SG-1", "caseId=C-1",
                           "indicators=fees,documentsWithheld", "referredTo="])
        let concern = try Self.last(cli)["data"]
        #expect(concern?["indicators"] == ["fees", "documentsWithheld"] && concern?["referredTo"] == [], "\(String(describing: concern))")

        // --show: the event as JSON, nothing written; append takes it as it is.
        let head = try cli.digest()
        let shown = try cli.expect(0, ["record", "ProbationConcluded", "--on", "2024-05-01", "workerRef=W-1", "spellId=S-1", "outcome=passed", "--show"]).standardOutput
        #expect(try JSONValue(parsing: shown)["data"]?["outcome"] == "passed" && cli.digest() == head)
        #expect(try cli.expect(0, ["record", "ProbationConcluded", "--on", "2024-05-01", "workerRef=W-1", "spellId=S-1", "outcome=passed", "--check"])
            .standardOutput == "The ProbationConcluded would be appended. Nothing was written.\n")
        try cli.expect(0, ["append", "-"], input: shown)
        #expect(try Self.last(cli)["type"] == "ProbationConcluded")
    }

    /// A refusal names the field and the rule, as append's does but without a line (there is
    /// no file), and leaves the log as it was.
    @Test func whatTheRulesRefuseIsRefusedAndNothingIsWritten() throws {
        let cli = try CLIWorkspace().initialised()
        let head = try cli.digest()
        let notNumber = try cli.expect(3, ["record", "JobOfferMade", "--on", "2024-01-10", "workerRef=W-1", "offerId=O-1", "providerId=P-2", "soc=6135",
                                           "jobRole=careWorker", "weeklyHours=full-time", "hourlyPayPence=1240", "channel=direct"]).standardError
        #expect(notNumber.hasPrefix("careledger: /data/weeklyHours: must be a number"), "\(notNumber)")
        let spell = try cli.expect(3, ["record", "EmploymentEnded", "--on", "2024-06-30", "workerRef=W-1", "spellId=S-9", "reason=choseToLeave"]).standardError
        #expect(spell.hasPrefix("careledger: /data/spellId: names spell S-9, which was never started"), "\(spell)")
        #expect(try cli.expect(3, ["record", "WorkerArrived", "--on", "2024-01-20", "workerRef=W-1", "mood=good"]).standardError.contains("/data/mood: is not a known field here"))
        #expect(try cli.expect(3, ["record", "EmploymentEnded", "--on", "2024-06-30", "workerRef=W-1", "spellId=S-9", "reason=choseToLeave", "--check"])
            .standardError.contains("/data/spellId"))
        #expect(try cli.expect(2, ["record", "WorkerArrived", "--on", "2024-01-20", "workerRef=W-1", "workerRef=W-2"]).standardError.contains("workerRef is given twice"))
        #expect(try cli.expect(2, ["record", "JobOfferMade", "--on", "2024-01-10", "repaymentClause=none", "repaymentClause.months=3"]).standardError.contains("given whole and by its members"))
        try cli.expect(2, ["record", "WorkerArrived", "workerRef=W-1"])  // no --on: the day it happened is the writer's to say
        #expect(try cli.expect(2, ["record", "EmploymentEnd", "--on", "2024-06-30"]).standardError.contains("no event type is called \"EmploymentEnd\" (did you mean EmploymentEnded?)"))
        try cli.expect(2, ["record", "WorkerArrived", "--on", "2024-01-20", "W-1"])
        try cli.expect(4, ["record", "WorkerArrived", "--on", "2024-01-20", "workerRef=W-1", "--expect", "worker-W-1=1"])
        #expect(try cli.digest() == head, "the log is as it was")

        // With an id, sending it again changes nothing.
        let id = ["--id", "00000000-0000-4000-8000-0000000000aa"]
        try cli.expect(0, ["record", "WorkerArrived", "--on", "2024-01-20", "workerRef=W-1"] + id)
        #expect(try cli.expect(0, ["record", "WorkerArrived", "--on", "2024-01-20", "workerRef=W-1"] + id).standardOutput.hasPrefix("Nothing new"))
    }

    /// Events that must land together are recorded with --show into one file and appended as one
    /// batch (as `record --help` shows): --show checks the event's fields but not the log, so an
    /// event may name a case opened earlier in the same file; and if any is refused, none lands.
    @Test func showingEventsIntoOneFileMakesOneAtomicBatch() throws {
        let cli = try CLIWorkspace().initialised()
        let head = try cli.digest()
        let file = cli.folder.file("placed.ndjson")
        func show(_ arguments: [String]) throws -> String { try cli.expect(0, ["record"] + arguments + ["--show"]).standardOutput }
        let opened = try show(["CaseOpened", "--on", "2025-06-01", "caseId=C-7", "workerRef=W-1", "caseType=replacement", "channel=partner", "ownerPartnerId=PT-1"])
        let placed = try show(["ReplacementSecured", "--on", "2025-06-02", "caseId=C-7", "newProviderId=P-2", "evidence=verified"])
        let closed = try show(["CaseClosed", "--on", "2025-06-02", "caseId=C-7", "outcome=placed"])
        #expect(try cli.digest() == head, "--show writes nothing")
        #expect(try cli.expect(3, ["record", "CaseClosed", "--on", "2025-06-02", "caseId=C-7", "outcome=plaed", "--show"]).standardError.contains("/data/outcome"))

        // A batch whose last event is refused (the case closed twice) lands none of them.
        #expect(FileManager.default.createFile(atPath: file, contents: Data((opened + placed + closed + closed).utf8)))
        #expect(try cli.expect(3, ["append", file]).standardError.contains("line 4"))
        #expect(try cli.digest() == head)
        #expect(FileManager.default.createFile(atPath: file, contents: Data((opened + placed + closed).utf8)))
        #expect(try cli.expect(0, ["append", file]).standardOutput.hasPrefix("Appended 3 events (seq 9 to 11)."))
    }

    /// Identical rows of a return are so many events; the return sent again by someone else (its
    /// meta another's) names the same ones, each recognised through the ids of those before it.
    @Test func identicalRowsSentAgainWithOtherMetaAreTheEventsStored() throws {
        let cli = try CLIWorkspace().initialised()
        let row = "2024-06-03,W-1"
        let first = cli.folder.write("arrivals.csv", "occurredOn,workerRef,meta.source\n\([row, row, row].map { $0 + ",January return" }.joined(separator: "\n"))\n")
        #expect(try cli.expect(0, ["record", "WorkerArrived", "--rows", first]).standardOutput.hasPrefix("Appended 3 events (seq 9 to 11)."))
        let again = cli.folder.write("again.csv", "occurredOn,workerRef,meta.source\n\([row, row, row, row].map { $0 + ",resent" }.joined(separator: "\n"))\n")
        let answer = try cli.expect(0, ["record", "WorkerArrived", "--rows", again]).standardOutput
        #expect(answer.hasPrefix("Appended 1 event (seq 12 to 12)."), "three rows stored, the fourth new: \(answer)")
    }

    /// `--rows FILE`: a spreadsheet's rows as events of one type, in one atomic batch, each cell
    /// made what its field takes; every refusal names the file's line, past quoted line breaks.
    @Test func aSpreadsheetsRowsAreRecordedAsOneBatch() throws {
        let cli = try CLIWorkspace().initialised()
        let head = try cli.digest()
        let offers = cli.folder.write("offers.csv", """
            \u{FEFF}occurredOn,workerRef,offerId,providerId,soc,jobRole,weeklyHours,hourlyPayPence,channel,repaymentClause.amountPence,repaymentClause.months,repaymentClause.interestFree,repaymentClause.itemised,id,meta.source\r
            2024-01-10,W-1,O-1,P-2,6135,careWorker,37.5,1240,direct,200000,24,true,false,00000000-0000-4000-8000-0000000000b1,"return, January"\r
            2024-01-11,W-1,O-2,P-1,6136,nurse,20,1500,regionalMatching,,,,,,\r
            ,,,,,,,,,,,,,,\r

            """)
        let shown = try cli.expect(0, ["record", "JobOfferMade", "--rows", offers, "--show"]).standardOutput.split(separator: "\n")
        #expect(shown.count == 2)
        let first = try JSONValue(parsing: String(shown[0])), second = try JSONValue(parsing: String(shown[1]))
        #expect(first["data"]?["weeklyHours"] == .number(37.5) && first["data"]?["hourlyPayPence"] == 1240 && first["data"]?["soc"] == "6135")
        #expect(first["data"]?["repaymentClause"] == .object([("amountPence", 200000), ("months", 24), ("interestFree", true), ("itemised", false)]))
        #expect(first["id"] == "00000000-0000-4000-8000-0000000000b1" && first["meta"] == .object([("source", "return, January")]))
        #expect(second["data"]?["repaymentClause"] == nil && second["meta"] == nil, "blank cells are no values")
        #expect(second["id"]?.stringValue?.dropFirst(14).first == "8", "a row without an id is given the one its content derives (UUID version 8)")
        #expect(try cli.digest() == head)
        #expect(try cli.expect(0, ["record", "JobOfferMade", "--rows", offers]).standardOutput.hasPrefix("Appended 2 events (seq 9 to 10)."))
        // Recorded again by mistake, the same return changes nothing: its rows' ids are derived.
        #expect(try cli.expect(0, ["record", "JobOfferMade", "--rows", offers]).standardOutput.hasPrefix("Nothing new: all 2 events were already stored."))
        // A corrected return, sent by someone else (its meta another's), adds only its new row: a
        // row's derived id names its fact, whoever sends it; the stored event keeps its meta.
        let corrected = cli.folder.write("corrected.csv", """
            occurredOn,workerRef,offerId,providerId,soc,jobRole,weeklyHours,hourlyPayPence,channel,meta.source
            2024-01-12,W-1,O-3,P-1,6136,nurse,20,1500,direct,corrected return
            2024-01-11,W-1,O-2,P-1,6136,nurse,20,1500,regionalMatching,corrected return

            """)
        let again = try cli.expect(0, ["record", "JobOfferMade", "--rows", corrected]).standardOutput
        #expect(again.hasPrefix("Appended 1 event (seq 11 to 11).") && again.contains("10   worker-W-1  ") && again.contains("already stored"), "\(again)")
        #expect(try JSONValue(parsing: cli.expect(0, ["read", "--from", "10", "--limit", "1"]).standardOutput)["meta"] == nil, "the first sending's meta stands")
        // The same fact sent with its id, from a system of its own (a UUID of version 4), is held
        // to SPEC 2: other meta under an id already stored is a conflict.
        let stored = try JSONValue(parsing: cli.expect(0, ["read", "--from", "9", "--limit", "1"]).standardOutput)
        let ownID = cli.folder.write("own-id.csv", "occurredOn,workerRef,offerId,providerId,soc,jobRole,weeklyHours,hourlyPayPence,channel,repaymentClause.amountPence,repaymentClause.months,repaymentClause.interestFree,repaymentClause.itemised,id,meta.source\n2024-01-10,W-1,O-1,P-2,6135,careWorker,37.5,1240,direct,200000,24,true,false,\(stored["id"]!.stringValue!),another source\n")
        #expect(try cli.expect(4, ["record", "JobOfferMade", "--rows", ownID]).standardError.contains("/id: the id is already stored (seq 9) with different content (/meta/source"))

        // A list's values in one cell, and a blank list cell the empty list.
        let concerns = cli.folder.write("concerns.csv", "occurredOn,concernId,workerRef,indicators,referredTo\n2024-02-01,SG-7,W-1,\"fees,debt\",\n")
        try cli.expect(0, ["record", "SafeguardingConcernRaised", "--rows", concerns])
        #expect(try Self.last(cli)["data"]?["indicators"] == ["fees", "debt"] && Self.last(cli)["data"]?["referredTo"] == .array([]))

        // A refused row: nothing lands, and the file's line is named (line 4: after a cell over two lines).
        let head2 = try cli.digest()
        let leavers = cli.folder.write("leavers.csv", "occurredOn,workerRef,spellId,reason,meta.note\n2024-06-30,W-1,S-1,choseToLeave,\"left\nfor family\"\n2024-06-30,W-1,S-9,retired,\n2024-13-01,W-1,S-1,retired,\n")
        let refused = try cli.expect(3, ["record", "EmploymentEnded", "--rows", leavers]).standardError
        #expect(refused.hasPrefix("careledger: line 4: /data/spellId: names spell S-9") && refused.contains("--rows \(leavers) --check"), "\(refused)")
        // A check lists each mistake of a row, not only its first, and counts the row once.
        let starters = cli.folder.write("starters.csv", "occurredOn,workerRef,spellId,providerId,jobRole,contractType,viaReplacement\n2024-07-01,W-1,S-20,P-1,Care worker,Permanent,Yes\n2024-07-01,W-1,S-21,P-1,careWorker,permanent,false\n")
        let listed = try cli.expect(3, ["record", "EmploymentStarted", "--rows", starters, "--check"]).standardOutput
        #expect(listed.contains("line 2: /data/jobRole:") && listed.contains("line 2: /data/contractType:") && listed.contains("line 2: /data/viaReplacement: must be true or false, not the text \"Yes\" (did you mean true?)"), "\(listed)")
        #expect(listed.contains("Checked 2 events of \(starters): 1 would be appended, 1 refused."), "\(listed)")
        #expect(try cli.expect(3, ["record", "EmploymentStarted", "--rows", starters]).standardError.hasPrefix("careledger: line 2: /data/jobRole:"), "a batch is refused for its first mistake")
        let checked = try cli.expect(3, ["record", "EmploymentEnded", "--rows", leavers, "--check"]).standardOutput
        #expect(checked.contains("line 4: /data/spellId") && checked.contains("line 5: /occurredOn") && checked.contains("1 would be appended, 2 refused"), "\(checked)")
        #expect(try cli.digest() == head2)
        // One row alone is named by its line too.
        let one = cli.folder.write("one.csv", "occurredOn,workerRef\n2024-06-30,W 1\n")
        #expect(try cli.expect(3, ["record", "WorkerArrived", "--rows", one]).standardError.hasPrefix("careledger: line 2: /data/workerRef"))

        // What the header or the command line gets wrong is a usage error.
        let undated = cli.folder.write("undated.csv", "workerRef\nW-1\n")
        #expect(try cli.expect(2, ["record", "WorkerArrived", "--rows", undated]).standardError.contains("names no occurredOn column"))
        let twice = cli.folder.write("twice.csv", "occurredOn,workerRef,workerRef\n2024-06-30,W-1,W-1\n")
        #expect(try cli.expect(2, ["record", "WorkerArrived", "--rows", twice]).standardError.contains("the column workerRef twice"))
        let misnamed = cli.folder.write("misnamed.csv", "occurredOn,Worker Ref\n2024-06-30,W-1\n2024-07-01,W-2\n")
        let once = try cli.expect(2, ["record", "WorkerArrived", "--rows", misnamed, "--check"])
        #expect(once.standardError.contains("misnamed.csv's column \"Worker Ref\" (B) is not a field of WorkerArrived (did you mean workerRef?), and line 2 fills it")
                && !once.standardOutput.contains("line 3"), "once, not a line per row: \(once.standardError)")
        #expect(try cli.expect(2, ["record", "WorkerArrived", "--rows", one, "--on", "2024-06-30"]).standardError.contains("give no FIELD=VALUE, --on"))
        #expect(try cli.expect(2, ["record", "WorkerArrived", "workerRef=W-1"]).standardError.contains("--on is required"))
        #expect(try cli.digest() == head2)
    }

    /// `--rows FILE` without TYPE: a return that mixes types (starters, leavers, a concern) in
    /// one sheet, its type column naming each row's; a cell blank where a row's type has no such
    /// field, a list's column too.
    /// A corrected return in place of the one recorded before, in one batch: what it no longer
    /// has retracted first (so a corrected end may take the place of the wrong one), what it
    /// has anew recorded, the rest left; recorded again, it changes nothing.
    @Test func aCorrectedReturnReplacesTheOneRecordedBefore() throws {
        let cli = try CLIWorkspace().initialised()
        let header = "type,occurredOn,workerRef,spellId,reason,kind,title\n"
        let first = cli.folder.write("return.csv", header + """
            TrainingCompleted,2024-05-01,W-1,,,mandatory,Fire safety
            TrainingCompleted,2024-05-02,W-1,,,mandatory,Moving and handling
            EmploymentEnded,2024-06-30,W-1,S-1,choseToLeave,,

            """)
        try cli.expect(0, ["record", "--rows", first])  // seq 9, 10, 11
        let corrected = cli.folder.write("return-v2.csv", header + """
            TrainingCompleted,2024-05-01,W-1,,,mandatory,Fire safety
            EmploymentEnded,2024-07-31,W-1,S-1,choseToLeave,,
            TrainingCompleted,2024-05-03,W-1,,,mandatory,Infection control

            """)
        let head = try cli.digest()
        func shown(_ text: String) -> String { text.replacingOccurrences(of: cli.folder.path + "/", with: "") }
        // A corrected row refused names its line of the corrected file; nothing is written.
        let wrong = cli.folder.write("return-v3.csv", header + "TrainingCompleted,2024-05-03,W-9,,,mandatory,Infection control\n")
        #expect(try cli.expect(3, ["record", "--rows", wrong, "--replaces", first]).standardError
            .hasPrefix("careledger: line 2: /data/workerRef: names worker W-9, which does not exist"))
        // A row the two share is checked too: taken as recorded, it would never be.
        let unrecorded = cli.folder.write("never.csv", header + "TrainingCompleted,2024-05-01,W-1,,,mandatory,Fire safety\nTrainingCompleted,2024-05-03,W-1,,,mandatory,Infection control\n")
        #expect(shown(try cli.expect(3, ["record", "--rows", corrected, "--replaces", unrecorded]).standardError)
            .contains("line 3 of never.csv records an event the log does not hold, so never.csv is not the return recorded before"))
        let checked = shown(try cli.expect(0, ["record", "--rows", corrected, "--replaces", first, "--check"]).standardOutput)
        #expect(checked == "Checked: 2 events of return.csv to retract, 2 rows of return-v2.csv to record (line 3 correcting line 4 of return.csv), 1 row as it was. Nothing was written.\n", "\(checked)")
        #expect(try cli.digest() == head)

        let replaced = shown(try cli.expect(0, ["record", "--rows", corrected, "--replaces", first, "--reason", "Provider corrected its return"]).standardOutput)
        #expect(replaced.hasPrefix("Replaced return.csv by return-v2.csv: retracted 2 events of return.csv (seq 10, 11; EventRetracted at seq 12-13) and recorded 2 rows of return-v2.csv (seq 14-15; line 3 correcting line 4 of return.csv); 1 row as it was."), "\(replaced)")
        let retraction = try RetractCommandTests.event(cli, at: 13)
        #expect(retraction["data"]?["reason"] == "Provider corrected its return" && retraction["meta"]?["source"] == "careledger record --replaces")
        let correctedEnd = try RetractCommandTests.event(cli, at: 14)
        #expect(correctedEnd["occurredOn"] == "2024-07-31", "the corrected end takes the place of the wrong one")
        // The end differs from the wrong one in its date alone: it names it. The new training
        // differs from the one dropped in its date and title: which it corrects, if any, is not
        // known, so it names none.
        #expect(correctedEnd["meta"]?["corrects"] == (try RetractCommandTests.event(cli, at: 11))["id"])
        #expect(try RetractCommandTests.event(cli, at: 15)["meta"]?["corrects"] == nil)
        try cli.expect(0, ["verify"])
        let again = shown(try cli.expect(0, ["record", "--rows", corrected, "--replaces", first]).standardOutput)
        #expect(again.hasPrefix("Nothing to change: return-v2.csv is in place of return.csv already (2 events of return.csv retracted before)"), "\(again)")

        // A corrected row that keeps its id column would be lost as "unchanged": it is refused.
        let ids = "type,occurredOn,workerRef,kind,title,id\nTrainingCompleted,2024-08-01,W-1,mandatory,First aid,5b0c2b8e-3f0a-4c1e-9a54-2f1d0c3b7a10\n"
        let withID = cli.folder.write("ids.csv", ids)
        try cli.expect(0, ["record", "--rows", withID])
        let keptID = cli.folder.write("ids-v2.csv", ids.replacingOccurrences(of: "First aid", with: "First aid at work"))
        #expect(shown(try cli.expect(3, ["record", "--rows", keptID, "--replaces", withID]).standardError)
            .hasPrefix("careledger: line 2: /id: has the id of line 2 of ids.csv, with other content"))
    }

    /// The earlier return's sheet: `--replaces-sheet`'s, else `--sheet`'s when it is a
    /// workbook too (two returns of one template), else its first.
    @Test func theEarlierReturnsSheetIsChosenApart() throws {
        let cli = try CLIWorkspace().initialised()
        let workbook = cli.folder.file("provider-return.xlsx"), template = cli.folder.file("provider-return-shared.xlsx")
        try FileManager.default.copyItem(atPath: Self.workbooks[0], toPath: workbook)
        try FileManager.default.copyItem(atPath: Self.workbooks[1], toPath: template)
        try cli.expect(0, ["record", "--rows", workbook, "--sheet", "Notes"])  // seq 9: W-1 arrived on 2024-01-01
        let head = try cli.digest()
        func said(_ text: String) -> String { text.replacingOccurrences(of: cli.folder.path + "/", with: "") }
        let fixed = cli.folder.write("notes-v2.csv", "type,occurredOn,workerRef\nWorkerArrived,2024-01-02,W-1\n")
        // Its first sheet is not the return recorded before.
        let first = try cli.expect(3, ["record", "--rows", fixed, "--replaces", workbook, "--check"]).standardError
        #expect(said(first).contains("of provider-return.xlsx records an event the log does not hold"), "\(first)")
        #expect(try cli.expect(2, ["record", "--rows", fixed, "--replaces", workbook, "--replaces-sheet", "notes"]).standardError
            .contains(#"provider-return.xlsx has no sheet named "notes" (did you mean Notes?); its sheets: Return, Notes"#))
        #expect(try cli.expect(2, ["record", "--rows", fixed, "--replaces-sheet", "Notes"]).standardError.contains("--replaces-sheet names the sheet of the workbook given with --replaces EARLIER"))
        let csv = try cli.expect(2, ["record", "--rows", fixed, "--replaces", fixed, "--replaces-sheet", "Notes"]).standardError
        #expect(said(csv).contains("--replaces-sheet names a workbook's sheet, and notes-v2.csv is CSV"), "\(csv)")
        #expect(try cli.digest() == head)
        let replaced = said(try cli.expect(0, ["record", "--rows", fixed, "--replaces", workbook, "--replaces-sheet", "Notes"]).standardOutput)
        #expect(replaced.hasPrefix("Replaced provider-return.xlsx by notes-v2.csv: retracted 1 event of provider-return.xlsx (seq 9; EventRetracted at seq 10) and recorded 1 row of notes-v2.csv (seq 11; line 2 correcting line 2 of provider-return.xlsx)"), "\(replaced)")
        // Two workbooks of one template: --sheet reads both.
        let same = said(try cli.expect(0, ["record", "--rows", template, "--sheet", "Notes", "--replaces", workbook]).standardOutput)
        // Its one row is the arrival retracted above: it stays so, and the answer says it.
        #expect(same == "Nothing to change: provider-return-shared.xlsx records what provider-return.xlsx recorded. Line 2 of provider-return-shared.xlsx is seq 9, retracted at seq 10, and stays so: to record it anew, give it an id column holding a new UUID. Nothing was written.\n", "\(same)")
    }

    @Test func aReturnOfMixedTypesIsRecordedByItsTypeColumn() throws {
        let cli = try CLIWorkspace().initialised()
        let head = try cli.digest()
        let columns = "type,occurredOn,workerRef,spellId,reason,providerId,jobRole,contractType,viaReplacement,concernId,indicators,referredTo\n"
        let good = """
            EmploymentEnded,2024-06-30,W-1,S-1,choseToLeave,,,,,,,
            EmploymentStarted,2024-07-01,W-1,S-2,,P-1,careWorker,permanent,false,,,
            SafeguardingConcernRaised,2024-07-02,W-1,,,,,,,SG-8,fees,

            """
        let mixed = cli.folder.write("return.csv", columns + good)

        // TYPE given: a row of another type is refused by its line.
        let one = try cli.expect(3, ["record", "EmploymentEnded", "--rows", mixed, "--check"]).standardError
        #expect(one.contains("line 3: /type: this row's type column says EmploymentStarted, and the rows are recorded as EmploymentEnded"), "\(one)")

        // Mistakes: a type misspelt, a field the row's type does not have. --check lists both.
        let bad = cli.folder.write("bad.csv", columns + """
            Employmentended,2024-06-30,W-1,S-1,choseToLeave,,,,,,,
            EmploymentStarted,2024-07-01,W-1,S-2,retired,P-1,careWorker,permanent,false,,,
            ,2024-07-01,W-1,,,,,,,,,

            """)
        let checked = try cli.expect(3, ["record", "--rows", bad, "--check"]).standardOutput
        #expect(checked.contains("line 2: /type: must name an event type of the catalogue"), "\(checked)")
        #expect(checked.contains("\"Employmentended\" is not one (did you mean EmploymentEnded?)"), "\(checked)")
        #expect(checked.contains("line 3: /data/reason: is not a known field here") && checked.contains("line 4: /type"), "\(checked)")
        #expect(try cli.digest() == head)
        let unnamed = cli.folder.write("unnamed.csv", columns + ",2024-07-01,W-1,,,,,,,,,\n")
        #expect(try cli.expect(3, ["record", "--rows", unnamed]).standardError.contains("line 2: /type: must name an event type of the catalogue"))
        #expect(try cli.expect(3, ["record", "--rows", bad, "--show"]).standardError.contains("line 2: /type: \"Employmentended\" is not an event type of the catalogue (did you mean EmploymentEnded?)"))
        let untyped = cli.folder.write("untyped.csv", "occurredOn,workerRef\n2024-07-01,W-1\n")
        #expect(try cli.expect(2, ["record", "--rows", untyped]).standardError.contains("untyped.csv's header names no type column"))
        #expect(try cli.expect(2, ["record", "--on", "2024-07-01"]).standardError.contains("name the event type"))

        // The good return: each row its own type, blank cells no values, the concern's blank list empty.
        let shown = try cli.expect(0, ["record", "--rows", mixed, "--show"]).standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(shown.map { $0["type"] } == ["EmploymentEnded", "EmploymentStarted", "SafeguardingConcernRaised"])
        #expect(shown[0]["data"] == .object([("workerRef", "W-1"), ("spellId", "S-1"), ("reason", "choseToLeave")]), "\(shown[0].compactText)")
        #expect(shown[1]["data"]?["viaReplacement"] == false && shown[1]["data"]?["referredTo"] == nil)
        #expect(shown[2]["data"]?["indicators"] == ["fees"] && shown[2]["data"]?["referredTo"] == .array([]))
        #expect(try cli.expect(0, ["record", "--rows", mixed]).standardOutput.hasPrefix("Appended 3 events (seq 9 to 11)."))
        try cli.expect(0, ["verify"])
    }

    /// A return whose title sits above its header, as providers' templates have one: the rows
    /// under the header are recorded, and refusals name the file's own lines.
    @Test func aTitleAboveTheHeaderIsNotRecorded() throws {
        let cli = try CLIWorkspace().initialised()
        let head = try cli.digest()
        let title = "Leavers return,,,\nProvider P-1 (Q2 2025),,,\n\noccurredOn,workerRef,spellId,reason\n"
        let bad = cli.folder.write("bad.csv", title + "2024-06-30,W-1,S-1,goneFishing\n")
        let refused = try cli.expect(3, ["record", "EmploymentEnded", "--rows", bad, "--check"]).standardOutput
        #expect(refused.contains("line 5: /data/reason"), "\(refused)")
        #expect(try cli.digest() == head)
        let good = cli.folder.write("good.csv", title + "2024-06-30,W-1,S-1,choseToLeave\n")
        #expect(try cli.expect(0, ["record", "EmploymentEnded", "--rows", good]).standardOutput.hasPrefix("Appended 1 event (seq 9 to 9)."))
    }

    /// The workbooks of `Tools/fixtures/make-return-workbook.py`, written by openpyxl and by
    /// XlsxWriter (text inline, and in a shared table as Excel keeps it; dates as numbers, and as
    /// ISO 8601 date cells), and of `Tools/fixtures/make-return-ods.sh`, saved by LibreOffice
    /// (the first's boolean as `=FALSE()`; a boolean cell, a comment and a date with a time of day),
    /// also saved by it as flat `.fods` documents.
    static let workbooks = ["provider-return.xlsx", "provider-return-shared.xlsx", "provider-return-iso-dates.xlsx",
                            "provider-return.ods", "provider-return-typed.ods", "provider-return.fods", "provider-return-typed.fods"].map {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/\($0)").standardized.path
    }

    /// An Excel 2003 XML spreadsheet, as older HR and rostering systems export (often named
    /// `.xls`): LibreOffice's save of the typed return reads as the other workbooks do; and one
    /// written as Excel writes it, its first sheet hidden, a row and a cell placed by `ss:Index`,
    /// a cell spanning two columns, a comment, and its elements indented.
    @Test func anExcel2003XMLSpreadsheetIsRecordedAsItsRows() throws {
        let cli = try CLIWorkspace().initialised()
        let head = try cli.digest()
        let workbook = cli.folder.file("return.xls")
        try FileManager.default.copyItem(atPath: Self.spreadsheetML, toPath: workbook)
        let shown = try cli.expect(0, ["record", "--rows", workbook, "--show"])
        let events = try shown.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(events.map { $0["type"] } == ["EmploymentEnded", "EmploymentStarted", "TrainingCompleted", "JobOfferMade"], "\(shown.standardOutput)")
        #expect(events.map { $0["occurredOn"] } == ["2024-06-30", "2024-07-01", "2024-07-02", "2024-07-03"], "a date with a time of day is its day")
        #expect(events[1]["data"]?["viaReplacement"] == false && events[2]["data"]?["title"] == "ESOL, Entry 3" && events[3]["data"]?["hourlyPayPence"] == 1240)
        #expect(shown.standardError.contains("return.xls's sheet Return, not its other sheet, Notes (--sheet NAME reads another)"), "\(shown.standardError)")
        #expect(try cli.expect(3, ["record", "EmploymentEnded", "--rows", workbook, "--check"]).standardError
            .contains("line 4: /type: this row's type column says EmploymentStarted"), "row 4 of the sheet, past its blank row 3")
        let whole = try Data(contentsOf: URL(fileURLWithPath: workbook))
        let cut = cli.folder.file("cut.xls")
        try whole.prefix(whole.count * 3 / 4).write(to: URL(fileURLWithPath: cut))
        #expect(try cli.expect(3, ["record", "--rows", cut]).standardError.contains("cut.xls is damaged: it is not well-formed XML"), "refused whole, not read as far as it goes")
        let asEvents = try cli.expect(3, ["import", workbook]).standardError
        #expect(asEvents.contains("is a workbook (.xlsx, .ods, .fods, Excel 2003 XML or a web page's tables), not events written as NDJSON"), "\(asEvents)")

        let excel = cli.folder.write("excel.xml", """
            <?xml version="1.0"?>
            <?mso-application progid="Excel.Sheet"?>
            <Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office"
             xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
             <Worksheet ss:Name="Lookups">
              <Table><Row><Cell><Data ss:Type="String">not a return</Data></Cell></Row></Table>
              <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetHidden</Visible></WorksheetOptions>
             </Worksheet>
             <Worksheet ss:Name="Leavers">
              <Table>
               <Row ss:Index="2">
                <Cell><Data ss:Type="String">occurredOn</Data></Cell>
                <Cell><Data ss:Type="String">workerRef</Data></Cell>
                <Cell><Data ss:Type="String">spellId</Data></Cell>
                <Cell><Data ss:Type="String">reason</Data></Cell>
               </Row>
               <Row>
                <Cell><Data ss:Type="DateTime">2024-06-30T00:00:00.000</Data></Cell>
                <Cell><Data ss:Type="String">W-1</Data><Comment ss:Author="HR"><ss:Data xmlns="http://www.w3.org/TR/REC-html40">checked</ss:Data></Comment></Cell>
                <Cell ss:Index="4"><Data ss:Type="String">choseToLeave</Data></Cell>
               </Row>
               <Row ss:Index="6">
                <Cell ss:MergeAcross="1"><Data ss:Type="DateTime">2024-07-31T00:00:00.000</Data></Cell>
                <Cell><Data ss:Type="String">S-1</Data></Cell>
               </Row>
              </Table>
             </Worksheet>
            </Workbook>

            """)
        let read = try cli.expect(3, ["record", "EmploymentEnded", "--rows", excel, "--check"])
        // Row 3 lacks its spellId (its third cell is blank); row 6's date spans two columns, so
        // its S-1 is the third column's and its workerRef blank: each refused by its row number.
        #expect(read.standardOutput.contains("line 3: /data/spellId: is required and missing") && read.standardOutput.contains("line 6: /data/workerRef: is required and missing")
                && !read.standardOutput.contains("checked") && !read.standardOutput.contains("not a return"), "\(read.standardOutput)")
        #expect(read.standardError.contains("excel.xml's sheet Leavers, not its other sheet, Lookups"), "the hidden first sheet is passed over: \(read.standardError)")
        // A cell placed past the largest sheet, as a damaged or hostile file might: refused, not counted up to.
        let far = cli.folder.write("far.xml", #"<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S"><Table><Row><Cell ss:Index="9223372036854775807" ss:MergeAcross="9223372036854775807"><Data ss:Type="String">x</Data></Cell></Row></Table></Worksheet></Workbook>"#)
        #expect(try cli.expect(3, ["record", "EmploymentEnded", "--rows", far]).standardError.contains("far.xml's sheet S is larger than the largest sheet read"))
        let hidden = try cli.expect(2, ["record", "EmploymentEnded", "--rows", excel, "--sheet", "Lookup"]).standardError
        #expect(hidden.contains(#"has no sheet named "Lookup" (did you mean Lookups?); its sheets: Lookups, Leavers"#), "\(hidden)")
        #expect(try cli.digest() == head)
    }

    /// The typed return saved by LibreOffice as an Excel 2003 XML spreadsheet (`Tools/fixtures/make-return-ods.sh`).
    static let spreadsheetML = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/provider-return-typed.xml").standardized.path

    /// `--rows` takes a provider's return as the .xlsx, .ods or .fods file it came in: its first sheet, date
    /// cells as days (one shown dd/mm/yyyy), numbers and booleans as their fields take them, and
    /// refusals naming the sheet's row numbers, past a blank row.
    @Test func aWorkbooksFirstSheetIsRecordedAsItsRows() throws {
        let cli = try CLIWorkspace().initialised()
        let head = try cli.digest()
        for workbook in Self.workbooks {
            let shown = try cli.expect(0, ["record", "--rows", workbook, "--show"]).standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
            #expect(shown.map { $0["type"] } == ["EmploymentEnded", "EmploymentStarted", "TrainingCompleted", "JobOfferMade"], "\(workbook)")
            #expect(shown.map { $0["occurredOn"] } == ["2024-06-30", "2024-07-01", "2024-07-02", "2024-07-03"], "\(workbook)")
            #expect(shown[0]["data"]?["workerRef"] == "W-1", "a comment on the cell is not its text: \(workbook)")
            #expect(shown[1]["data"]?["viaReplacement"] == false && shown[2]["data"]?["title"] == "ESOL, Entry 3", "\(workbook)")
            #expect(shown[3]["data"]?["soc"] == "6135" && shown[3]["data"]?["weeklyHours"] == .number(37.5) && shown[3]["data"]?["hourlyPayPence"] == 1240,
                    "\(shown[3].compactText)")
            let refused = try cli.expect(3, ["record", "EmploymentEnded", "--rows", workbook, "--check"]).standardError
            #expect(refused.contains("line 4: /type: this row's type column says EmploymentStarted"), "row 4 of the sheet, past its blank row 3: \(refused)")
        }
        #expect(try cli.digest() == head)
        // The first sheet is read, and the others named, so that nobody takes it for the whole
        // return; --sheet reads another (these workbooks' second sheet, Notes, an arrival).
        let named = try cli.expect(0, ["record", "--rows", Self.workbooks[0], "--show"])
        #expect(named.standardError.contains("provider-return.xlsx's sheet Return, not its other sheet, Notes (--sheet NAME reads another)"), "\(named.standardError)")
        for workbook in Self.workbooks.prefix(3) {
            let notes = try cli.expect(0, ["record", "--rows", workbook, "--sheet", "Notes", "--show"])
            #expect(notes.standardOutput.contains(#""type":"WorkerArrived""#) && notes.standardError.isEmpty, "\(workbook): \(notes.standardOutput)\(notes.standardError)")
        }
        for workbook in Self.workbooks.suffix(4) {
            #expect(try cli.expect(2, ["record", "--rows", workbook, "--sheet", "notes"]).standardError.contains(#"has no sheet named "notes" (did you mean Notes?); its sheets: Return, Notes"#))
        }
        #expect(try cli.expect(0, ["record", "--rows", Self.workbooks[5], "--sheet", "Notes", "--show"]).standardOutput.contains(#""type":"WorkerArrived""#))
        #expect(try cli.expect(2, ["record", "--rows", cli.folder.write("one.csv", "occurredOn,workerRef\n"), "--sheet", "Notes"]).standardError.contains("is CSV, a single sheet"))
        #expect(try cli.digest() == head)
        #expect(try cli.expect(0, ["record", "--rows", Self.workbooks[1]]).standardOutput.hasPrefix("Appended 4 events (seq 9 to 12)."))
        let damaged = cli.folder.write("damaged.xlsx", "PK\u{3}\u{4} not the rest of a workbook")
        #expect(try cli.expect(3, ["record", "--rows", damaged]).standardError.contains("damaged.xlsx is not a workbook that can be read"))
        // A ZIP file that is neither, and an OpenDocument file that is not a spreadsheet: said so.
        let archive = cli.folder.file("notes.odt")
        try zip(["mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"], to: archive)
        #expect(try cli.expect(3, ["record", "--rows", archive]).standardError.contains("notes.odt is an OpenDocument file but not a spreadsheet (it says it is application/vnd.oasis.opendocument.text): save it as .xlsx or .ods"))
        let other = cli.folder.file("photos.zip")
        try zip(["photo.txt": "not a sheet"], to: other)
        #expect(try cli.expect(3, ["record", "--rows", other]).standardError.contains("photos.zip is a ZIP file but not a workbook"))
        // An Excel 97-2003 file, as an OLE compound file begins: said so, rather than "not UTF-8".
        let old = cli.folder.file("old.xls")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0]).write(to: URL(fileURLWithPath: old))
        #expect(try cli.expect(3, ["record", "--rows", old]).standardError.contains("old.xls is an old Excel workbook (.xls), which is not read: save it as .xlsx"))
        // Other documents sent in place of rows are named as what they are, where reading them
        // as CSV refused their markup as a header naming no occurredOn column.
        let others = [
            ("export.xls", "\u{FEFF}<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><body><table><tr><td>occurredOn</td></tr></table></body></html>",
             "export.xls holds a header and no rows"),  // a web page's tables are read as sheets
            // Excel's web page names the spreadsheet namespace too (and an ExcelWorkbook), but it is no Workbook.
            ("page.xls", "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\"><head><x:ExcelWorkbook></x:ExcelWorkbook></head><body><table><tr><td>occurredOn</td></tr></table></body></html>",
             "page.xls holds a header and no rows"),
            ("sheet.xml", "<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\"><Worksheet ss:Name=\"Return\"/></Workbook>",
             "sheet.xml's first sheet holds no rows"),  // read as a workbook now: its one sheet is empty
            ("notes.fodt", "<?xml version=\"1.0\"?><office:document office:mimetype=\"application/vnd.oasis.opendocument.text\"/>",
             "notes.fodt is an XML document, not a spreadsheet's rows: save it as .xlsx or .ods"),
            ("return.pdf", "%PDF-1.7\n%\u{E2}\u{E3}", "return.pdf is a PDF document"),
            ("events.ndjson", Fixtures.ndjson([Fixtures.examples["WorkerArrived"]!]), "events.ndjson is JSON, not a spreadsheet's rows: events written as JSON are appended as they are (careledger append or import"),
        ]
        for (file, text, refusal) in others + [("batch.json", "[\n  " + Fixtures.ndjson([Fixtures.examples["WorkerArrived"]!]) + "]", "batch.json is JSON")] {
            let said = try cli.expect(3, ["record", "WorkerArrived", "--rows", cli.folder.write(file, text)]).standardError
            #expect(said.contains("/\(refusal)") && !said.contains("occurredOn column"), "\(said)")
        }
        // A row dated after today is recorded as given, and named.
        let ahead = try cli.expect(0, ["record", "WorkerArrived", "--rows", cli.folder.write("ahead.csv", "occurredOn,workerRef\n2999-07-01,W-1\n"), "--check"])
        #expect(ahead.standardError.contains("careledger: note: line 2's occurredOn, 2999-07-01, is after today") && ahead.standardOutput.contains("1 would be appended"), "\(ahead.standardError)")
        let bracketed = cli.folder.write("bracketed.csv", "[occurredOn],workerRef\n2024-06-30,W-1\n")
        #expect(try cli.expect(2, ["record", "WorkerArrived", "--rows", bracketed]).standardError.contains("rename [occurredOn] to occurredOn"), "a header in brackets is still read as one")
        // A flat OpenDocument file cut short is refused whole, not read as far as it goes.
        let flat = try Data(contentsOf: URL(fileURLWithPath: Self.workbooks[5]))
        let cut = cli.folder.file("cut.fods")
        try flat.prefix(flat.count * 3 / 4).write(to: URL(fileURLWithPath: cut))
        let refusedCut = try cli.expect(3, ["record", "--rows", cut]).standardError
        #expect(refusedCut.contains("cut.fods is damaged: it is not well-formed XML (its first fault is at line"), "\(refusedCut)")
        try cli.expect(0, ["verify"])
    }

    /// Personal data recorded from the command line is sealed as any append's is.
    @Test func personalDataIsSealed() throws {
        let cli = try CLIWorkspace().initialised()
        let key = cli.folder.file("master.key")
        try cli.expect(0, ["keys", "init", "--master-key", key])
        try cli.expect(0, ["record", "WorkerRegistered", "--on", "2024-02-01", "workerRef=W-7", "route=selfReferral", "nationality=PH",
                           "laCode=E08000025", "pii.givenName=Marisolplain", "--master-key", key])
        let stored = try String(decoding: Data(contentsOf: URL(fileURLWithPath: cli.data + "/ledger/data.mdb")), as: UTF8.self)
        #expect(!stored.contains("Marisolplain"), "no plaintext in the log")
        #expect(try Self.last(cli)["data"]?["pii"] == "[redacted]")
        #expect(try cli.expect(0, ["read", "--stream", "worker-W-7", "--reveal", "--master-key", key]).standardOutput.contains("Marisolplain"))
        // A row whose fact is recorded with other personal data is refused as that, by its line:
        // it never sent the id a conflict would name, and a new id is what records it anew.
        let header = "occurredOn,workerRef,route,nationality,laCode,pii.givenName\n"
        let first = cli.folder.write("first.csv", header + "2024-02-02,W-8,selfReferral,PH,E08000025,Maria\n")
        try cli.expect(0, ["record", "WorkerRegistered", "--rows", first, "--master-key", key])
        let other = cli.folder.write("other.csv", header + "2024-02-02,W-8,selfReferral,PH,E08000025,Marisol\n")
        let refused = try cli.expect(4, ["record", "WorkerRegistered", "--rows", other, "--master-key", key]).standardError
        #expect(refused.contains("line 2: this row's fact is already recorded (seq 10) with other personal data (not shown): the ledger names the event a row without an id records by its fact (its type, date and data but personal data); if the row is another event, give it an id column holding a new UUID"),
                "\(refused)")
        #expect(!refused.contains("Maria") && !refused.contains("Marisol"), "neither value is shown")
    }
}
