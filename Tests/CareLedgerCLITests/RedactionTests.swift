import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// Personal data over HTTP (SPEC sections 6 and 8), every route with every role, on a real server.
@Suite struct RedactionTests {
    @Test func everyRouteRedactsForEveryRoleUnlessStaffReveals() async throws {
        let (cli, key) = try PersonalDataCommandTests.workspace()
        var tokens: [String: String] = [:]
        for role in ["writer", "staff", "auditor", "board"] {
            tokens[role] = try cli.expect(0, ["tokens", "add", "t-\(role)", "--role", role]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let server = try RunningServer(data: cli.data, arguments: ["--master-key", key])
        defer { server.stop() }
        let roles = ["writer", "staff", "auditor", "board", "none"]
        let secrets = PersonalDataCommandTests.secrets

        // Every GET route, as each role: no personal data anywhere, whatever is asked (bar a staff reveal).
        let routes = [
            "/v1/events", "/v1/events?type=WorkerRegistered", "/v1/streams/worker-W-2", "/v1/streams/case-C-1",
            "/v1/events?stored=true", "/v1/streams/worker-W-2?stored=true", "/v1/events?reveal=true", "/v1/streams/worker-W-2?reveal=true",
            "/v1/caseload", "/v1/retention?period=2024-25", "/v1/partners?period=2024-25", "/v1/timeline/programme?period=2024-25",
            "/v1/timeline/worker/W-2", "/v1/timeline/case/C-1", "/v1/timeline/partner/PT-2", "/v1/timeline/provider/P-1",
            "/v1/verify", "/v1/digest", "/v1/access-log", "/healthz", "/metrics", "/openapi.json", "/v1/schemas", "/",
        ]
        for path in routes {
            for role in roles {
                let answer = try await server.request(path, token: tokens[role])
                let revealing = path.contains("reveal=true") && role == "staff"
                if revealing {
                    #expect(answer.status == 200 && answer.body.contains("Marisolplain"), "staff reveal \(path): \(answer.status)")
                } else {
                    #expect(secrets.allSatisfy { !answer.body.contains($0) }, "\(role) GET \(path) shows personal data")
                }
                if answer.status == 200 && path.contains("W-2") && !path.contains("timeline") && !path.contains("=true") {
                    #expect(answer.body.contains(#""pii":"[redacted]""#), "\(role) GET \(path)")
                }
                // Whatever a role without personal-data access asks, it reads "[redacted]".
                if path.contains("=true") && answer.status == 200 && !revealing
                    && !(path.contains("stored=true") && ["staff", "auditor"].contains(role)) {
                    #expect(answer.body.contains(#""pii":"[redacted]""#) && !answer.body.contains("ciphertext"), "\(role) GET \(path)")
                }
                if path.contains("stored=true") && ["staff", "auditor"].contains(role) { #expect(answer.body.contains("ciphertext")) }
                if path.hasPrefix("/v1/streams") && role == "writer" { #expect(answer.status == 200, "writer GET \(path)") }
                if path == "/v1/access-log" { #expect(answer.status == (role == "staff" ? 200 : role == "none" ? 401 : 403), "\(role) access log") }
            }
        }
        // Server-Sent Events redact too, and reveal for staff alone.
        for (query, role) in [("", "auditor"), ("&reveal=true", "staff")] {
            let subscriber = try SubscribeTests.Subscriber(server.address + "/v1/subscribe?from=1" + query, headers: ["Authorization: Bearer \(tokens[role]!)"])
            #expect(subscriber.read(until: 10).contains(10))
            subscriber.stop()
            let text = subscriber.received
            #expect(text.contains("Marisolplain") == (role == "staff"), "subscribe\(query) as \(role)")
        }

        // Each staff reveal was recorded, naming the token and the route.
        let log = try JSONValue(parsing: try await server.request("/v1/access-log?worker=W-2", token: tokens["staff"]).body)
        let vias = Set((log["entries"]?.arrayValue ?? []).compactMap { $0["via"]?.stringValue })
        #expect(vias == ["GET /v1/events", "GET /v1/streams/worker-W-2", "GET /v1/subscribe"])
        #expect(log["entries"]?[0]?["who"] == "token:t-staff" && log["verification"]?["ok"] == true)

        // A writer's personal data over HTTP is sealed through group commit like the CLI's.
        let note = Fixtures.event("SupportProvided", ["caseId": "C-1", "partnerId": "PT-1", "kind": "wellbeing", "notes": "Called from Postedplainville"]).compactText
        #expect(try await server.request("/v1/events", body: note, token: tokens["writer"]).status == 201)
        let posted = try await server.request("/v1/events?from=11&stored=true", token: tokens["auditor"]).body
        #expect(posted.contains(#""notes":{"ciphertext":""#) && !posted.contains("Postedplainville"))
        #expect(PersonalDataCommandTests.files(in: cli.data, holding: "Postedplainville").isEmpty)

        // Erasure is the staff role's; a writer cannot slip it in as an event.
        let erasure = #"{"workerRef": "W-2", "requestReference": "DSR-7"}"#
        for role in ["writer", "auditor", "board"] { #expect(try await server.request("/v1/erasures", body: erasure, token: tokens[role]).status == 403) }
        let smuggled = Fixtures.event("PersonalDataErased", ["workerRef": "W-2", "requestReference": "DSR-7"]).compactText
        #expect(try await server.request("/v1/events", body: smuggled, token: tokens["writer"]).status == 403)
        // An erasure cannot be undone, so a member it does not know is refused, not ignored.
        let dryRun = try await server.request("/v1/erasures", body: #"{"workerRef": "W-2", "requestReference": "DSR-7", "dryRun": true}"#, token: tokens["staff"])
        let dryRunProblem = try JSONValue(parsing: dryRun.body)
        #expect(dryRun.status == 400 && dryRunProblem["pointer"] == "/dryRun", "\(dryRun.body)")
        #expect(try await server.request("/v1/streams/worker-W-2?reveal=true", token: tokens["staff"]).body.contains("Marisolplain"), "nothing was erased")
        let erased = try await server.request("/v1/erasures", body: erasure, token: tokens["staff"])
        #expect(erased.status == 201, "\(erased.body)")
        #expect(try JSONValue(parsing: erased.body)["keyDestroyed"] == .bool(true), "W-2 held personal data: \(erased.body)")
        let plain = Fixtures.event("WorkerRegistered", ["workerRef": "W-30", "route": "displaced", "nationality": "GH", "laCode": "E08000025"]).compactText
        #expect(try await server.request("/v1/events", body: plain, token: tokens["writer"]).status == 201)
        let none = try await server.request("/v1/erasures", body: #"{"workerRef": "W-30", "requestReference": "DSR-8"}"#, token: tokens["staff"])
        let noneAnswer = try JSONValue(parsing: none.body)
        #expect(none.status == 201 && noneAnswer["keyDestroyed"] == .bool(false), "W-30 held none: \(none.body)")
        let again = try await server.request("/v1/erasures", body: erasure, token: tokens["staff"])
        let problem = try JSONValue(parsing: again.body)
        #expect(again.status == 400 && problem["pointer"] == "/workerRef", "the request's own field, not /data/… of an event")
        #expect(problem["detail"]?.stringValue?.hasPrefix("/workerRef: the personal data of worker W-2 was already erased") == true, "\(again.body)")
        let after = try await server.request("/v1/streams/worker-W-2?reveal=true", token: tokens["staff"])
        #expect(after.body.contains(#""pii":"[erased]""#) && !after.body.contains("Marisolplain"))
        #expect(try JSONValue(parsing: try await server.request("/v1/verify", token: tokens["auditor"]).body)["ok"] == true)
    }

    /// `keys rotate-master` run while the server serves: personal data is refused with 503 (the
    /// operator's to put right, not the request's 400), nothing is written, and once the new key
    /// file is put in place of the one the server was given, it serves again with no restart.
    @Test func aMasterKeyRotatedWhileServingIsTakenUpFromItsFile() async throws {
        let (cli, key) = try PersonalDataCommandTests.workspace()
        let journal = cli.folder.file("server.log")
        let server = try RunningServer(data: cli.data, arguments: ["--master-key", key], errors: journal)
        defer { server.stop() }
        let reveal = "/v1/streams/worker-W-2?reveal=true"
        #expect(try await server.request(reveal).body.contains("Marisolplain"))
        let newKey = cli.folder.file("master-2.key")
        try cli.expect(0, ["keys", "rotate-master", "--master-key", key, "--new-master-key", newKey])
        let head = try cli.digest()
        let registration = Fixtures.ndjson([Fixtures.event("WorkerRegistered", ["workerRef": "W-3", "route": "displaced", "nationality": "PH", "laCode": "E08000025",
                                                                                 "pii": ["givenName": "Ana"]])])
        for answer in [try await server.request(reveal), try await server.request("/v1/events", body: registration)] {
            #expect(answer.status == 503 && answer.contentType == "application/problem+json", "\(answer.status) \(answer.body)")
            #expect(answer.body.contains("keys rotate-master") && answer.body.contains("put the new key file in place of \(key)"), "\(answer.body)")
        }
        #expect(try cli.digest() == head, "nothing was written")
        // The operator reads it in the server's journal too: a 503 is theirs to put right.
        let logged = try String(contentsOfFile: journal, encoding: .utf8)
        #expect(logged.contains("error careledger: GET /v1/streams/worker-W-2: 503 unavailable: reading personal data is not possible now") &&
                logged.contains("POST /v1/events: 503 unavailable: "), "\(logged)")
        try FileManager.default.removeItem(atPath: key)
        try FileManager.default.moveItem(atPath: newKey, toPath: key)
        #expect(try await server.request(reveal).body.contains("Marisolplain"))
        #expect(try await server.request("/v1/events", body: registration).status == 201)
    }

    /// A server started without the master key says so at start, and answers a batch carrying
    /// personal data, and a reveal, 503: its operator's to put right by a restart, not the
    /// request's (a writer told 400 would drop a valid batch). Nothing is written; the
    /// refusal still names the event and the member.
    @Test func withoutAMasterKeyPersonalDataWaitsForTheOperator() async throws {
        let (cli, _) = try PersonalDataCommandTests.workspace()
        let journal = cli.folder.file("server.log")
        let server = try RunningServer(data: cli.data, errors: journal)
        defer { server.stop() }
        let head = try cli.digest()
        let registration = Fixtures.ndjson([Fixtures.event("WorkerRegistered", ["workerRef": "W-3", "route": "displaced", "nationality": "PH", "laCode": "E08000025",
                                                                                 "pii": ["givenName": "Ana"]])])
        let posted = try await server.request("/v1/events", body: registration)
        #expect(posted.status == 503 && posted.contentType == "application/problem+json", "\(posted.status) \(posted.body)")
        let problem = try JSONValue(parsing: posted.body)
        #expect(problem["line"] == .number(1) && problem["pointer"] == "/data/pii", "\(posted.body)")
        #expect(problem["detail"]?.stringValue?.contains("this server was started without one: its operator must restart `careledger serve` with --master-key FILE") == true,
                "\(posted.body)")
        let reveal = try await server.request("/v1/streams/worker-W-2?reveal=true")
        #expect(reveal.status == 503 && reveal.body.contains("reading personal data needs the master key"), "\(reveal.status) \(reveal.body)")
        // On the dashboard's record page the refusal is the page, its rows kept, not a problem document.
        let rows = "occurredOn,workerRef,route,nationality,laCode,pii.givenName\n2025-05-02,W-4,displaced,PH,E08000025,Ana\n"
        for action in ["check", "record"] {
            let page = try await server.request("/record", body: RecordPageTests.form([("type", "WorkerRegistered"), ("rows", rows), ("action", action)]),
                                                 headers: ["Content-Type": "application/x-www-form-urlencoded"])
            #expect(page.status == 503 && page.contentType?.hasPrefix("text/html") == true, "\(action): \(page.status) \(page.body)")
            #expect(page.body.contains("this server was started without one") && page.body.contains(">occurredOn,workerRef,route,nationality,laCode,pii.givenName"),
                    "\(action): \(page.body)")
        }
        #expect(try cli.digest() == head, "nothing was written")
        // What carries none is served and recorded as ever.
        #expect(try await server.request("/v1/streams/worker-W-2").body.contains(#""pii":"[redacted]""#))
        let plain = Fixtures.event("WorkerRegistered", ["workerRef": "W-30", "route": "displaced", "nationality": "GH", "laCode": "E08000025"]).compactText
        #expect(try await server.request("/v1/events", body: plain).status == 201)
        let logged = try String(contentsOfFile: journal, encoding: .utf8)
        #expect(logged.contains("careledger: note: the ledger holds personal data of 2 workers, and no master key was given"), "said at start: \(logged)")
        #expect(logged.contains("POST /v1/events: 503 unavailable: ") && logged.contains("GET /v1/streams/worker-W-2: 503 unavailable: ")
                && logged.contains("POST /record: 503 unavailable: "), "\(logged)")
    }
}
