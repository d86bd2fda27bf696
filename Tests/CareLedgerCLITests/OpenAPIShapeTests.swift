import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `/openapi.json` promises each answer's shape (SPEC section 9's, and those of the routes the SPEC
/// leaves to us): a client generated from it, or an integrator reading it, relies on that. These
/// tests hold every answer of a real server, every route with every role, published and not,
/// failures included, to the schema the document gives for it, through
/// `Tools/reference/openapicheck.py`: `openapi-spec-validator` for the document, Python's
/// `jsonschema` for the bodies, with every documented object closed, so an undocumented member
/// fails too.
@Suite struct OpenAPIShapeTests {
    /// One request and its answer, as the checker reads it.
    struct Exchange {
        let method: String
        let template: String
        /// The path as requested, its query included.
        let path: String
        let answer: RunningServer.Answer

        var line: String {
            let media = answer.contentType ?? ""
            let body = media.contains("json") ? ((try? JSONValue(parsing: answer.body)) ?? .string(answer.body)) : .string(answer.body)
            let query = URLComponents(string: path)?.queryItems ?? []
            return JSONValue.object([("method", .string(method)), ("path", .string(template)), ("status", .integer(Int64(answer.status))),
                                     ("contentType", .string(media)), ("body", body),
                                     ("query", .object(query.map { ($0.name, .string($0.value ?? "")) }))]).compactText
        }
    }

    @Test func everyAnswerHasTheShapeTheDocumentGivesIt() async throws {
        let python = try #require(ReferencePython.interpreter(importing: ["jsonschema", "openapi_spec_validator"]),
                                  "a python3 with jsonschema and openapi-spec-validator: pip's has them on this kind of machine")
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let key = cli.folder.file("master.key")
        try cli.expect(0, ["keys", "init", "--master-key", key])
        try cli.expect(0, ["demo", "--workers", "60", "--seed", "4", "--personal-data", "--master-key", key])
        var tokens: [String: String] = [:]
        for role in ["writer", "staff", "auditor", "board"] { tokens[role] = try cli.token("t-\(role)", role: role) }
        let earlier = try cli.digest()
        let server = try RunningServer(data: cli.data, arguments: ["--master-key", key])
        defer { server.stop() }

        var exchanges: [Exchange] = []
        func exchange(_ template: String, _ path: String, as role: String?, body: String? = nil, headers: [String: String] = [:]) async throws {
            var headers = headers
            if let role { headers["Authorization"] = "Bearer \(tokens[role] ?? role)" }
            let answer = try await server.request(path, body: body, headers: headers)
            exchanges.append(Exchange(method: body == nil ? "get" : "post", template: template, path: path, answer: answer))
        }
        let timeline = "/v1/timeline/{kind}/{id}"

        // The log, page by page, stored and revealed; a writer reads streams only.
        for role in ["staff", "auditor", "writer", nil] { try await exchange("/v1/events", "/v1/events?limit=3", as: role) }
        for query in ["from=2&limit=2&type=WorkerRegistered", "stored=true&type=WorkerRegistered&limit=2", "reveal=true&type=SupportProvided&limit=2",
                      "from=0", "limit=99999", "type=WorkerRegisterd"] {
            try await exchange("/v1/events", "/v1/events?\(query)", as: "staff")
        }
        for role in ["writer", "staff", "board"] { try await exchange("/v1/streams/{stream}", "/v1/streams/worker-W-00007?fromVersion=2&limit=3", as: role) }
        try await exchange("/v1/streams/{stream}", "/v1/streams/worker-W-00007?reveal=true", as: "staff")

        // Appends: landed, duplicates, checks, refusals and conflicts.
        let arrived = Fixtures.event("WorkerArrived", ["workerRef": "W-00007"], on: "2025-06-03", id: "9b2f6c1e-3c1a-4e7e-9a54-2f1d0c3b7a10").compactText
        try await exchange("/v1/events", "/v1/events", as: "writer", body: arrived)
        try await exchange("/v1/events", "/v1/events", as: "writer", body: arrived)
        try await exchange("/v1/events", "/v1/events?check=true", as: "writer", body: #"{"events": [\#(arrived)]}"#)
        try await exchange("/v1/events", "/v1/events?check=true", as: "writer", body: #"{"type":"WorkerArrived","schemaVersion":1,"occurredOn":"2025-06-03","data":{"workerRef":"W-NOBODY"}}"#)
        try await exchange("/v1/events", "/v1/events", as: "writer", body: #"{"type":"WorkerArrived","schemaVersion":1,"occurredOn":"2025-06-03","data":{"workerRef":"W 7"}}"#)
        try await exchange("/v1/events", "/v1/events", as: "writer", body: #"{"events": [\#(arrived)], "expectedVersions": {"worker-W-00007": 1}}"#)
        try await exchange("/v1/events", "/v1/events", as: "writer",
                           body: #"{"type":"TrainingCompleted","schemaVersion":1,"occurredOn":"2025-06-03","data":{"workerRef":"W-00007","kind":"english","title":"\#(String(repeating: "x", count: 70_000))"}}"#)
        try await exchange("/v1/events", "/v1/events", as: "board", body: arrived)
        try await exchange("/v1/events", "/v1/events", as: nil, body: arrived)
        try await exchange("/v1/events", "/v1/events", as: "writer", body: "type,schemaVersion\nWorkerArrived,1\n", headers: ["Content-Type": "text/csv"])
        // Events dated ahead: a check's note (beside a refusal too) and an append's.
        let ahead = Fixtures.event("WorkerArrived", ["workerRef": "W-00007"], on: "2999-06-03").compactText
        try await exchange("/v1/events", "/v1/events?check=true", as: "writer", body: ahead)
        try await exchange("/v1/events", "/v1/events?check=true", as: "writer", body: ahead + "\n" + #"{"type":"WorkerArrived","schemaVersion":1,"occurredOn":"2025-06-03","data":{"workerRef":"W-NOBODY"}}"#)
        try await exchange("/v1/events", "/v1/events", as: "writer", body: ahead)
        try await exchange("/v1/schemas", "/v1/schemas?types=WorkerArrived", as: nil)
        try await exchange("/v1/schemas", "/v1/schemas?types=", as: nil)
        try await exchange("/v1/schemas", "/v1/schemas?types=WorkerArrived,EmploymentEnded&format=csv", as: nil)
        try await exchange("/v1/schemas", "/v1/schemas?types=EmploymentEnded&format=xlsx", as: nil)
        try await exchange("/v1/schemas", "/v1/schemas?types=EmploymentEnded&format=ods", as: nil)
        try await exchange("/v1/events", "/v1/events?type=WorkerArrived", as: "writer", body: "occurredOn,workerRef\n2025-06-04,W-00007\n", headers: ["Content-Type": "text/csv"])
        try await exchange("/v1/events", "/v1/events", as: "writer", body: "--x\r\n", headers: ["Content-Type": "multipart/form-data; boundary=x"])
        // A correction, whose rows in W-00007's timeline name the seqs they retract and correct.
        let retraction = Fixtures.event("EventRetracted", ["targetEventId": "9b2f6c1e-3c1a-4e7e-9a54-2f1d0c3b7a10", "reason": "A day early"], on: "2025-06-10").compactText
        let rightFact = Fixtures.event("WorkerArrived", ["workerRef": "W-00007"], on: "2025-06-04", meta: ["corrects": "9b2f6c1e-3c1a-4e7e-9a54-2f1d0c3b7a10"]).compactText
        try await exchange("/v1/events", "/v1/events", as: "writer", body: #"{"events": [\#(retraction), \#(rightFact)]}"#)

        // The read models, for staff and as published to a board; tables too.
        for role in ["staff", "board"] {
            for query in ["", "?asOf=2025-03-31", "?asOf=2025-03-31&format=csv", "?knownAt=2020-01-01T00:00:00Z"] {
                try await exchange("/v1/caseload", "/v1/caseload\(query)", as: role)
            }
            for query in ["period=2023-24", "period=2024-25&by=provider", "period=2024-25&by=viaReplacement&horizons=1,24", "period=2024-25&by=route&publish=true",
                          "period=2024-25&by=laCode", "period=2024/25"] {
                try await exchange("/v1/retention", "/v1/retention?\(query)", as: role)
            }
            for query in ["period=2024-25", "period=2024-Q3", "period=2025-01-01..2025-12-31&format=csv"] {
                try await exchange("/v1/partners", "/v1/partners?\(query)", as: role)
            }
            try await exchange("/v1/timeline/programme", "/v1/timeline/programme?period=2024-25", as: role)
            for path in ["/v1/timeline/provider/P-001", "/v1/timeline/partner/PT-09", "/v1/timeline/worker/W-00007", "/v1/timeline/case/C-00008",
                         "/v1/timeline/worker/W-99999", "/v1/timeline/workers/W-00007"] {
                try await exchange(timeline, path, as: role)
            }
        }
        try await exchange("/v1/caseload", "/v1/caseload?asOf=2025-13-01", as: "staff")
        try await exchange("/v1/caseload", "/v1/caseload", as: "writer")
        try await exchange("/v1/caseload", "/v1/caseload", as: "not-a-token")

        // Integrity, changes and personal data.
        for role in ["writer", "staff", "board"] { try await exchange("/v1/digest", "/v1/digest", as: role) }
        try await exchange("/v1/digest", "/v1/digest?knownAt=2000-01-01T00:00:00Z", as: "staff")
        try await exchange("/v1/verify", "/v1/verify", as: "auditor")
        try await exchange("/v1/verify", "/v1/verify?digest=\(earlier)", as: "auditor")
        try await exchange("/v1/verify", "/v1/verify?digest=1:\(String(repeating: "0", count: 64))", as: "auditor")
        try await exchange("/v1/verify", "/v1/verify?digest=nonsense", as: "auditor")
        for query in ["since=\(earlier)", "since=\(earlier)&publish=true", "since=\(earlier)&figures=true&period=2025-26",
                      "since=1:\(String(repeating: "0", count: 64))", "", "since=\(earlier)&format=csv"] {
            try await exchange("/v1/changes", "/v1/changes?\(query)", as: "staff")
        }
        try await exchange("/v1/changes", "/v1/changes?since=\(earlier)", as: "board")
        try await exchange("/v1/access-log", "/v1/access-log", as: "staff")
        try await exchange("/v1/access-log", "/v1/access-log?worker=W-00007", as: "auditor")
        try await exchange("/v1/erasures", "/v1/erasures", as: "staff", body: #"{"workerRef": "W-00007", "requestReference": "DSR-1"}"#)
        try await exchange("/v1/erasures", "/v1/erasures", as: "staff", body: #"{"workerRef": "W-00007", "requestReference": "DSR-2"}"#)
        try await exchange("/v1/erasures", "/v1/erasures", as: "staff", body: #"{"workerRef": "W-00008", "requestReference": "DSR-3", "dryRun": true}"#)
        for path in ["/v1/schemas", "/healthz", "/metrics", "/openapi.json"] { try await exchange(path, path, as: nil) }

        // Bodies the document names a component for: an event stream's messages (the events as
        // GET /v1/events serves them), and the CLI's --json, which is the HTTP JSON (SPEC 7).
        var components: [(name: String, line: String)] = []
        func component(_ schema: String, _ body: String, from source: String) {
            let value = (try? JSONValue(parsing: body)) ?? .string(body)
            components.append(("\(source) as \(schema)", JSONValue.object([("component", .string(schema)), ("body", value)]).compactText))
        }
        let subscriber = try SubscribeTests.Subscriber(server.address + "/v1/subscribe?from=1&reveal=true", headers: ["Authorization: Bearer \(tokens["staff"]!)"])
        subscriber.read(until: 41)  // so the 40th message has come whole
        subscriber.stop()
        // Whole messages: each ends with a blank line, and the last may have been cut off.
        let whole = subscriber.received.range(of: "\n\n", options: .backwards).map { subscriber.received[..<$0.upperBound] } ?? ""
        for line in whole.split(separator: "\n") where line.hasPrefix("data: ") { component("StoredEvent", String(line.dropFirst(6)), from: "an event stream's message") }
        #expect(components.count >= 40)
        let event = cli.folder.write("event.ndjson", Fixtures.event("WorkerArrived", ["workerRef": "W-00009"], on: "2025-06-03").compactText + "\n")
        let commands: [(String, [String])] = [
            ("Digest", ["digest", "--json"]), ("Verification", ["verify", "--json"]), ("Schemas", ["schemas", "--json"]),
            ("BatchCheck", ["append", event, "--check", "--json"]), ("Appended", ["append", event, "--json"]),
            ("Appended", ["record", "WorkerArrived", "--on", "2025-06-04", "workerRef=W-00009", "--json"]),
            ("Caseload", ["query", "caseload", "--as-of", "2025-03-31", "--json"]), ("Caseload", ["query", "caseload", "--publish", "--json"]),
            ("Retention", ["query", "retention", "--period", "2024-25", "--by", "viaReplacement", "--json"]),
            ("Retention", ["query", "retention", "--period", "2024-25", "--publish", "--json"]),
            ("PartnerActivity", ["query", "partners", "--period", "2024-25", "--publish", "--json"]),
            ("Timeline", ["timeline", "worker", "W-00009", "--json"]), ("Timeline", ["timeline", "provider", "P-001", "--publish", "--json"]),
            ("ProgrammeTimeline", ["timeline", "programme", "--period", "2024-25", "--json"]),
            ("Changes", ["changes", "--since", earlier, "--json"]), ("Changes", ["changes", "--since", earlier, "--publish", "--json"]),
        ]
        for (schema, arguments) in commands {
            let printed = try cli.expect(0, arguments).standardOutput
            component(schema, printed, from: "careledger \(arguments.prefix(2).joined(separator: " "))")
        }
        for line in try cli.expect(0, ["read", "--limit", "20", "--stored"]).standardOutput.split(separator: "\n") {
            component("StoredEvent", String(line), from: "careledger read --stored")
        }

        let document = cli.folder.write("openapi.json", try await server.request("/openapi.json").body)
        let run = try ReferencePython.run(python, ReferencePython.script("openapicheck.py"), [document],
                                          input: (exchanges.map(\.line) + components.map(\.line)).map { $0 + "\n" }.joined())
        try #require(run.status == 0, "\(run.errors)")
        let verdicts = try run.output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        try #require(verdicts.count == exchanges.count + components.count)
        let named = exchanges.map { "\($0.method.uppercased()) \($0.template) \($0.answer.status)" } + components.map(\.name)
        let findings = zip(named, verdicts).filter { $1["ok"] != .bool(true) }.map { name, verdict in "\(name): \(verdict["errors"]?.compactText ?? "")" }
        #expect(findings.count == 0, "\(findings.count) of \(verdicts.count) answers differ from the document:\n\(findings.prefix(20).joined(separator: "\n"))")

        // The walk reached every documented operation (bar the endless event stream) with a
        // success, and the failures a client must handle.
        let succeeded = Set(exchanges.filter { $0.answer.status < 300 }.map { "\($0.method) \($0.template)" })
        let documented = Set(try JSONValue(parsing: try String(contentsOfFile: document, encoding: .utf8))["paths"]?.objectValue?.flatMap { path, item in
            (item.objectValue ?? []).map { "\($0.0) \(path)" }
        } ?? [])
        #expect(documented.subtracting(succeeded) == ["get /v1/subscribe"])
        #expect(Set(exchanges.map(\.answer.status)).isSuperset(of: [200, 201, 400, 401, 403, 404, 409, 413, 415]))
    }
}
