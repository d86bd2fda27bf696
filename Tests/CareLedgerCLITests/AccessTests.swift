import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerJSON
import LedgerTestSupport
import Testing

/// Tokens and roles (SPEC sections 7 and 8) through the real binary and a real loopback port.
@Suite struct AccessTests {
    /// Each route's answer for each role: the status, as SPEC section 8's table gives it.
    @Test func everyRouteChecksItsRole() async throws {
        let cli = try ReadModelCommandTests.demo(workers: 30, seed: 6)
        var tokens: [String: String] = [:]
        for role in ["writer", "staff", "auditor", "board"] {
            tokens[role] = try cli.expect(0, ["tokens", "add", "t-\(role)", "--role", role]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let file = try String(contentsOfFile: cli.data + "/tokens.json", encoding: .utf8)
        #expect(tokens.values.allSatisfy { !file.contains($0) }, "only hashes are stored")
        #expect(try cli.expect(0, ["tokens", "list"]).standardOutput.contains("t-board"))
        try cli.expect(4, ["tokens", "add", "t-board", "--role", "board"])

        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let provider = try #require(try JSONValue(parsing: try cli.expect(0, ["read", "--type", "ProviderRegistered", "--limit", "1"]).standardOutput)["data"]?["providerId"]?.stringValue)
        let arrival = Fixtures.event("WorkerArrived", ["workerRef": "W-00001"]).compactText
        //                                   writer staff auditor board none
        let table: [(String, String?, [Int])] = [
            ("/v1/events", arrival, [201, 403, 403, 403, 401]),
            ("/v1/events?limit=1", nil, [403, 200, 200, 403, 401]),
            ("/v1/streams/worker-W-00001?limit=1", nil, [200, 200, 200, 403, 401]),
            ("/v1/caseload", nil, [403, 200, 200, 200, 401]),
            ("/v1/retention?period=2024-25", nil, [403, 200, 200, 200, 401]),
            ("/v1/partners?period=2024-25", nil, [403, 200, 200, 200, 401]),
            ("/v1/timeline/programme?period=2024-25", nil, [403, 200, 200, 200, 401]),
            ("/v1/timeline/worker/W-00001", nil, [403, 200, 200, 403, 401]),
            ("/v1/timeline/case/C-00001", nil, [403, 200, 200, 403, 401]),
            ("/v1/timeline/provider/\(provider)", nil, [403, 200, 200, 200, 401]),
            ("/v1/verify", nil, [403, 200, 200, 200, 401]),
            ("/v1/digest", nil, [200, 200, 200, 200, 401]),
            ("/healthz", nil, [200, 200, 200, 200, 200]),
            ("/v1/schemas", nil, [200, 200, 200, 200, 200]),
            ("/openapi.json", nil, [200, 200, 200, 200, 200]),
            ("/metrics", nil, [200, 200, 200, 200, 200]),
            ("/", nil, [403, 200, 200, 200, 200]),  // without a token: the sign-in form
        ]
        for (path, body, statuses) in table {
            for (role, expected) in zip(["writer", "staff", "auditor", "board", "none"], statuses) {
                let answer = try await server.request(path, body: body, token: tokens[role])
                #expect(answer.status == expected, "\(role) \(body == nil ? "GET" : "POST") \(path): \(answer.status) \(answer.body.prefix(200))")
                if expected >= 400 && path != "/" { #expect(answer.contentType == "application/problem+json") }
            }
        }
        #expect(try await server.request("/v1/caseload", token: "cl_not-a-token").status == 401)

        // The board reaches no row-level data, whatever it asks.
        let caseload = try JSONValue(parsing: try await server.request("/v1/caseload?publish=false", token: tokens["board"]).body)
        #expect(caseload["cases"] == nil)
        #expect(try JSONValue(parsing: try await server.request("/v1/caseload", token: tokens["staff"]).body)["cases"] != nil)
        let timeline = try JSONValue(parsing: try await server.request("/v1/timeline/provider/\(provider)", token: tokens["board"]).body)
        let organisational: Set<String> = ["ProviderRegistered", "SponsorLicenceSuspended", "SponsorLicenceReinstated", "SponsorLicenceRevoked"]
        #expect(timeline["events"]?.arrayValue?.allSatisfy { organisational.contains($0["type"]?.stringValue ?? "") } == true)
        let retention = try JSONValue(parsing: try await server.request("/v1/retention?period=2024-25", token: tokens["board"]).body)
        for row in retention["cohorts"]?.arrayValue ?? [] {
            switch row["starters"] {
            case .string(let text)?: #expect(text == "<5")
            case .integer(let n)?: #expect(n % 5 == 0)
            default: Issue.record("starters is neither a count nor \"<5\"")
            }
        }

        // A name that is not a token's is refused with the names there are, and no guess.
        let unknown = try cli.expect(1, ["tokens", "revoke", "t-staf"]).standardError
        #expect(unknown.hasPrefix("careledger: no token is called t-staf; the tokens are t-") && !unknown.contains("did you mean"), "\(unknown)")
        // A revoked token stops working at once.
        try cli.expect(0, ["tokens", "revoke", "t-staff"])
        #expect(try await server.request("/v1/caseload", token: tokens["staff"]).status == 401)
    }
}

extension AccessTests {
    /// Served beyond loopback, revoking the last token does not open the server to everyone.
    @Test func revokingTheLastTokenBeyondLoopbackGrantsNothing() async throws {
        let cli = try CLIWorkspace().initialised()
        let token = try cli.expect(0, ["tokens", "add", "only", "--role", "staff"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try RunningServer(data: cli.data, host: "0.0.0.0")
        defer { server.stop() }
        let local = server.address.replacingOccurrences(of: "0.0.0.0", with: "127.0.0.1")
        #expect(try await server.request(at: local, "/v1/digest", token: token).status == 200)
        try cli.expect(0, ["tokens", "revoke", "only"])
        #expect(try await server.request(at: local, "/v1/digest", token: nil).status == 401)
        #expect(try await server.request(at: local, "/v1/digest", token: token).status == 401)
    }
}

extension AccessTests {
    /// A token made `--valid-until` a day works through that day and is refused after it, with
    /// a 401 that says so; a token file holding only expired tokens still grants nothing.
    @Test func aTokenStopsWorkingAfterItsLastDay() async throws {
        let cli = try CLIWorkspace().initialised()
        try cli.expect(2, ["tokens", "add", "late", "--role", "staff", "--valid-until", "2020-01-01"])  // already passed
        let old = try cli.expect(0, ["tokens", "add", "old", "--role", "staff", "--valid-until", "2099-12-31"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let audit = try cli.expect(0, ["tokens", "add", "audit", "--role", "auditor", "--valid-until", "2099-12-31"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        // Time passes for "old": its last day is now behind us.
        let file = cli.data + "/tokens.json"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let aged = text.replacingOccurrences(of: #""name" : "old",\s*"roles" : \[\s*"staff"\s*\],\s*"validUntil" : "2099-12-31""#,
                                             with: "\"name\" : \"old\", \"roles\" : [\"staff\"], \"validUntil\" : \"2020-01-01\"", options: .regularExpression)
        #expect(aged != text, "\(text)")
        try aged.write(toFile: file, atomically: true, encoding: .utf8)
        let list = try cli.expect(0, ["tokens", "list"]).standardOutput
        #expect(list.contains("2020-01-01 (expired)") && list.contains("2099-12-31\n"), "\(list)")

        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let soon = calendar.date(byAdding: .day, value: 3, to: Date())!
        let day = String(format: "%04d-%02d-%02d", calendar.component(.year, from: soon), calendar.component(.month, from: soon), calendar.component(.day, from: soon))
        try cli.expect(0, ["tokens", "add", "contractor", "--role", "writer", "--valid-until", day])

        let errors = cli.folder.file("serve.err")
        let server = try RunningServer(data: cli.data, errors: errors)
        defer { server.stop() }
        // At start the operator is told which tokens are past their day and which are near it.
        let told = try String(contentsOfFile: errors, encoding: .utf8)
        #expect(told.contains("token old was valid until 2020-01-01 and is refused"), "\(told)")
        #expect(told.contains("token contractor stops working after \(day) (") && !told.contains("token audit"), "\(told)")  // 3 days left, or 2 past midnight
        #expect(try await server.request("/v1/digest", token: audit).status == 200)
        let refused = try await server.request("/v1/digest", token: old)
        #expect(refused.status == 401 && refused.body.contains("the token old was valid until 2020-01-01 and no longer works"), "\(refused.body)")
        let signIn = try await server.request("/signin", body: "token=\(old)")
        #expect(signIn.status == 401, "the dashboard refuses it too")
        try cli.expect(0, ["tokens", "revoke", "audit"])
        #expect(try await server.request("/v1/digest", token: nil).status == 401, "only an expired token left: still closed")
    }
}

extension AccessTests {
    /// A token file that goes bad while the server runs (a hand edit, a half-copied restore)
    /// leaves it unable to check any token: every route says so as unavailable (503), and
    /// `/healthz` tells a monitor (it answered ok). Nothing is let through, and mending the file
    /// mends the server without a restart.
    @Test func aTokenFileGoneBadIsUnavailableAndHealthzSaysSo() async throws {
        let cli = try CLIWorkspace().initialised()
        let staff = try cli.expect(0, ["tokens", "add", "s", "--role", "staff"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let seq = try cli.digest().prefix { $0 != ":" }
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let healthy = try await server.request("/healthz", token: nil)
        #expect(healthy.body.contains(#"{"ok":true,"seq":\#(seq)}"#), "\(healthy.body)")
        let file = cli.data + "/tokens.json", good = try String(contentsOfFile: file, encoding: .utf8)
        try "{\"tokens\": [".write(toFile: file, atomically: true, encoding: .utf8)
        for token in [staff, nil] {
            let refused = try await server.request("/v1/digest", token: token)
            #expect(refused.status == 503 && refused.body.contains("no request can be checked against the access tokens until the token file is mended: the token file \(file)"),
                    "\(refused.status) \(refused.body)")
        }
        let health = try await server.request("/healthz", token: nil)
        #expect(health.status == 503 && health.body.contains(#""ok":false,"seq":\#(seq)}"#) && health.body.contains("until the token file is mended"), "\(health.status) \(health.body)")
        try good.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await server.request("/v1/digest", token: staff).status == 200)
        #expect(try await server.request("/healthz", token: nil).status == 200)
    }
}

extension AccessTests {
    /// The scheme of `Authorization` is named in any case (RFC 9110 11.1): a client that sends
    /// `bearer TOKEN` was refused 401 as if it had sent no token.
    @Test func theBearerSchemeIsReadInAnyCase() async throws {
        let cli = try CLIWorkspace().initialised()
        let staff = try cli.expect(0, ["tokens", "add", "s", "--role", "staff"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        for scheme in ["Bearer", "bearer", "BEARER"] {
            #expect(try await server.request("/v1/digest", headers: ["Authorization": "\(scheme) \(staff)"]).status == 200, "\(scheme)")
        }
        #expect(try await server.request("/v1/digest", headers: ["Authorization": "Basic \(staff)"]).status == 401)
        #expect(try await server.request("/v1/digest", headers: ["Authorization": "Bearer"]).status == 401)
    }
}

extension RunningServer {
    /// Like ``request(_:body:token:)``, at another base address.
    func request(at base: String, _ path: String, token: String?) async throws -> Answer {
        var request = URLRequest(url: URL(string: base + path)!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        return Answer(status: http.statusCode, body: String(decoding: data, as: UTF8.self), contentType: http.value(forHTTPHeaderField: "Content-Type"))
    }

    /// GET `path` (or POST `body`), with a bearer token when one is given.
    func request(_ path: String, body: String? = nil, token: String?) async throws -> Answer {
        try await request(path, body: body, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
    }
}
