import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `import --check` and `append --check`: every problem the batch would stop at, in its order,
/// and nothing written.
@Suite struct BatchCheckTests {
    /// A provider's return with five mistakes of four kinds among good events, checked against
    /// the base world.
    static func providerReturn() -> String {
        let stored = Fixtures.worldWithIDs[4]  // W-1's registration, as stored
        return Fixtures.ndjson([
            Fixtures.examples["WorkerRegistered"]!,                                           // 1: W-9, new
            Fixtures.setting(Fixtures.examples["WorkerArrived"]!, data: "workerRef", to: "W-9"),  // 2: relies on line 1
            Fixtures.setting(Fixtures.examples["EmploymentStarted"]!, data: "contractType", to: "zeroHours"),  // 3: schema
            Fixtures.setting(Fixtures.examples["WorkerArrived"]!, data: "workerRef", to: "W-404"),  // 4: no such worker
            stored,                                                                              // 5: already stored, same content
            Fixtures.setting(stored, data: "laCode", to: "E08000099"),                          // 6: its id, other content
            Fixtures.examples["CareCertificateAwarded"]!,                                      // 7: good
        ]) + "{\"type\": \n" + Fixtures.ndjson([                                               // 8: not JSON
            Fixtures.setting(Fixtures.examples["WorkerRegistered"]!, data: "workerRef", to: "W-1"),  // 9: W-1 exists
        ])
    }

    @Test func listsEveryRefusalInFileOrderAndWritesNothing() throws {
        let cli = try CLIWorkspace().initialised()
        let file = cli.folder.write("return.ndjson", Self.providerReturn())
        let before = try cli.digest()
        let dataFile = try Data(contentsOf: URL(fileURLWithPath: cli.data + "/ledger/data.mdb"))

        let check = try cli.expect(3, ["import", "--check", file])
        let lines = check.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 7, "\(check.standardOutput)")
        #expect(lines[0].hasPrefix("line 3: /data/contractType: must be one of"))
        #expect(lines[1].hasPrefix("line 4: /data/workerRef: names worker W-404, which does not exist"))
        #expect(lines[2].hasPrefix(#"line 6: /id: the id is already stored (seq 5) with different content (/data/laCode: stored "E08000025", sent "E08000099")"#), "\(lines[2])")
        #expect(lines[3].hasPrefix("line 8: not JSON"))
        #expect(lines[4].hasPrefix("line 9: /data/workerRef: worker W-1 already exists"))
        #expect(lines[5] == "Checked 9 events of \(file): 3 would be appended, 1 already stored (skipped), 5 refused. Nothing was written.")
        #expect(try cli.digest() == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.data + "/ledger/data.mdb")) == dataFile, "the data file is byte for byte as it was")

        // The import itself stops at the first of them, with the same words.
        let refused = try cli.expect(3, ["import", file])
        #expect(refused.standardError.contains(lines[0]))
        #expect(refused.standardError.hasSuffix("\nNothing was written. To list every problem at once: careledger import --check \(file)\n"))
        let appended = try cli.expect(3, ["append"], input: Self.providerReturn())
        #expect(appended.standardError.hasSuffix("\nNothing was written. To list every problem at once: careledger append --check (with the same input)\n"))
        let one = try cli.expect(3, ["append"], input: Fixtures.ndjson([Fixtures.setting(Fixtures.examples["WorkerArrived"]!, data: "workerRef", to: "W-404")]))
        #expect(one.standardError.hasSuffix("does not exist: no WorkerRegistered for it in the log or earlier in this batch\nNothing was written.\n"),
                "one event's refusal is all there is to say")
        #expect(try cli.digest() == before)

        // As JSON: each refusal's line, pointer, kind and detail.
        let json = try JSONValue(parsing: try cli.expect(3, ["import", "--check", "--json", file]).standardOutput)
        #expect(json["events"]?.integerValue == 9 && json["wouldAppend"]?.integerValue == 3 && json["duplicates"]?.integerValue == 1)
        #expect(json["refused"]?.integerValue == 5 && json["complete"] == .bool(true))
        let problems = json["problems"]?.arrayValue ?? []
        #expect(problems.map { $0["line"]?.integerValue } == [3, 4, 6, 8, 9])
        #expect(problems.map { $0["code"]?.stringValue } == ["rejected", "rejected", "conflict", "rejected", "rejected"])
        #expect(problems[2]["pointer"]?.stringValue == "/id" && problems[3]["pointer"] == nil)
    }

    /// A reference to a worker or case that the batch itself registers or opens on a later line
    /// (a return sorted by type) is refused, and the check says which line creates it.
    @Test func aReferenceBeforeItsRegistrationNamesTheLineThatRegistersIt() throws {
        let cli = try CLIWorkspace().initialised()
        let arrived = Fixtures.setting(Fixtures.examples["WorkerArrived"]!, data: "workerRef", to: "W-9")
        let opened = Fixtures.setting(Fixtures.setting(Fixtures.examples["CaseOpened"]!, data: "workerRef", to: "W-9"), data: "caseId", to: "C-9")
        let supported = Fixtures.setting(Fixtures.examples["SupportProvided"]!, data: "caseId", to: "C-9")
        let events = [arrived, supported, Fixtures.examples["WorkerRegistered"]!, Fixtures.setting(arrived, data: "workerRef", to: "W-404"), opened]
        let file = cli.folder.write("sorted-by-type.ndjson", Fixtures.ndjson(events))
        let lines = try cli.expect(3, ["import", "--check", file]).standardOutput.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("line 1: /data/workerRef: names worker W-9, which does not exist"))
        #expect(lines[0].hasSuffix("; line 3 registers it, later in this batch: events are taken in order, so put that one first"))
        #expect(lines[1].hasSuffix("; line 5 opens it, later in this batch: events are taken in order, so put that one first"))
        #expect(lines[2].hasPrefix("line 4: /data/workerRef: names worker W-404, which does not exist"))
        #expect(!lines[2].contains("later in this batch"), "nothing in the batch registers W-404")

        // The batch form, checked as POST /v1/events?check=true would: events by index.
        let batch = "{\"events\": [" + events.map(\.compactText).joined(separator: ",") + "]}"
        let json = try JSONValue(parsing: try cli.expect(3, ["append", "--check", "--json"], input: batch).standardOutput)
        let details = json["problems"]?.arrayValue?.compactMap { $0["detail"]?.stringValue } ?? []
        #expect(details.count == 3 && details[0].hasSuffix("; event 2 registers it, later in this batch: events are taken in order, so put that one first"), "\(details)")

        // Appended without --check, the batch stops at its first refusal, which says the same.
        let appended = try cli.expect(3, ["append", file])
        #expect(appended.standardError.contains("line 1: /data/workerRef: names worker W-9, which does not exist: no WorkerRegistered for it in the log or earlier in this batch; line 3 registers it, later in this batch"), "\(appended.standardError)")
        let batchAppended = try cli.expect(3, ["append"], input: batch)
        #expect(batchAppended.standardError.contains("; event 2 registers it, later in this batch"), "\(batchAppended.standardError)")
        let alone = try cli.expect(3, ["append"], input: Fixtures.ndjson([events[3], events[2]]))
        #expect(!alone.standardError.contains("later in this batch"), "W-404 is registered nowhere: \(alone.standardError)")

        // Imported, the file is read again after the refusal: physical lines (a blank one
        // counted), past a later line that only names the worker, to the one registering it.
        let mentions = Fixtures.setting(Fixtures.examples["WorkerArrived"]!, data: "workerRef", to: "W-9")
        let imported = cli.folder.write("import-sorted-by-type.ndjson",
                                        Fixtures.ndjson([arrived, mentions]) + "\n" + Fixtures.ndjson([events[2]]))
        let refused = try cli.expect(3, ["import", imported]).standardError
        #expect(refused.contains("line 1: /data/workerRef: names worker W-9, which does not exist: no WorkerRegistered for it in the log or earlier in this batch; line 4 registers it, later in this batch"), "\(refused)")
        let piped = try cli.expect(3, ["import", "-"], input: Fixtures.ndjson([arrived, events[2]])).standardError
        #expect(piped.contains("names worker W-9, which does not exist") && !piped.contains("later in this batch"), "standard input is read once: \(piped)")
        let nowhere = try cli.expect(3, ["import", cli.folder.write("nowhere.ndjson", Fixtures.ndjson([events[3], events[2]]))]).standardError
        #expect(nowhere.contains("W-404, which does not exist") && !nowhere.contains("later in this batch"), "\(nowhere)")
    }

    @Test func stopsAtItsLimitWithCountsUpToThere() throws {
        let cli = try CLIWorkspace().initialised()
        let file = cli.folder.write("return.ndjson", Self.providerReturn())
        let check = try cli.expect(3, ["import", "--check", "--max-problems", "2", file])
        let lines = check.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(check.standardOutput)")
        #expect(lines[0].hasPrefix("line 3:") && lines[1].hasPrefix("line 4:"))
        #expect(lines[2] == "Stopped at line 4 (--max-problems 2): of the 4 events checked, 2 would be appended, 2 refused; the rest of \(file) was not checked. Nothing was written.")
        try cli.expect(2, ["import", "--max-problems", "2", file])  // only with --check
    }

    /// The limit counts refused events, as its help says, not their mistakes: an event with
    /// three is one of the limit, listed whole.
    @Test func theLimitCountsRefusedEventsNotTheirMistakes() throws {
        let cli = try CLIWorkspace().initialised()
        let started = Fixtures.examples["EmploymentStarted"]!
        var threeMistakes = Fixtures.setting(started, data: "jobRole", to: "Care worker")
        threeMistakes = Fixtures.setting(threeMistakes, data: "contractType", to: "Permanent")
        threeMistakes = Fixtures.setting(threeMistakes, data: "viaReplacement", to: "Yes")
        let oneMistake = Fixtures.setting(started, data: "contractType", to: "zeroHours")
        let file = cli.folder.write("mistakes.ndjson", Fixtures.ndjson([threeMistakes, oneMistake, oneMistake]))
        let limited = try JSONValue(parsing: try cli.expect(3, ["import", "--check", "--json", "--max-problems", "2", file]).standardOutput)
        #expect(limited["problems"]?.arrayValue?.map { $0["line"]?.integerValue } == [1, 1, 1, 2], "\(limited)")
        #expect(limited["refused"]?.integerValue == 2 && limited["events"]?.integerValue == 2 && limited["complete"] == .bool(false))
        let text = try cli.expect(3, ["import", "--check", "--max-problems", "1", file]).standardOutput
        #expect(text.contains("Stopped at line 1 (--max-problems 1): of the 1 event checked, 0 would be appended, 1 refused"), "\(text)")
    }

    @Test func aConflictFirstExitsAsAConflictAndACleanFileImportsAsChecked() throws {
        let cli = try CLIWorkspace().initialised()
        let conflict = cli.folder.write("conflict.ndjson", Fixtures.ndjson([Fixtures.setting(Fixtures.worldWithIDs[0], data: "name", to: "Renamed")]))
        #expect(try cli.expect(4, ["import", "--check", conflict]).standardOutput.hasPrefix("line 1: /id:"))

        let clean = cli.folder.write("clean.ndjson", CLIWorkspace.bulk(300, prefix: "CHK"))
        let before = try cli.digest()
        let check = try cli.expect(0, ["import", "--check", clean])
        #expect(check.standardOutput == "Checked 900 events of \(clean): 900 would be appended. Nothing was written.\n")
        #expect(try cli.digest() == before)
        try cli.expect(0, ["import", clean])
        #expect(try cli.digest().hasPrefix("908:"), "the import appends what the check said it would")
    }

    /// Personal data is sealed in the check as in the import, under a key the check then drops:
    /// no key is made for the worker, and the plaintext reaches no file.
    @Test func personalDataIsCheckedWithoutMakingAKey() throws {
        let (cli, key) = try PersonalDataCommandTests.workspace()
        let keys = cli.data + "/keys/data-keys.json"
        let keysBefore = try Data(contentsOf: URL(fileURLWithPath: keys))
        let file = cli.folder.write("pii.ndjson", Fixtures.ndjson([
            Fixtures.event("WorkerRegistered", ["workerRef": "W-7", "route": "displaced", "nationality": "PH", "laCode": "E08000025",
                                                "pii": ["familyName": "Checkplain"]]),
        ]))
        let check = try cli.expect(0, ["import", "--check", file, "--master-key", key])
        #expect(check.standardOutput.contains("1 would be appended"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: keys)) == keysBefore, "no key was made for W-7")
        #expect(PersonalDataCommandTests.files(in: cli.data, holding: "Checkplain").isEmpty)
        // Without the master key the check refuses the event as the import would.
        let refused = try cli.expect(3, ["import", "--check", file])
        #expect(refused.standardOutput.hasPrefix("line 1: /data/pii:"), "\(refused.standardOutput)")
    }

    /// `append --check` finds what `import --check` finds in the same events, and in the batch
    /// form names each expected version that does not hold, then each refused event by index.
    @Test func appendChecksTheSameWayAndNamesExpectations() throws {
        let cli = try CLIWorkspace().initialised()
        let before = try cli.digest()
        let ndjson = Self.providerReturn()
        let file = cli.folder.write("return.ndjson", ndjson)
        let imported = try cli.expect(3, ["import", "--check", file]).standardOutput
        let appended = try cli.expect(3, ["append", "--check", "-"], input: ndjson).standardOutput
        #expect(appended == imported.replacingOccurrences(of: file, with: "standard input"), "\(appended)")
        #expect(try cli.expect(3, ["import", "--check", "-"], input: ndjson).standardOutput == appended, "a piped import names standard input")

        let batch: JSONValue = .object([
            ("events", .array([Fixtures.examples["WorkerArrived"]!, Fixtures.setting(Fixtures.examples["WorkerArrived"]!, data: "workerRef", to: "W-404")])),
            ("expectedVersions", .object([("worker-W-1", 7), ("case-C-1", 3)])),
        ])
        let check = try cli.expect(4, ["append", "--check", "-"], input: batch.compactText)
        let lines = check.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines[0] == "stream case-C-1: expected version 3, actual 2; stream worker-W-1: expected version 7, actual 2", "\(check.standardOutput)")
        #expect(lines[1].hasPrefix("event 1: /data/workerRef: names worker W-404"))
        #expect(lines[2] == "Checked 2 events of standard input: 1 would be appended, 1 refused. Nothing was written.")
        let json = try JSONValue(parsing: try cli.expect(4, ["append", "--check", "--json", "-"], input: batch.compactText).standardOutput)
        #expect(json["problems"]?[1]?["eventIndex"]?.integerValue == 1 && json["refused"]?.integerValue == 1)
        #expect(try cli.digest() == before)
    }

    /// A batch of thousands of refused events lists the first thousand problems and counts the
    /// rest: a 15 MB batch of five million empty events was answered with every one (543 MB of
    /// JSON; the server's memory at 3.2 GB). The counts stay whole, on the command line and
    /// over HTTP.
    @Test func aCheckListsTheFirstThousandProblemsAndCountsTheRest() async throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let empties = cli.folder.write("empties.ndjson", String(repeating: "{}\n", count: 1_500))
        let checked = try cli.expect(3, ["append", "--check", empties])
        let lines = checked.standardOutput.split(separator: "\n")
        #expect(lines.count == 1_003 && lines[999] == "line 1000: /type: is required and missing", "\(lines.suffix(4))")
        #expect(lines[1_000] == "… and 500 more problems, not listed: the first 1000 say what to mend", "\(lines.suffix(4))")
        #expect(lines[1_001].hasPrefix("Checked 1500 events of \(empties): 0 would be appended, 1500 refused."), "\(lines.suffix(4))")
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let answer = try await server.request("/v1/events?check=true", body: String(repeating: "{}\n", count: 1_500))
        let problem = try JSONValue(parsing: answer.body)
        #expect(answer.status == 400 && problem["detail"]?.stringValue?.hasPrefix("the batch would not land: 1500 problems, the first: line 1: /type") == true, "\(answer.body.prefix(300))")
        #expect(problem["problems"]?.arrayValue?.count == 1_000 && problem["problemsNotListed"] == 500 && problem["refused"] == 1_500 && problem["events"] == 1_500)
        #expect(try cli.digest().hasPrefix("0:"))
    }

    /// `POST /v1/events?check=true`: the same check over HTTP, for a writer's system; every
    /// problem in the problem document, and nothing written.
    @Test func theServerChecksABatchAndWritesNothing() async throws {
        let cli = try CLIWorkspace().initialised()
        let token = try cli.expect(0, ["tokens", "add", "platform", "--role", "writer"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let before = try cli.digest()
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let writer = ["Authorization": "Bearer \(token)"]

        let refused = try await server.request("/v1/events?check=true", body: Self.providerReturn(), headers: writer)
        #expect(refused.status == 400 && refused.contentType == "application/problem+json", "\(refused.status) \(refused.body)")
        let problem = try JSONValue(parsing: refused.body)
        #expect(problem["detail"]?.stringValue?.hasPrefix("the batch would not land: 5 problems, the first: line 3: /data/contractType") == true)
        #expect(problem["problems"]?.arrayValue?.map { $0["line"]?.integerValue } == [3, 4, 6, 8, 9])
        #expect(problem["wouldAppend"]?.integerValue == 3 && problem["duplicates"]?.integerValue == 1)

        let clean = try await server.request("/v1/events?check=true", body: CLIWorkspace.bulk(2, prefix: "HTTP"), headers: writer)
        #expect(clean.status == 200, "\(clean.body)")
        let report = try JSONValue(parsing: clean.body)
        #expect(report["wouldAppend"]?.integerValue == 6 && report["problems"]?.arrayValue?.isEmpty == true)
        #expect(try await server.request("/v1/events?check=true", body: CLIWorkspace.bulk(2, prefix: "HTTP")).status == 401)
        let mistyped = try await server.request("/v1/events?check=1", body: CLIWorkspace.bulk(2, prefix: "HTTP"), headers: writer)
        #expect(mistyped.status == 400 && mistyped.body.contains("check=1 must be true"), "a mistyped check appends nothing: \(mistyped.body)")
        #expect(try cli.digest() == before)
    }

    /// Across the import's blocks (256 events each), refusals found while preparing (schema) and
    /// while committing (references) come out in line order, and the limit stops at its line.
    @Test func problemsAcrossBlocksComeInLineOrderAndTheLimitStopsAtItsLine() throws {
        let cli = try CLIWorkspace().initialised()
        var lines = CLIWorkspace.bulk(400, prefix: "BLK").split(separator: "\n").map(String.init)
        for number in [300, 600, 900, 1200] {  // TrainingCompleted lines: a kind the schema lacks
            lines[number - 1] = lines[number - 1].replacingOccurrences(of: "\"induction\"", with: "\"inductionX\"")
        }
        lines[452 - 1] = lines[452 - 1].replacingOccurrences(of: "BLK-150", with: "W-404")  // WorkerArrived of no one
        let file = cli.folder.write("blocks.ndjson", lines.joined(separator: "\n") + "\n")
        let all = try JSONValue(parsing: try cli.expect(3, ["import", "--check", "--json", file]).standardOutput)
        #expect(all["problems"]?.arrayValue?.map { $0["line"]?.integerValue } == [300, 452, 600, 900, 1200])
        #expect(all["problems"]?[1]?["pointer"]?.stringValue == "/data/workerRef")
        #expect(all["events"]?.integerValue == 1200 && all["wouldAppend"]?.integerValue == 1195)
        let limited = try JSONValue(parsing: try cli.expect(3, ["import", "--check", "--json", "--max-problems", "3", file]).standardOutput)
        #expect(limited["problems"]?.arrayValue?.map { $0["line"]?.integerValue } == [300, 452, 600])
        #expect(limited["events"]?.integerValue == 600 && limited["wouldAppend"]?.integerValue == 597 && limited["complete"] == .bool(false))
    }
}
