import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `/correct`: the dashboard's correction of a mistake, as `careledger retract SEQ --mend` makes
/// it, on a real server with tokens, signed in by the dashboard's cookie.
@Suite struct CorrectPageTests {
    @Test func aWriterCorrectsTheFieldsThatWereWrongOrRetractsAlone() async throws {
        let cli = try CLIWorkspace().initialised()
        let writer = try cli.expect(0, ["tokens", "add", "officer", "--role", "staff", "--role", "writer"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let reader = try cli.token("reader", role: "staff")
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let head = try cli.digest()
        func post(_ fields: [(String, String)], token: String? = nil, origin: String? = nil) async throws -> RunningServer.Answer {
            var headers = ["Content-Type": "application/x-www-form-urlencoded", "Cookie": "careledger_token=\(token ?? writer)"]
            if let origin { headers["Origin"] = origin }
            return try await server.request("/correct", body: RecordPageTests.form(fields), headers: headers)
        }

        // A timeline's seqs open their events for a token that may record, and not for one that may not.
        let timeline = try await server.request("/?timeline=case:C-1", headers: ["Cookie": "careledger_token=\(writer)"])
        #expect(timeline.body.contains("<a href=\"/correct?seq=8\">8</a>"), "\(timeline.body)")
        #expect(try await !server.request("/?timeline=case:C-1", headers: ["Cookie": "careledger_token=\(reader)"]).body.contains("/correct?seq="))

        // The referral (seq 8): its fields as recorded, each beside a box for the right fact's.
        let page = try await server.request("/correct?seq=8", headers: ["Cookie": "careledger_token=\(writer)"])
        #expect(page.status == 200 && page.body.contains("ReferralMade in case-C-1, dated 2024-03-02: Referral R-1 from PT-1 to PT-2"), "\(page.body)")
        #expect(page.body.contains(#"<input id="f5" name="field.reason" value="Housing at risk" size="40">"#) && page.body.contains(#"href="/?timeline=case:C-1""#), "\(page.body)")
        #expect(try await server.request("/correct?seq=99", headers: ["Cookie": "careledger_token=\(writer)"]).status == 404)
        let many = try await server.request("/correct?seq=" + Array(repeating: "8", count: 201).joined(separator: ","), headers: ["Cookie": "careledger_token=\(writer)"])
        #expect(many.status == 400 && many.body.contains("takes at most 200 events at once, and 201 were named"), "\(many.status) \(many.body)")
        #expect(try await server.request("/correct?seq=8", headers: ["Cookie": "careledger_token=\(reader)"]).status == 403)

        // Checked, refused and forged: nothing written.
        let noReason = try await post([("seq", "8"), ("action", "check"), ("field.reason", "Eviction notice")])
        #expect(noReason.status == 400 && noReason.body.contains("Say why the event is retracted"))
        let unchanged = try await post([("seq", "8"), ("reason", "Wrong reason"), ("action", "correct")])
        #expect(unchanged.status == 400 && unchanged.body.contains("No field was changed"), "\(unchanged.body)")
        let sameID = try await post([("seq", "8"), ("reason", "Wrong reason"), ("action", "check"), ("field.reason", "Eviction notice")])
        #expect(sameID.status == 200 && sameID.body.contains("Checked: the retraction and the right fact would land."), "its own id is new again once retracted: \(sameID.body)")
        let unknown = try await post([("seq", "8"), ("reason", "Wrong partner"), ("action", "check"), ("field.toPartnerId", "PT-7")])
        #expect(unknown.status == 400 && unknown.body.contains("The right fact: /data/toPartnerId: names partner PT-7, which does not exist"), "\(unknown.body)")
        let mend = [("seq", "8"), ("reason", "Wrong reason"), ("field.reason", "Eviction notice"), ("field.referralId", "R-1b"), ("field.occurredOn", "2024-03-04")]
        let checked = try await post(mend + [("action", "check")])
        #expect(checked.status == 200 && checked.body.contains("Checked: the retraction and the right fact would land. Nothing was written yet."), "\(checked.body)")
        #expect(checked.body.contains(#"name="field.reason" value="Eviction notice""#), "the right fact's boxes keep what was typed")
        let forged = try await post(mend + [("action", "correct")], origin: "https://evil.example")
        #expect(forged.status == 403 && forged.body.contains("A web page from https://evil.example sent this request"), "\(forged.body)")
        #expect(try await post(mend + [("action", "correct")], token: reader).status == 403)
        #expect(try cli.digest() == head)

        // Corrected: the retraction and the right fact in one batch, the rest copied.
        let corrected = try await post(mend + [("action", "correct")])
        #expect(corrected.status == 201 && corrected.body.contains("Retracted seq 8 (EventRetracted at seq 9); the right fact recorded at seq 10"), "\(corrected.body)")
        let retraction = try JSONValue(parsing: try cli.expect(0, ["read", "--from", "9", "--limit", "1"]).standardOutput)
        let right = try JSONValue(parsing: try cli.expect(0, ["read", "--from", "10"]).standardOutput)
        #expect(retraction["data"]?["reason"] == "Wrong reason" && retraction["meta"]?["source"] == "dashboard:correct" && retraction["meta"]?["actor"] == "token:officer")
        #expect(right["occurredOn"] == "2024-03-04" && right["data"]?["toPartnerId"] == "PT-2" && right["data"]?["reason"] == "Eviction notice"
                && right["meta"]?["corrects"] == "00000000-0000-4000-8000-000000000008" && right["meta"]?["source"] == "dashboard:correct", "\(right)")
        let retractionPage = try await server.request("/correct?seq=9", headers: ["Cookie": "careledger_token=\(writer)"])
        #expect(retractionPage.status == 409 && retractionPage.body.contains("is a retraction (of event 00000000-0000-4000-8000-000000000008), which cannot itself be retracted"))
        let after = try await server.request("/?timeline=case:C-1", headers: ["Cookie": "careledger_token=\(writer)"]).body
        #expect(after.contains("<a href=\"/correct?seq=10\">10</a>") && !after.contains("/correct?seq=9\"") && !after.contains("/correct?seq=8\""),
                "neither the retracted event nor its retraction is offered: \(after)")
        let again = try await post(mend + [("action", "correct")])
        #expect(again.status == 400 && again.body.contains("The retraction of seq 8: /data/targetEventId: the event at seq 8 is already retracted"), "\(again.body)")

        // Retracted alone: one event, no right fact.
        let alone = try await post([("seq", "6"), ("reason", "Started nowhere"), ("action", "retract")])
        #expect(alone.status == 201 && alone.body.contains("Retracted seq 6 (EventRetracted at seq 11); head 11:"), "\(alone.body)")

        // Rows recorded dated ahead link to their correction, where the date is mended.
        let recorded = try await server.request("/record", body: RecordPageTests.form([("type", "WorkerArrived"), ("action", "record"), ("rows", "occurredOn,workerRef\n2999-07-01,W-1\n")]),
                                                headers: ["Content-Type": "application/x-www-form-urlencoded", "Cookie": "careledger_token=\(writer)"])
        #expect(recorded.status == 201 && recorded.body.contains(#"Correct <a href="/correct?seq=12">seq 12</a>."#), "\(recorded.body)")
        let dated = try await post([("seq", "12"), ("reason", "Wrong year"), ("action", "correct"), ("field.occurredOn", "2024-07-01")])
        #expect(dated.status == 201 && dated.body.contains("the right fact recorded at seq 14") && !dated.body.contains("id=\"ahead\""), "\(dated.body)")
    }

    /// Several events ticked on a timeline are corrected at once, as `retract 9 10 --mend` does:
    /// each retracted and recorded with the same fields changed, all in one batch.
    @Test func severalEventsTickedOnATimelineAreCorrectedAtOnce() async throws {
        let cli = try CLIWorkspace().initialised()
        // A return filed under P-1 that was P-2's (seq 9 and 10).
        try cli.expect(0, ["append", "-"], input: Fixtures.ndjson([
            Fixtures.event("CertificateOfSponsorshipAssigned", ["workerRef": "W-1", "providerId": "P-1", "kind": "defined"]),
            Fixtures.event("RightToWorkChecked", ["workerRef": "W-1", "providerId": "P-1", "method": "shareCode", "outcome": "continuous"], on: "2024-05-02"),
        ]))
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let timeline = try await server.request("/?timeline=worker:W-1").body
        #expect(timeline.contains(#"<input type="checkbox" name="seq" value="9" form="correct-selected" aria-label="Tick seq 9"> <a href="/correct?seq=9">9</a>"#)
                && timeline.contains(#"<form id="correct-selected" method="get" action="/correct""#), "\(timeline)")

        // The boxes send `seq` once for each: the fields both have, one that differs said so.
        let page = try await server.request("/correct?seq=9&seq=10")
        #expect(page.status == 200 && page.body.contains("<h1>Correct seqs 9, 10</h1>") && page.body.contains("Seq 10: RightToWorkChecked in worker-W-1, dated 2024-05-02"), "\(page.body)")
        #expect(page.body.contains(#"<label for="f0">occurredOn</label></th><td><em>differs</em></td><td><input id="f0" name="field.occurredOn" value="""#)
                && page.body.contains(#"name="field.providerId" value="P-1""#) && !page.body.contains("field.method"), "\(page.body)")
        #expect(try await server.request("/correct?seq=9,99").status == 404)

        func post(_ fields: [(String, String)]) async throws -> RunningServer.Answer {
            try await server.request("/correct", body: RecordPageTests.form([("seq", "9,10"), ("reason", "Return of P-2 filed under P-1")] + fields),
                                     headers: ["Content-Type": "application/x-www-form-urlencoded"])
        }
        let head = try cli.digest()
        let unknown = try await post([("field.providerId", "P-7"), ("action", "check")])
        #expect(unknown.status == 400 && unknown.body.contains("The right fact of seq 9: /data/providerId: names provider P-7, which does not exist"), "\(unknown.body)")
        let checked = try await post([("field.providerId", "P-2"), ("action", "check")])
        #expect(checked.status == 200 && checked.body.contains("Checked: the retractions and the right facts would land."), "\(checked.body)")
        #expect(try cli.digest() == head)

        let corrected = try await post([("field.providerId", "P-2"), ("action", "correct")])
        #expect(corrected.status == 201 && corrected.body.contains("Retracted seqs 9, 10 (EventRetracted at seq 11, 12); the right facts recorded at seq 13, 14"), "\(corrected.body)")
        for (seq, date, corrects) in [(13, "2024-05-01", 9), (14, "2024-05-02", 10)] {
            let right = try RetractCommandTests.event(cli, at: seq)
            let wrong = try RetractCommandTests.event(cli, at: corrects)
            #expect(right["data"]?["providerId"] == "P-2" && right["occurredOn"] == .string(date) && right["meta"]?["corrects"] == wrong["id"]
                    && right["meta"]?["source"] == "dashboard:correct", "\(right)")
        }
        #expect(try RetractCommandTests.event(cli, at: 12)["meta"]?["source"] == "dashboard:correct")
    }

    /// A staff token that asks (`reveal=true`, SPEC 8) sees the personal data among the fields and
    /// rectifies it there, each showing recorded in the access log; a writer alone never sees it.
    @Test func staffRectifiesPersonalDataShownOnAsking() async throws {
        let (cli, key) = try PersonalDataCommandTests.workspace()  // W-2 registered at seq 9, with pii
        let officer = try cli.expect(0, ["tokens", "add", "officer", "--role", "staff", "--role", "writer"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let clerk = try cli.token("clerk", role: "writer")
        let server = try RunningServer(data: cli.data, arguments: ["--master-key", key])
        defer { server.stop() }
        func get(_ path: String, _ token: String) async throws -> RunningServer.Answer {
            try await server.request(path, headers: ["Cookie": "careledger_token=\(token)"])
        }
        let asked = try await get("/correct?seq=9&reveal=true", clerk)
        #expect(asked.status == 200 && !asked.body.contains("Marisolplain") && !asked.body.contains("field.pii") && !asked.body.contains("id=\"reveal\"")
                && asked.body.contains("a token with the staff role shows it here"), "\(asked.body)")
        let plain = try await get("/correct?seq=9", officer)
        #expect(!plain.body.contains("Marisolplain") && plain.body.contains(#"<a id="reveal" href="/correct?seq=9&amp;reveal=true">"#), "\(plain.body)")
        #expect(try cli.expect(0, ["access-log", "--json"]).standardOutput.isEmpty, "nothing shown, nothing recorded")

        let shown = try await get("/correct?seq=9&reveal=true", officer)
        #expect(shown.body.contains(#"name="field.pii.familyName" value="Marisolplain""#) && shown.body.contains(#"<input type="hidden" name="reveal" value="true">"#), "\(shown.body)")
        let logged = try cli.expect(0, ["access-log", "--json"]).standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(logged.count == 1 && logged[0]["who"] == "token:officer" && logged[0]["via"] == "GET /correct" && logged[0]["workerRef"] == "W-2", "\(logged)")

        let form = RecordPageTests.form([("seq", "9"), ("reveal", "true"), ("reason", "Family name misspelt"), ("field.pii.familyName", "Marisolplaine"), ("action", "correct")])
        let corrected = try await server.request("/correct", body: form, headers: ["Content-Type": "application/x-www-form-urlencoded", "Cookie": "careledger_token=\(officer)"])
        #expect(corrected.status == 201 && corrected.body.contains("the right fact recorded at seq 12"), "\(corrected.body)")
        let right = try JSONValue(parsing: try cli.expect(0, ["read", "--from", "12", "--reveal", "--master-key", key]).standardOutput)
        #expect(right["data"]?["pii"]?["familyName"] == "Marisolplaine" && right["data"]?["pii"]?["email"] == "maria@example.org", "\(right)")
        #expect(try cli.expect(0, ["access-log", "--worker", "W-2", "--json"]).standardOutput.contains("POST /correct"))
    }

    /// An event with personal data is shown without it. A server without the master key can only
    /// retract it (its stored form is ciphertext, which cannot be written again); one with the key
    /// carries it over, unshown and sealed again, into a right fact about the same worker.
    @Test func personalDataIsNeitherShownNorCopiedWithoutTheKey() async throws {
        let (cli, key) = try PersonalDataCommandTests.workspace()
        func form(_ fields: [(String, String)]) -> String { RecordPageTests.form(fields) }
        let urlEncoded = ["Content-Type": "application/x-www-form-urlencoded"]
        // seq 9 registers W-2 with a name and an email; seq 10 is a case note.
        do {
            let server = try RunningServer(data: cli.data)
            defer { server.stop() }
            for seq in ["9", "10"] {
                let page = try await server.request("/correct?seq=\(seq)")
                #expect(page.status == 200 && page.body.contains("carries personal data, which this page neither shows nor copies (the server runs without the master key"), "\(page.body)")
                #expect(!PersonalDataCommandTests.secrets.contains { page.body.contains($0) } && !page.body.contains("ciphertext") && !page.body.contains("field.pii"))
                #expect(!page.body.contains("value=\"correct\"") && page.body.contains("value=\"retract\""), "retract only")
            }
        }
        let server = try RunningServer(data: cli.data, arguments: ["--master-key", key])
        defer { server.stop() }
        let page = try await server.request("/correct?seq=9")
        #expect(page.status == 200 && page.body.contains("the right fact carries it over as it was, sealed again") && page.body.contains("value=\"correct\""), "\(page.body)")
        #expect(!PersonalDataCommandTests.secrets.contains { page.body.contains($0) } && !page.body.contains("Maria") && !page.body.contains("field.pii"), "\(page.body)")
        let otherWorker = try await server.request("/correct", body: form([("seq", "9"), ("reason", "Wrong worker"), ("action", "check"), ("field.workerRef", "W-1")]), headers: urlEncoded)
        #expect(otherWorker.status == 400 && otherWorker.body.contains("stays with the worker it is about: a mended copy cannot change workerRef"), "\(otherWorker.body)")
        let corrected = try await server.request("/correct", body: form([("seq", "9"), ("reason", "Wrong council"), ("action", "correct"), ("field.laCode", "E08000026")]), headers: urlEncoded)
        #expect(corrected.status == 201 && corrected.body.contains("Retracted seq 9 (EventRetracted at seq 11); the right fact recorded at seq 12"), "\(corrected.body)")
        #expect(!PersonalDataCommandTests.secrets.contains { corrected.body.contains($0) })
        let right = try JSONValue(parsing: try cli.expect(0, ["read", "--from", "12", "--reveal", "--master-key", key]).standardOutput)
        #expect(right["data"]?["laCode"] == "E08000026" && right["data"]?["pii"]?["familyName"] == "Marisolplain" && right["data"]?["pii"]?["email"] == "maria@example.org", "\(right)")
        #expect(try cli.expect(0, ["access-log", "--json"]).standardOutput.split(separator: "\n").count == 1, "only the test's own reveal is recorded")
        let retracted = try await server.request("/correct", body: form([("seq", "10"), ("reason", "Recorded twice"), ("action", "retract")]), headers: urlEncoded)
        #expect(retracted.status == 201 && retracted.body.contains("Retracted seq 10 (EventRetracted at seq 13)"), "\(retracted.body)")
    }
}
