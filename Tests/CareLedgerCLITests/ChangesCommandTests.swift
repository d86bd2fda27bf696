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

    /// The figures the events restated, each known then and known now: exact, and as published,
    /// where a count moving within "<5" reads the same.
    @Test func showsTheFiguresTheEventsRestated() throws {
        let cli = try CLIWorkspace().initialised()
        let digest = try cli.digest()
        // Nothing a figure reads (a training record; a right-to-work check, which only a
        // provider's timeline lists): no events, and no figure moves.
        try cli.expect(0, ["append", "-"], input: Fixtures.ndjson(["TrainingCompleted", "RightToWorkChecked"].map {
            Fixtures.setting(Fixtures.examples[$0]!, top: "occurredOn", to: "2024-02-10")
        }))
        let quiet = try JSONValue(parsing: try cli.expect(0, ["changes", "--since", digest, "--period", "2023-24", "--json"]).standardOutput)
        #expect(quiet["events"] == [] && quiet["figures"] == [], "\(quiet)")
        let quietTable = try cli.expect(0, ["changes", "--since", digest, "--period", "2023-24"]).standardOutput
        #expect(quietTable.hasPrefix("Figures compared: the caseload as of 2024-03-31; ") && quietTable.contains("\nNo figure reads differently known now than known then.\n"), "\(quietTable)")

        // A late replacement case owned by PT-2 (seq 11), and the retraction of the worker's only
        // employment start (seq 6, 2024-02-01).
        let late = Fixtures.event("CaseOpened", ["caseId": "C-2", "workerRef": "W-1", "caseType": "replacement", "channel": "spocMailbox", "ownerPartnerId": "PT-2"], on: "2024-03-10")
        try cli.expect(0, ["append", "-"], input: Fixtures.ndjson([late]))
        try cli.expect(0, ["retract", "6", "--reason", "Started with another provider"])
        let answer = try JSONValue(parsing: try cli.expect(0, ["changes", "--since", digest, "--period", "2023-24", "--json"]).standardOutput)
        #expect(answer["figuresFor"] == .object([("asOf", "2024-03-31"), ("period", "2023-24"), ("from", "2023-04-01"), ("to", "2024-03-31"),
                                                 ("by", nil), ("horizons", [3, 6, 12]), ("published", false)]))
        let figures = try #require(answer["figures"]?.arrayValue).map { figure in
            "\(figure["readModel"]!.stringValue!) \(figure["row"]!.compactText) \(figure["figure"]!.stringValue!) \(figure["then"]!.compactText)→\(figure["now"]!.compactText)"
        }
        #expect(figures == [
            "caseload null /openCases 1→2", "caseload null /byType/replacement 0→1", "caseload null /byOwnerPartner/PT-2 0→1",
            // The cohort's one starter is gone, and with it its row: its counts read 0.
            #"retention {"cohort":"2024-02","group":null} /starters 1→0"#,
            #"retention {"cohort":"2024-02","group":null} /horizons/3/notYetObservable 1→0"#,
            #"retention {"cohort":"2024-02","group":null} /horizons/6/notYetObservable 1→0"#,
            #"retention {"cohort":"2024-02","group":null} /horizons/12/notYetObservable 1→0"#,
            #"partners {"partnerId":"PT-2"} /casesOpened 0→1"#, #"partners {"partnerId":"PT-2"} /byChannel/spocMailbox 0→1"#,
            #"programme {"month":"2024-02"} /employmentStarts 1→0"#,
            #"programme {"month":"2024-03"} /openCases 1→2"#, #"programme {"month":"2024-03"} /casesOpened 1→2"#,
        ], "\(figures)")
        // Each is what the query answers known at the two readings.
        let then = try JSONValue(parsing: try cli.expect(0, ["query", "caseload", "--as-of", "2024-03-31", "--known-at", try #require(answer["then"]?["recordedAt"]?.stringValue), "--json"]).standardOutput)
        #expect(then["openCases"] == 1)

        // Retention in the form a paper published it: split, at other horizons. At 1 month the
        // starter was observable, so its rates go from 1.0 to none.
        let split = try JSONValue(parsing: try cli.expect(0, ["changes", "--since", digest, "--period", "2023-24", "--by", "provider", "--horizons", "1", "--json"]).standardOutput)
        #expect(split["figuresFor"]?["by"] == "provider" && split["figuresFor"]?["horizons"] == [1])
        let splitFigures = try #require(split["figures"]?.arrayValue).filter { $0["readModel"] == "retention" }.map { figure in
            "\(figure["row"]!.compactText) \(figure["figure"]!.stringValue!) \(figure["then"]!.compactText)→\(figure["now"]!.compactText)"
        }
        let row = #"{"cohort":"2024-02","group":{"provider":"P-1"}}"#
        #expect(splitFigures == ["\(row) /starters 1→0", "\(row) /horizons/1/eligible 1→0", "\(row) /horizons/1/employerRetained 1→0",
                                 "\(row) /horizons/1/sectorRetained 1→0", "\(row) /horizons/1/employerRate 1.0→null", "\(row) /horizons/1/sectorRate 1.0→null"], "\(splitFigures)")
        #expect(try cli.expect(0, ["changes", "--since", digest, "--period", "2023-24", "--by", "provider", "--figures"]).standardOutput.contains("2024-02 provider P-1  horizons.3.notYetObservable"))
        try cli.expect(2, ["changes", "--since", digest, "--by", "nationality"])
        try cli.expect(2, ["changes", "--since", digest, "--horizons", "0"])

        let table = try cli.expect(0, ["changes", "--since", digest, "--period", "2023-24"]).standardOutput
        #expect(table.hasPrefix("Figures that read differently: ") && table.contains("12 figures read differently known now than known then.") && table.contains("retention   2024-02  starters") && table.contains("retracts seq 6 (EmploymentStarted, 2024-02-01)"), "\(table)")
        let csv = try cli.expect(0, ["changes", "--since", digest, "--period", "2023-24", "--figures", "--csv"]).standardOutput
        #expect(csv.hasPrefix("read model,row,figure,then,now\r\ncaseload,,openCases,1,2\r\n") && csv.contains("partners,PT-2,byChannel.spocMailbox,0,1\r\n"), "\(csv)")

        // Published, 1 → 2 and 0 → 1 all read "<5" or 0 → "<5"; the events, which name workers, are not listed.
        let published = try JSONValue(parsing: try cli.expect(0, ["changes", "--since", digest, "--period", "2023-24", "--publish", "--json"]).standardOutput)
        #expect(published["events"] == nil && published["lateEvents"] == 1 && published["retractions"] == 1)
        let publishedFigures = try #require(published["figures"]?.arrayValue)
        #expect(!publishedFigures.contains { $0["figure"] == "/openCases" }, "1 and 2 both read \"<5\": \(publishedFigures)")
        #expect(publishedFigures.contains { $0["figure"] == "/byType/replacement" && $0["then"] == 0 && $0["now"] == "<5" })
        let publishedTable = try cli.expect(0, ["changes", "--since", digest, "--period", "2023-24", "--publish"]).standardOutput
        #expect(publishedTable.contains("as published") && !publishedTable.contains("W-1") && publishedTable.contains("Behind them: 1 event recorded since"), "\(publishedTable)")
        // Without --period: from the start of the date's financial year to the date.
        let toDate = try JSONValue(parsing: try cli.expect(0, ["changes", "--since", digest, "--as-of", "2024-02-15", "--json"]).standardOutput)
        #expect(toDate["figuresFor"]?["period"] == "2023-04-01..2024-02-15" && toDate["figures"]?.arrayValue?.count == 5, "\(toDate)")
        let yearEnd = try JSONValue(parsing: try cli.expect(0, ["changes", "--since", digest, "--as-of", "2024-03-31", "--json"]).standardOutput)
        #expect(yearEnd["figuresFor"]?["period"] == "2023-24", "the whole year, named as a board names it: \(yearEnd)")
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
        // The figures, as a board reads them, are what `changes --publish` prints; staff may ask for them so.
        let printedPublished = try cli.expect(0, ["changes", "--since", digest, "--until", try cli.digest(), "--period", "2023-24", "--json", "--publish"]).standardOutput
        #expect(try await server.request(query, headers: ["Authorization": "Bearer \(board)"]).body == printedPublished)
        #expect(try await server.request(query + "&publish=true", headers: ["Authorization": "Bearer \(staff)"]).body == printedPublished)
        let printedSplit = try cli.expect(0, ["changes", "--since", digest, "--until", try cli.digest(), "--period", "2023-24", "--by", "route", "--horizons", "1,2", "--json"]).standardOutput
        #expect(try await server.request(query + "&by=route&horizons=1,2", headers: ["Authorization": "Bearer \(staff)"]).body == printedSplit)
        #expect(published["figuresFor"]?["published"] == true && published["figures"]?.arrayValue != nil)
        // CSV, as the command line writes it: the events; the figures on asking; a board's, the figures published.
        let csvArguments = ["changes", "--since", digest, "--until", try cli.digest(), "--period", "2023-24", "--csv"]
        let eventsCSV = try await server.request(query + "&format=csv", headers: ["Authorization": "Bearer \(staff)"])
        #expect(eventsCSV.status == 200 && eventsCSV.contentType?.hasPrefix("text/csv") == true)
        #expect(eventsCSV.body == (try cli.expect(0, csvArguments).standardOutput) && eventsCSV.body.hasPrefix("seq,recordedAt,"), "\(eventsCSV.body)")
        #expect(try await server.request(query + "&format=csv&figures=true", headers: ["Authorization": "Bearer \(staff)"]).body
            == (try cli.expect(0, csvArguments + ["--figures"]).standardOutput))
        let figuresAlone = try cli.expect(0, ["changes", "--since", digest, "--until", try cli.digest(), "--period", "2023-24", "--json", "--figures"]).standardOutput
        #expect(try await server.request(query + "&figures=true", headers: ["Authorization": "Bearer \(staff)"]).body == figuresAlone)
        #expect(try JSONValue(parsing: figuresAlone)["events"] == nil && JSONValue(parsing: figuresAlone)["lateEvents"] == 1, "\(figuresAlone)")
        let boardCSV = try await server.request(query + "&format=csv", headers: ["Authorization": "Bearer \(board)"]).body
        #expect(boardCSV == (try cli.expect(0, csvArguments + ["--publish"]).standardOutput) && boardCSV.hasPrefix("read model,row,figure,then,now"), "\(boardCSV)")
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
        #expect(page.contains("id=\"digest-figures\">No figure reads differently known now than known then."), "a registration alone is in no figure: \(page)")

        // A late case: the figures it restated, exact for staff; for a board, as published.
        let lateCase = Fixtures.event("CaseOpened", ["caseId": "C-LATE", "workerRef": "W-LATE", "caseType": "support", "channel": "partner", "ownerPartnerId": "PT-01"], on: "2024-02-01")
        try cli.expect(0, ["append", "-"], input: Fixtures.ndjson([lateCase]))
        let restated = try await server.request("/?asOf=2024-03-31&digest=\(digest)", headers: ["Authorization": "Bearer \(staff)"]).body
        let caseload = try JSONValue(parsing: try cli.expect(0, ["query", "caseload", "--as-of", "2024-03-31", "--json"]).standardOutput)
        let open = try #require(caseload["openCases"]?.integerValue)
        #expect(restated.contains("<table id=\"figure-changes\">") && restated.contains("<td>caseload</td><td>-</td><td>openCases</td><td class=\"n\">\(open - 1)</td><td class=\"n\">\(open)</td>"), "\(restated)")
        // Its download holds the figures on the screen.
        let link = try #require(restated.firstMatch(of: #/href="(/v1/changes\?[^"]*figures=true&amp;format=csv)"/#)?.output.1)
        let download = try await server.request(String(link).replacing("&amp;", with: "&"), headers: ["Authorization": "Bearer \(staff)"])
        #expect(download.status == 200 && download.body.contains("caseload,,openCases,\(open - 1),\(open)\r\n"), "\(download.body)")
        let boardRestated = try await server.request("/?asOf=2024-03-31&digest=\(digest)", headers: ["Authorization": "Bearer \(board)"]).body
        #expect(boardRestated.contains("as published.)") && !boardRestated.contains("W-LATE"), "\(boardRestated)")
        withExtendedLifetime(cli) {}
    }
}
