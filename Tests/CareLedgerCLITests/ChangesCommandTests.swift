import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `careledger changes`: what the log recorded since an earlier reading that changes figures as
/// of a date, and nothing else.
@Suite struct ChangesCommandTests {
    /// Late events and retractions of events dated by the figures' date are listed; an event no
    /// read model reads (a training record) is not, as it cannot change a figure.
    @Test func listsTheLateEventsAndRetractionsThatRestateAFigure() throws {
        let cli = try CLIWorkspace().initialised()
        let digest = try cli.digest()
        let knownThen = try #require(RetractCommandTests.event(cli, at: 8)["recordedAt"]?.stringValue)
        let unchanged = try cli.expect(0, ["changes", "--since", digest, "--as-of", "2024-06-30"]).standardOutput
        #expect(unchanged.contains("Nothing recorded since changes figures as of 2024-06-30: known then and known now, they agree."), "\(unchanged)")
        let retentionThen = try cli.expect(0, ["query", "retention", "--period", "2023-24", "--as-of", "2024-06-30", "--known-at", knownThen, "--json"]).standardOutput

        // A late return dated in the period (seq 9), an event dated after the as-of date (10), a
        // late training record, which no figure reads (11), the retraction of the worker's
        // employment start (12) and of the later event (13).
        let late = Fixtures.setting(Fixtures.examples["SupportProvided"]!, top: "occurredOn", to: "2024-03-10")
        let later = Fixtures.setting(Fixtures.examples["CareCertificateAwarded"]!, top: "occurredOn", to: "2024-12-01")
        let training = Fixtures.setting(Fixtures.examples["TrainingCompleted"]!, top: "occurredOn", to: "2024-02-10")
        try cli.expect(0, ["append", "-"], input: Fixtures.ndjson([late, later, training]))
        let secondPaper = try cli.digest()
        try cli.expect(0, ["retract", "6", "--reason", "Started with another provider"])
        try cli.expect(0, ["retract", "10", "--reason", "Not awarded yet"])

        for since in [digest, knownThen] {
            let json = try JSONValue(parsing: try cli.expect(0, ["changes", "--since", since, "--as-of", "2024-06-30", "--json"]).standardOutput)
            #expect(json["asOf"] == "2024-06-30" && json["then"]?["seq"] == 8 && json["now"]?["seq"] == 13)
            #expect(json["events"]?.arrayValue?.map { $0["seq"] } == [9, 12], "since \(since): \(json)")
            #expect(json["lateEvents"] == 1 && json["retractions"] == 1)
            #expect(json["events"]?[1]?["retracts"]?["seq"] == 6 && json["events"]?[1]?["retracts"]?["type"] == "EmploymentStarted")
        }
        // Between two papers' digests: what the second knew that the first did not, and no more.
        let between = try JSONValue(parsing: try cli.expect(0, ["changes", "--since", digest, "--until", secondPaper, "--as-of", "2024-06-30", "--json"]).standardOutput)
        #expect(between["events"]?.arrayValue?.map { $0["seq"] } == [9] && between["now"]?["seq"] == 11, "\(between)")
        #expect(try cli.expect(2, ["changes", "--since", secondPaper, "--until", digest]).standardError.contains("give them the other way round"))
        // What the list holds is what restates the figure: the starter retracted is gone from it.
        let retentionNow = try cli.expect(0, ["query", "retention", "--period", "2023-24", "--as-of", "2024-06-30", "--json"]).standardOutput
        #expect(try JSONValue(parsing: retentionThen)["cohorts"]?[0]?["starters"] == 1 && JSONValue(parsing: retentionNow)["cohorts"]?.arrayValue == [])
        // Without --as-of, the earlier reading's own date: every event recorded since is dated before today.
        let table = try cli.expect(0, ["changes", "--since", digest]).standardOutput
        #expect(table.contains("1 event recorded since and dated on or before") && table.contains(", 1 retraction of events so dated") && table.contains("retracts seq 6 (EmploymentStarted, 2024-02-01)"), "\(table)")
        #expect(!table.contains("TrainingCompleted") && !table.contains("CareCertificateAwarded"), "no figure reads them: \(table)")
    }

    @Test func aDigestTheLogDoesNotExtendOrAMistypedReadingIsRefused() throws {
        let cli = try CLIWorkspace().initialised()
        let digest = try cli.digest()
        let other = String(digest.prefix { $0 != ":" }) + ":" + String(repeating: "0", count: 64)
        #expect(try cli.expect(1, ["changes", "--since", other]).standardError.contains("the log does not extend that digest"))
        #expect(try cli.expect(1, ["changes", "--since", "99:" + String(repeating: "0", count: 64)]).standardError.contains("fewer than the 99"))
        // The empty log's digest, as `digest` prints it before the first append: every event since.
        let empty = try cli.expect(0, ["changes", "--since", "0:" + String(repeating: "0", count: 64), "--as-of", "2024-01-02", "--json"]).standardOutput
        #expect(try JSONValue(parsing: empty)["lateEvents"] == 2, "the two partners registered on 2024-01-02: \(empty)")
        try cli.expect(1, ["changes", "--since", "0:" + String(repeating: "1", count: 64)])
        #expect(try cli.expect(2, ["changes", "--since", "8:abc"]).standardError.contains("not a digest"))
        #expect(try cli.expect(2, ["changes", "--since", "last week"]).standardError.contains("not an RFC 3339 instant"))
        try cli.expect(2, ["changes", "--since", digest, "--as-of", "2024-06-30", "--period", "2024-25"])
        try cli.expect(2, ["changes"])
    }
}

/// `GET /v1/changes`: the same answer as `careledger changes --json`, the counts alone for a board.
@Suite struct ChangesRouteTests {
    @Test func answersAsTheCommandLineAndABoardSeesTheCountsAlone() async throws {
        let (cli, server, staff, board) = try DashboardTests.servedDemo(workers: 40, seed: 6)
        defer { server.stop() }
        let digest = try cli.digest()
        let late = Fixtures.event("WorkerRegistered", ["workerRef": "W-LATE", "route": "selfReferral", "nationality": "IN", "laCode": "E08000025"], on: "2024-01-15")
        try cli.expect(0, ["append", "-"], input: Fixtures.ndjson([late]))
        let query = "/v1/changes?since=\(digest)&until=\(try cli.digest())&period=2023-24"
        let printed = try cli.expect(0, ["changes", "--since", digest, "--until", try cli.digest(), "--period", "2023-24", "--json"]).standardOutput
        let answer = try await server.request(query, headers: ["Authorization": "Bearer \(staff)"])
        #expect(answer.status == 200 && answer.body == printed, "\(answer.body)")
        #expect(try JSONValue(parsing: answer.body)["lateEvents"] == 1)
        let published = try JSONValue(parsing: try await server.request(query, headers: ["Authorization": "Bearer \(board)"]).body)
        #expect(published["lateEvents"] == 1 && published["events"] == nil, "no rows for a board: \(published)")
        let mismatch = String(digest.prefix { $0 != ":" }) + ":" + String(repeating: "0", count: 64)
        let refused = try await server.request("/v1/changes?since=\(mismatch)", headers: ["Authorization": "Bearer \(staff)"])
        #expect(refused.status == 409 && refused.body.contains("does not extend that digest"), "\(refused.body)")
        #expect(try await server.request("/v1/changes", headers: ["Authorization": "Bearer \(staff)"]).status == 400)
        #expect(try await server.request("/v1/changes?since=\(digest)").status == 401)

        // The dashboard's digest check says the same below its verdict: the events for staff,
        // the counts for a board.
        let page = try await server.request("/?asOf=2024-03-31&digest=\(digest)", headers: ["Authorization": "Bearer \(staff)"]).body
        #expect(page.contains("id=\"digest-changes\">Since it: 1 event recorded since and dated on or before 2024-03-31, 0 retractions"), "\(page)")
        let lateSeq = try #require(JSONValue(parsing: answer.body)["events"]?[0]?["seq"]?.integerValue)
        #expect(page.contains("<table id=\"changes\">") && page.contains("<tr><td class=\"n\">\(lateSeq)</td>"))
        let boardPage = try await server.request("/?asOf=2024-03-31&digest=\(digest)", headers: ["Authorization": "Bearer \(board)"]).body
        #expect(boardPage.contains("id=\"digest-changes\">Since it: 1 event") && !boardPage.contains("<table id=\"changes\">"))
        let unchanged = try await server.request("/?asOf=2023-01-31&digest=\(digest)", headers: ["Authorization": "Bearer \(staff)"]).body
        #expect(unchanged.contains("Since it: Nothing recorded since changes figures as of 2023-01-31"))
        withExtendedLifetime(cli) {}
    }
}
