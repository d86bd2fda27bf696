import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerJSON
import LedgerTestSupport
import Testing

/// `careledger serve` as a subprocess on an ephemeral loopback port, exercised over HTTP.
@Suite struct ServerTests {
    @Test func readRoutesAnswerWhatTheCommandLineAnswers() async throws {
        let cli = try ReadModelCommandTests.demo(workers: 60, seed: 8)
        let instant = "2100-01-01T00:00:00Z"
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let pairs: [(String, [String])] = [
            ("/v1/caseload?asOf=2025-06-30&knownAt=\(instant)", ["query", "caseload", "--as-of", "2025-06-30", "--known-at", instant, "--json"]),
            ("/v1/retention?period=2024-25&by=provider&knownAt=\(instant)", ["query", "retention", "--period", "2024-25", "--by", "provider", "--known-at", instant, "--json"]),
            ("/v1/partners?period=2025-Q1&knownAt=\(instant)&publish=true", ["query", "partners", "--period", "2025-Q1", "--known-at", instant, "--publish", "--json"]),
            ("/v1/timeline/worker/W-00003?knownAt=\(instant)", ["timeline", "worker", "W-00003", "--known-at", instant, "--json"]),
            ("/v1/timeline/programme?period=2024-25&knownAt=\(instant)", ["timeline", "programme", "--period", "2024-25", "--known-at", instant, "--json"]),
        ]
        for (path, arguments) in pairs {
            let answer = try await server.request(path)
            #expect(answer.status == 200, "\(path): \(answer.body)")
            #expect(answer.contentType == "application/json")
            let expected = try cli.expect(0, arguments).standardOutput
            #expect(answer.body.trimmingCharacters(in: .newlines) == expected.trimmingCharacters(in: .newlines), "\(path)")
        }
        let digest = try JSONValue(parsing: try await server.request("/v1/digest").body)
        let head = try cli.expect(0, ["digest"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":")
        #expect(digest["seq"]?.integerValue == Int64(head[0]))
        #expect(digest["hash"]?.stringValue == String(head[1]))
        let verify = try JSONValue(parsing: try await server.request("/v1/verify").body)
        #expect(verify["ok"] == true)
        let missing = try await server.request("/v1/timeline/worker/W-NOBODY")
        #expect(missing.status == 404 && missing.contentType == "application/problem+json")
        let malformed = try await server.request("/v1/timeline/worker/W%2F1")
        let malformedDetail = try JSONValue(parsing: malformed.body)["detail"]?.stringValue ?? ""
        #expect(malformed.status == 404 && malformedDetail.hasPrefix("\"W/1\" is not a worker id"), "\(malformed.body)")
        let bad = try await server.request("/v1/retention?period=2024-13x")
        #expect(bad.status == 400)
        #expect(try JSONValue(parsing: bad.body)["detail"]?.stringValue?.contains("is not a period") == true)
        // A horizon named twice is refused, and the server lives on (it once crashed the process).
        let twice = try await server.request("/v1/retention?period=2024-25&horizons=3,3")
        #expect(twice.status == 400 && twice.body.contains("twice"), "\(twice.body)")
        #expect(try await server.request("/healthz").status == 200)
    }

    @Test func eventsPageByGlobalSeqAndByStream() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let page = try JSONValue(parsing: try await server.request("/v1/events?from=2&limit=3").body)
        #expect(page["events"]?.arrayValue?.compactMap { $0["seq"]?.integerValue } == [2, 3, 4])
        #expect(page["next"] == 5)
        let last = try JSONValue(parsing: try await server.request("/v1/events?from=7").body)
        #expect(last["next"] == .null)
        let ndjson = try await server.request("/v1/events?from=1&limit=2", accept: "application/x-ndjson")
        #expect(ndjson.contentType == "application/x-ndjson")
        #expect(ndjson.body.split(separator: "\n").count == 2)
        let stream = try JSONValue(parsing: try await server.request("/v1/streams/worker-W-1?fromVersion=2&limit=1").body)
        #expect(stream["events"]?[0]?["streamVersion"] == 2)
        #expect(stream["events"]?[0]?["type"] == "EmploymentStarted")
        #expect(try await server.request("/v1/events?limit=10001").status == 400)
        // Path parameters are percent-decoded: a client that encodes an id's characters reads the same.
        let encoded = try await server.request("/v1/streams/worker%2DW%2D1?fromVersion=2&limit=1")
        let encodedStream = try JSONValue(parsing: encoded.body)
        #expect(encoded.status == 200 && encodedStream == stream)
        let timeline = try await server.request("/v1/timeline/worker/W-1")
        let encodedTimeline = try await server.request("/v1/timeline/worker/W%2D1")
        let (plainEvents, encodedEvents) = (try JSONValue(parsing: timeline.body)["events"], try JSONValue(parsing: encodedTimeline.body)["events"])
        #expect(encodedTimeline.status == 200 && encodedEvents == plainEvents && plainEvents != nil)
    }

    @Test func appendsAnswerWithPositionsProblemsAndConflicts() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        let arrival = Fixtures.event("WorkerArrived", ["workerRef": "W-1"], id: "00000000-0000-4000-8000-0000000000a1")
        let created = try await server.request("/v1/events", body: #"{"events":[\#(arrival.compactText)],"expectedVersions":{"worker-W-1":2}}"#)
        #expect(created.status == 201, "\(created.body)")
        let position = try JSONValue(parsing: created.body)["events"]?[0]
        #expect(position?["seq"] == 9 && position?["stream"] == "worker-W-1" && position?["streamVersion"] == 3)
        #expect(try await server.request("/v1/events", body: arrival.compactText).status == 200)

        let bad = Fixtures.event("WorkerArrived", ["workerRef": "W-1", "shoeSize": 9])
        let refused = try await server.request("/v1/events", body: #"{"events":[\#(arrival.compactText),\#(bad.compactText)]}"#)
        #expect(refused.status == 400 && refused.contentType == "application/problem+json")
        let problem = try JSONValue(parsing: refused.body)
        #expect(problem["eventIndex"] == 1 && problem["pointer"] == "/data/shoeSize")
        #expect(problem["detail"]?.stringValue?.contains("event 1: /data/shoeSize") == true)

        let conflict = try await server.request("/v1/events", body: #"{"events":[\#(Fixtures.event("WorkerArrived", ["workerRef": "W-1"]).compactText)],"expectedVersions":{"worker-W-1":2}}"#)
        #expect(conflict.status == 409)
        #expect(try JSONValue(parsing: conflict.body)["detail"]?.stringValue?.contains("expected version 2, actual 3") == true)

        let huge = Fixtures.event("PartnerRegistered", ["partnerId": "PT-77", "name": .string(String(repeating: "x", count: 70_000)), "kind": "hub"])
        #expect(try await server.request("/v1/events", body: huge.compactText).status == 413)
        // A body over 16 MiB is a problem document that says what to do, not an empty 413.
        let overLimit = try await server.request("/v1/events", body: String(repeating: "\n", count: 16 * 1024 * 1024 + 1))
        #expect(overLimit.status == 413 && overLimit.contentType == "application/problem+json")
        #expect(try JSONValue(parsing: overLimit.body)["detail"]?.stringValue?.hasPrefix("a batch of events is at most 16 MiB, and this body is longer: send the events in batches") == true, "\(overLimit.body)")
        // A body framed by a Transfer-Encoding that is not chunked cannot be read: the request's
        // fault, 400 saying so, where it was 500 as if the server had failed (sign-in too).
        for (path, what) in [("/v1/events", "a batch of events"), ("/signin", "a sign-in form")] {
            let framed = try server.raw("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n")
            #expect(framed.hasPrefix("HTTP/1.1 400") && framed.contains("\(what) could not be read from this request"), "\(framed)")
        }
        #expect(try JSONValue(parsing: try await server.request("/v1/digest").body)["seq"] == 9)
        #expect(server.stop() == 0, "SIGTERM ends the server cleanly")
        #expect(server.printedSinceStart().contains("careledger stopped serving \(cli.data): the requests in flight were finished"))
        try cli.expect(0, ["verify"])
    }

    /// Concurrent clients share write transactions (group commit); every append lands, in the
    /// order of commit, with no gaps, and the chain verifies.
    @Test func concurrentAppendsAllLandWithoutGaps() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let clients = 120
        let answers = try await withThrowingTaskGroup(of: RunningServer.Answer.self) { group in
            for i in 0..<clients {
                let event = i % 10 == 9
                    ? Fixtures.event("WorkerArrived", ["workerRef": "W-NOBODY"])  // refused: one client's mistake
                    : Fixtures.event("TrainingCompleted", ["workerRef": "W-1", "kind": "mandatory", "title": .string("Course \(i)")])
                group.addTask { try await server.request("/v1/events", body: event.compactText) }
            }
            var all: [RunningServer.Answer] = []
            for try await answer in group { all.append(answer) }
            return all
        }
        #expect(answers.filter { $0.status == 400 }.count == clients / 10)
        let landed = answers.filter { $0.status == 201 }
        #expect(landed.count == clients - clients / 10)
        let seqs = try landed.map { try JSONValue(parsing: $0.body)["events"]?[0]?["seq"]?.integerValue ?? 0 }.sorted()
        #expect(seqs == Array(9...Int64(8 + landed.count)), "no gaps after the 8 events of the world")
        let versions = try landed.map { try JSONValue(parsing: $0.body)["events"]?[0]?["streamVersion"]?.integerValue ?? 0 }.sorted()
        #expect(versions == Array(3...Int64(2 + landed.count)))
        #expect(try JSONValue(parsing: try await server.request("/v1/verify").body)["ok"] == true)
    }

    /// SIGTERM while appends are in flight: every append answered 201 is in the log, with no gaps,
    /// the chain verifies, and the server exits cleanly.
    @Test func shutdownFinishesAppendsInFlight() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        let answers = try await withThrowingTaskGroup(of: Int?.self) { group in
            for i in 0..<80 {
                let event = Fixtures.event("TrainingCompleted", ["workerRef": "W-1", "kind": "mandatory", "title": .string("Course \(i)")])
                group.addTask { (try? await server.request("/v1/events", body: event.compactText))?.status }
            }
            try await Task.sleep(for: .milliseconds(30))
            let status = server.stop()
            #expect(status == 0)
            var all: [Int?] = []
            for try await answer in group { all.append(answer) }
            return all
        }
        let created = answers.filter { $0 == 201 }.count
        #expect(answers.allSatisfy { $0 == nil || $0 == 201 }, "an append is answered 201 or not at all")
        let head = try cli.expect(0, ["digest"]).standardOutput.split(separator: ":")[0]
        #expect(Int(head)! >= 8 + created, "every 201 is in the log")
        try cli.expect(0, ["verify"])
    }

    /// SIGKILL while appends are in flight: the server answers 201 only after its group committed,
    /// so every event answered 201 is in the log after the crash, the rest are whole or absent,
    /// and the chain verifies.
    @Test func aCrashLosesNoAnsweredAppend() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        let tally = AnsweredAppends()
        let sent = try await withThrowingTaskGroup(of: [String].self) { group in
            // Sixteen clients append until the server is gone.
            for client in 0..<16 {
                group.addTask {
                    var sent: [String] = []
                    for i in 0... {
                        let id = UUID().uuidString.lowercased()
                        sent.append(id)
                        let event = Fixtures.setting(
                            Fixtures.event("TrainingCompleted", ["workerRef": "W-1", "kind": "mandatory", "title": .string("Course \(client)-\(i)")]),
                            top: "id", to: .string(id))
                        guard let answer = try? await server.request("/v1/events", body: event.compactText) else { return sent }
                        if answer.status == 201 { await tally.add(id) }
                    }
                    return sent
                }
            }
            // Crash mid-stream, once some appends have been answered.
            while await tally.count < 60 { try await Task.sleep(for: .milliseconds(5)) }
            server.crash()
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        let answered = await tally.ids
        try cli.expect(0, ["verify"])
        let stored = Set(try cli.expect(0, ["read", "--type", "TrainingCompleted"]).standardOutput.split(separator: "\n").map { line in
            try JSONValue(parsing: String(line))["id"]?.stringValue ?? ""
        })
        let lost = answered.filter { !stored.contains($0) }
        #expect(answered.count >= 60 && lost.isEmpty, "answered 201 but not in the log after the crash: \(lost)")
        #expect(stored.isSubset(of: Set(sent)), "nothing appears that no client sent")
    }

    /// HEAD answers as GET without the body: monitors check /healthz with HEAD. (Through curl:
    /// Foundation's URLSession on Linux waits for a HEAD answer's announced body.)
    @Test func headAnswersAsGetWithoutItsBody() async throws {
        let cli = try CLIWorkspace().initialised()
        try cli.expect(0, ["tokens", "add", "board", "--role", "board"])
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let curl = try #require(SubscribeTests.curl)
        for path in ["/healthz", "/v1/schemas", "/v1/caseload", "/v1/no-such-route"] {
            let get = try await server.request(path)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: curl)
            process.arguments = ["-s", "-I", "--max-time", "20", server.address + path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let head = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let lines = head.split(separator: "\r\n").map(String.init)
            #expect(lines.first?.hasPrefix("HTTP/1.1 \(get.status) ") == true, "HEAD \(path): \(lines.first ?? head)")
            #expect(lines.contains { $0.lowercased() == "content-length: \(get.body.utf8.count)" }, "HEAD \(path) announces the GET's length: \(lines)")
        }
    }

    /// A path the server serves, asked with a method it does not take there, is 405 with `Allow`
    /// (RFC 9110); a path it does not serve stays 404.
    @Test func aWrongMethodIsMethodNotAllowedWithTheMethodsThePathTakes() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let cases: [(String, String, String)] = [
            ("PUT", "/v1/events", "GET, HEAD, POST"), ("DELETE", "/v1/caseload", "GET, HEAD"),
            ("POST", "/v1/timeline/worker/W-1", "GET, HEAD"), ("PATCH", "/v1/timeline/programme", "GET, HEAD"),
            ("GET", "/v1/erasures", "POST"), ("GET", "/signin", "POST"), ("POST", "/healthz", "GET, HEAD"),
        ]
        for (method, path, allowed) in cases {
            let answer = try await server.request(path, method: method)
            #expect(answer.status == 405, "\(method) \(path): \(answer.status) \(answer.body)")
            #expect(answer.allow == allowed, "\(method) \(path)")
            #expect(answer.contentType == "application/problem+json" && answer.body.contains(allowed))
        }
        for (method, path) in [("PUT", "/v1/no-such-route"), ("GET", "/v1/timeline"), ("GET", "/v1/events/extra")] {
            let missing = try await server.request(path, method: method)
            #expect(missing.status == 404, "\(method) \(path): \(missing.status)")
            #expect(missing.contentType == "application/problem+json" && missing.body.contains("no route \(path)")
                    && missing.body.contains("/openapi.json"), "the 404 says where the routes are listed: \(missing.body)")
        }
        #expect(try await server.request("/v1/timeline/worker/W-1").status == 200)
        #expect(try await server.request("/v1/events", body: "").status == 400)
    }

    /// No answer may be kept by a cache (the Back button after Sign out, a proxy serving a stale
    /// caseload) or read by a browser as another type: JSON, problems, pages, NDJSON and refusals alike.
    @Test func noAnswerIsCachedOrSniffed() async throws {
        let cli = try CLIWorkspace().initialised()
        let token = try cli.expect(0, ["tokens", "add", "sam", "--role", "staff"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let staff = ["Authorization": "Bearer \(token)"]
        let answers = [
            ("GET /v1/caseload", try await server.request("/v1/caseload", headers: staff), 200),
            ("GET /v1/events as NDJSON", try await server.request("/v1/events", accept: "application/x-ndjson", headers: staff), 200),
            ("GET / (the dashboard)", try await server.request("/", headers: staff), 200),
            ("GET /v1/caseload without a token", try await server.request("/v1/caseload"), 401),
            ("POST of a bad batch", try await server.request("/v1/events", body: "{", headers: staff), 403),
            ("GET of a path not served", try await server.request("/v1/nothing"), 404),
        ]
        for (what, answer, status) in answers {
            #expect(answer.status == status, "\(what): \(answer.status) \(answer.body)")
            #expect(answer.cacheControl == "no-store", "\(what): Cache-Control \(answer.cacheControl ?? "absent")")
            #expect(answer.contentTypeOptions == "nosniff", "\(what): X-Content-Type-Options \(answer.contentTypeOptions ?? "absent")")
        }
    }

    /// A query parameter a route does not take is refused, naming those it does: a mistyped
    /// `asof` used to be ignored, and the answer was today's caseload under the wrong date.
    /// Dates and instants at the ends of the calendar are answered or refused in words, where
    /// a default period built from such a date once stopped the whole server (a `try!`).
    @Test func theEndsOfTheCalendarAreAnsweredAndTheServerGoesOn() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        for path in ["/v1/retention?asOf=0001-02-01", "/v1/partners?asOf=0000-02-01", "/v1/retention?asOf=9999-12-31", "/?asOf=0001-02-01"] {
            #expect(try await server.request(path).status == 200, "\(path)")
        }
        let retention = try JSONValue(parsing: try await server.request("/v1/retention?asOf=0001-02-01").body)
        #expect(retention["period"] == "0000-04-01..0001-03-31", "a financial year whose digits name a month is given as its days: \(retention)")
        let beyond = try await server.request("/v1/timeline/programme?period=9999-00")
        #expect(beyond.status == 400 && beyond.body.contains("would end on 10000-03-31"), "\(beyond.body)")
        let offset = try await server.request("/v1/caseload?knownAt=9999-12-31T23:00:00-14:00")
        #expect(offset.status == 400 && offset.body.contains("is after 9999-12-31 in UTC"), "\(offset.body)")
        #expect(try await server.request("/healthz").status == 200, "still serving")
    }

    @Test func anUnknownQueryParameterIsRefusedNamingTheKnownOnes() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let asof = try await server.request("/v1/caseload?asof=2025-06-30")
        #expect(asof.status == 400 && asof.contentType == "application/problem+json")
        #expect(asof.body.contains("GET /v1/caseload has no parameter asof (did you mean asOf?): it takes asOf, format, knownAt, period, publish"), "\(asof.body)")
        #expect(try await server.request("/v1/caseload?as_of=2025-06-30").body.contains("has no parameter as_of (did you mean asOf?)"))
        #expect(try await server.request("/v1/caseload?date=2025-06-30").body.contains("has no parameter date: it takes"), "no guess at a name like none")
        let plural = try await server.request("/v1/caseloads")
        #expect(plural.status == 404 && plural.body.contains("no route /v1/caseloads (did you mean /v1/caseload?)"), "\(plural.body)")
        #expect(try await server.request("/v1/events?type=EmploymentEnd").body.contains(#"type \"EmploymentEnd\" is not an event type of the catalogue (did you mean EmploymentEnded?)"#))
        let csv = try await server.request("/v1/events", body: "type,workerRef\nWorkerArrived,W-1\n", headers: ["Content-Type": "text/csv"])
        #expect(csv.status == 400 && csv.body.contains("the CSV body's header names no occurredOn column"), "\(csv.status) \(csv.body)")
        let kind = try await server.request("/v1/timeline/workers/W-1")
        #expect(kind.status == 404 && kind.body.contains(#"no timeline of kind \"workers\" (did you mean worker?)"#), "\(kind.body)")
        #expect(try await server.request("/v1/events?limt=2").status == 400)
        let twice = try await server.request("/v1/caseload?asOf=2025-01-01&asOf=2025-06-30")
        #expect(twice.status == 400 && twice.body.contains("asOf is given more than once"), "\(twice.body)")
        #expect(try await server.request("/healthz?probe=1").body.contains("takes no query parameters"))
        #expect(try await server.request("/v1/caseload?asOf=2025-06-30").status == 200)
        #expect(try await server.request("/v1/timeline/worker/W-1?knownAt=2030-01-01T00:00:00Z").status == 200)
        #expect(try await server.request("/?nonsense=1").status == 200, "the dashboard, typed by people, is not held to it")
    }

    /// `--log-requests`: a line per request naming the caller by its token's name (never the
    /// token), the method, path and query, and the status, refusals included.
    @Test func theRequestLogNamesEachCallerButNeverItsToken() async throws {
        let cli = try CLIWorkspace().initialised()
        let token = try cli.expect(0, ["tokens", "add", "sam", "--role", "staff"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let log = cli.folder.path + "/requests.log"
        let server = try RunningServer(data: cli.data, arguments: ["--log-requests"], errors: log)
        defer { _ = server.stop() }
        #expect(try await server.request("/v1/caseload?asOf=2025-03-31", headers: ["Authorization": "Bearer \(token)"]).status == 200)
        #expect(try await server.request("/v1/caseload").status == 401)
        #expect(try await server.request("/v1/digest", headers: ["Authorization": "Bearer cl_not_a_token"]).status == 401)
        #expect(try await server.request("/v1/no-such-route").status == 404)
        _ = server.stop()  // the log is whole once the server has ended
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(lines)")
        #expect(lines.contains { $0.hasSuffix("ms") && $0.contains(" token:sam GET /v1/caseload?asOf=2025-03-31 200 ") }, "\(lines)")
        #expect(lines.contains { $0.contains(" no token GET /v1/caseload 401 ") })
        #expect(lines.contains { $0.contains(" unknown token GET /v1/digest 401 ") })
        #expect(lines.contains { $0.contains(" GET /v1/no-such-route 404 ") })
        #expect(lines.allSatisfy { $0.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z "#, options: .regularExpression) != nil }, "each line starts with its UTC time, as recordedAt is written")
        #expect(!lines.joined().contains(token) && !lines.joined().contains("cl_not_a_token"), "no token is ever written")
    }

    /// Without tokens every role is granted to this machine's own user, and loopback alone does
    /// not say who that is: a request through a reverse proxy (from loopback too), a form posted
    /// by a web page from another origin, and a request addressed to a name a page pointed at
    /// 127.0.0.1 are granted nothing, and write nothing.
    @Test func withoutTokensOnlyThisMachinesOwnUserIsServed() async throws {
        let curl = try #require(SubscribeTests.curl)
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        defer { _ = server.stop() }
        let head = try cli.digest()
        let port = server.address.split(separator: ":").last.map(String.init) ?? ""
        func fetch(_ path: String, _ arguments: [String]) throws -> (status: Int, body: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: curl)
            process.arguments = ["-s", "-w", "\n%{http_code}"] + arguments + [server.address + path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
        }
        #expect(try fetch("/v1/caseload", []).status == 200, "this machine's own user")
        #expect(try fetch("/v1/caseload", ["-H", "Host: localhost:\(port)"]).status == 200)
        let event = #"{"type":"WorkerArrived","schemaVersion":1,"occurredOn":"2025-01-02","data":{"workerRef":"W-1"},"meta":{"x":"="}}"#
        let refusals: [([String], Int, String)] = [
            (["-H", "X-Forwarded-For: 203.0.113.7"], 401, "came through a proxy"),
            (["-H", "X-Forwarded-Proto: https"], 401, "came through a proxy"),
            (["-H", "Forwarded: for=203.0.113.7"], 401, "came through a proxy"),
            (["-H", "Origin: http://evil.example", "-H", "Content-Type: text/plain"], 403, "a web page from http://evil.example"),
            (["-H", "Host: evil.example:\(port)"], 403, "not to a loopback address"),
            (["-H", "Sec-Fetch-Site: cross-site"], 403, "a page of another site"),
        ]
        for (headers, status, reason) in refusals {
            let appended = try fetch("/v1/events", headers + ["-X", "POST", "--data-binary", event])
            #expect(appended.status == status && appended.body.contains(reason), "\(headers): \(appended)")
            let read = try fetch("/v1/caseload", headers)
            #expect(read.status == status && read.body.contains(reason), "\(headers): \(read)")
            let page = try fetch("/", headers)
            #expect(page.status == status && page.body.contains(reason) && !page.body.contains("Current caseload"), "\(headers): the dashboard says why")
        }
        #expect(try cli.digest() == head, "nothing was written")
        #expect(try fetch("/v1/caseload", ["-H", "Origin: \(server.address)"]).status == 200, "the server's own pages")
        #expect(try fetch("/v1/caseload", ["-H", "Sec-Fetch-Site: same-origin"]).status == 200)
        #expect(try fetch("/", ["-H", "Sec-Fetch-Site: none"]).body.contains("<h2>Current caseload</h2>"), "an address typed or bookmarked")
        #expect(try fetch("/healthz", ["-H", "X-Forwarded-For: 203.0.113.7"]).status == 200, "nothing about people stays open")
    }

    /// Beyond loopback the server says it speaks plain HTTP and that a TLS proxy belongs in front.
    @Test func beyondLoopbackItWarnsThatItSpeaksPlainHTTP() throws {
        let cli = try CLIWorkspace().initialised()
        try cli.expect(0, ["tokens", "add", "sam", "--role", "staff"])
        let errors = cli.folder.path + "/serve-errors.txt"
        let server = try RunningServer(data: cli.data, host: "0.0.0.0", errors: errors)
        _ = server.stop()
        let warning = try String(contentsOfFile: errors, encoding: .utf8)
        #expect(warning.contains("plain HTTP") && warning.contains("TLS proxy") && warning.contains("X-Forwarded-Proto: https"), "\(warning)")
        let quiet = cli.folder.path + "/loopback-errors.txt"
        _ = try RunningServer(data: cli.data, errors: quiet).stop()
        #expect(try String(contentsOfFile: quiet, encoding: .utf8).isEmpty, "on loopback it has nothing to warn of")
    }

    /// A request log on a full disk loses the lines that do not fit, and the server goes on
    /// answering (here a file-size limit of 1 KiB stands for the full disk: once the log
    /// reached it, every line failed to write, which stopped the server before).
    @Test func aRequestLogThatCannotBeWrittenDoesNotStopTheServer() async throws {
        let cli = try CLIWorkspace().initialised()
        // Everything the server makes at start made first, so the limit falls on the log alone.
        let first = try RunningServer(data: cli.data)
        #expect(try await first.request("/v1/caseload").status == 200)
        _ = first.stop()
        let log = cli.folder.file("requests.log")
        let server = try RunningServer(data: cli.data, arguments: ["--log-requests"], errors: log,
                                       launcher: ["/bin/bash", "-c", #"trap '' XFSZ; ulimit -f 1; exec "$0" "$@""#])
        defer { _ = server.stop() }
        for _ in 0..<20 { #expect(try await server.request("/healthz").status == 200) }
        #expect(try await server.request("/v1/digest").status == 200, "still answering after its log was full")
        let lost = try await server.request("/metrics").body.split(separator: "\n").first { $0.hasPrefix("careledger_request_log_lines_lost_total ") }
        #expect(lost.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 > 0 } == true, "the lost lines are counted: \(lost ?? "none")")
        let size = try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int ?? 0
        #expect(size > 0 && size <= 1024, "the log took what fitted: \(size) bytes")
    }

    /// A port another program listens on is named as taken, not as NIO's failed system call.
    @Test func aPortInUseIsSaidInWords() throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let server = try RunningServer(data: cli.data)
        defer { _ = server.stop() }
        let port = try #require(server.address.split(separator: ":").last.map(String.init))
        let refused = try cli.expect(2, ["serve", "--port", port])
        #expect(refused.standardError == "careledger: cannot listen on 127.0.0.1:\(port): another program is listening there (another careledger serve?); stop it, or choose another port with --port (0 picks a free one)\n",
                "\(refused.standardError)")
        // A host name that names nothing (.invalid never resolves), with tokens so it is not refused first as not loopback.
        try cli.expect(0, ["tokens", "add", "sam", "--role", "staff"])
        let unknown = try cli.expect(2, ["serve", "--host", "no-such-host.invalid", "--port", "0"])
        #expect(unknown.standardError.hasSuffix("careledger: cannot listen on no-such-host.invalid: it is not an address, and no host of that name is known (--host takes an address of this machine, such as 127.0.0.1 or 0.0.0.0)\n"),
                "\(unknown.standardError)")
    }

    @Test func withoutTokensItRefusesToListenBeyondLoopback() throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let refused = try cli.expect(2, ["serve", "--host", "0.0.0.0", "--port", "0"])
        #expect(refused.standardError.contains("loopback only"))
        #expect(!refused.standardError.contains("plain HTTP"), "no warning about a server that will not start: \(refused.standardError)")
        // A token file named on purpose and missing is a mistyped path, not "no tokens".
        let missing = try cli.expect(2, ["serve", "--tokens", cli.folder.file("tokns.json"), "--port", "0"])
        #expect(missing.standardError.contains("there is no token file at \(cli.folder.file("tokns.json")) (--tokens)"), "\(missing.standardError)")
        // One that cannot be read says why, and the server does not start without it.
        let folder = try cli.expect(5, ["serve", "--tokens", cli.folder.path, "--port", "0"])
        #expect(folder.standardError.contains("cannot read the token file \(cli.folder.path): it is a folder, not a file"), "\(folder.standardError)")
    }
}

/// The ids of the appends a server answered 201, as concurrent clients report them.
actor AnsweredAppends {
    private(set) var ids: [String] = []
    var count: Int { ids.count }
    func add(_ id: String) { ids.append(id) }
}
