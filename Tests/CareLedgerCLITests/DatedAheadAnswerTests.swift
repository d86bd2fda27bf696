import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// Every way of recording events says which of them are dated after tomorrow (a year typed
/// 2999 for 2024, say), and what to do: they are recorded as given, so the note names the seq to
/// retract, or, for a check, the line to mend.
@Suite struct DatedAheadAnswerTests {
    @Test func theCommandLineNamesEventsDatedAheadAndHowToMendThem() throws {
        let cli = try CLIWorkspace().initialised()
        let one = try cli.expect(0, ["record", "WorkerArrived", "--on", "2999-07-01", "workerRef=W-1"])
        #expect(one.standardError.contains("careledger: note: seq 9's occurredOn, 2999-07-01, is after today")
                && one.standardError.contains("careledger retract 9 --reason \"Wrong date\" --mend occurredOn=YYYY-MM-DD does both at once"), "\(one.standardError)")
        // The command it names mends the date.
        let mended = try cli.expect(0, ["retract", "9", "--reason", "Wrong date", "--mend", "occurredOn=2024-07-01"])
        #expect(mended.standardOutput.contains("The correction, appended at seq 11") && !mended.standardError.contains("note"), "\(mended.standardOutput)")
        #expect(!(try cli.expect(0, ["record", "WorkerArrived", "--on", "2024-07-01", "workerRef=W-1"]).standardError.contains("note")), "a day gone is not noted")

        let events = Fixtures.ndjson([Fixtures.event("WorkerArrived", ["workerRef": "W-1"], on: "2999-07-02"),
                                      Fixtures.event("WorkerArrived", ["workerRef": "W-1"], on: "2999-07-03")])
        let checked = try cli.expect(0, ["append", "--check", "-"], input: events)
        #expect(checked.standardError.contains("careledger: note: lines 1 and 2 have an occurredOn after today"), "\(checked.standardError)")
        let appended = try cli.expect(0, ["append", "--json", "-"], input: events)
        let answer = try JSONValue(parsing: appended.standardOutput)
        #expect(answer["notes"]?[0]?.stringValue?.hasPrefix("seqs 13 and 14 have an occurredOn after today") == true, "\(appended.standardOutput)")
        #expect(appended.standardError.contains("(careledger retract SEQ --reason"), "several: the command in general")

        let file = cli.folder.write("return.ndjson", Fixtures.ndjson([Fixtures.event("WorkerArrived", ["workerRef": "W-1"], on: "2999-07-04")]))
        #expect(try cli.expect(0, ["import", "--check", file]).standardError.contains("note: line 1's occurredOn, 2999-07-04"))
        let imported = try cli.expect(0, ["import", "--json", file])
        #expect(try JSONValue(parsing: imported.standardOutput)["notes"]?[0]?.stringValue?.hasPrefix("seq 15's occurredOn, 2999-07-04") == true, "\(imported.standardOutput)")

        let rows = cli.folder.write("ahead.csv", "occurredOn,workerRef\n2024-07-05,W-1\n2999-07-05,W-1\n")
        #expect(try cli.expect(0, ["record", "WorkerArrived", "--rows", rows, "--show"]).standardError.contains("note: line 3's occurredOn, 2999-07-05"))
        let recorded = try cli.expect(0, ["record", "WorkerArrived", "--rows", rows])
        #expect(recorded.standardError.contains("note: seq 17's occurredOn, 2999-07-05") && !recorded.standardError.contains("line 3"), "\(recorded.standardError)")
    }

    @Test func anAppendOverHTTPCarriesTheNote() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let ahead = Fixtures.event("WorkerArrived", ["workerRef": "W-1"], on: "2999-07-01")
        let checked = try await server.request("/v1/events?check=true", body: ahead.compactText)
        #expect(try JSONValue(parsing: checked.body)["notes"]?[0]?.stringValue?.hasPrefix("line 1's occurredOn, 2999-07-01, is after today") == true, "\(checked.body)")
        let created = try await server.request("/v1/events", body: #"{"events":[\#(ahead.compactText)]}"#)
        let createdNote = try JSONValue(parsing: created.body)["notes"]?[0]?.stringValue
        #expect(created.status == 201 && createdNote?.hasPrefix("seq 9's occurredOn, 2999-07-01") == true, "\(created.body)")
        let past = try await server.request("/v1/events", body: Fixtures.event("WorkerArrived", ["workerRef": "W-1"]).compactText)
        let pastNotes = try JSONValue(parsing: past.body)["notes"]
        #expect(past.status == 201 && pastNotes == nil, "\(past.body)")
    }
}
