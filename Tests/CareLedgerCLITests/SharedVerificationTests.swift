import CareLedgerServer
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `GET /v1/verify` runs one whole verification at a time, shared by the requests that arrive
/// while one runs (``SharedRun``), and never answers with a run older than the request.
@Suite struct SharedVerificationTests {
    /// Runs that wait for the test to let each one end, numbered as they begin.
    actor GatedRuns {
        private(set) var begun = 0
        private var gates: [CheckedContinuation<Void, Never>] = []

        func run() async -> Int {
            begun += 1
            let number = begun
            await withCheckedContinuation { gates.append($0) }
            return number
        }

        func endTheRunGoing() {
            gates.forEach { $0.resume() }
            gates = []
        }
    }

    /// Waits (without a deadline on the answer: the machine may be slow) until `condition` holds.
    func eventually(_ condition: () async -> Bool) async throws {
        for _ in 0..<60_000 where !(await condition()) {
            try await Task.sleep(for: .milliseconds(1))
        }
        let held = await condition()
        #expect(held)
    }

    @Test func callersWhoAskDuringARunShareTheNextOneAndNeverGetAnOlderAnswer() async throws {
        let runs = GatedRuns()
        let shared = SharedRun { await runs.run() }
        let first = Task { try await shared.value() }
        try await eventually { await runs.begun == 1 }
        let later = (0..<4).map { _ in Task { try await shared.value() } }
        try await eventually { await shared.callers == 5 }
        let begun = await runs.begun
        #expect(begun == 1, "the second run waits for the first to end")

        await runs.endTheRunGoing()
        #expect(try await first.value == 1)
        try await eventually { await runs.begun == 2 }
        await runs.endTheRunGoing()
        for caller in later {
            #expect(try await caller.value == 2, "asked while run 1 was going: answered by run 2, which began after")
        }
        let (gatedBegun, sharedBegun) = (await runs.begun, await shared.begun)
        #expect(gatedBegun == 2 && sharedBegun == 2, "four callers shared one run")

        // Nothing going: the next caller starts a run of its own.
        let alone = Task { try await shared.value() }
        try await eventually { await runs.begun == 3 }
        await runs.endTheRunGoing()
        #expect(try await alone.value == 3)
    }

    @Test func concurrentVerificationsOverHTTPEachCoverTheHeadTheirRequestFound() async throws {
        let cli = try ReadModelCommandTests.demo(workers: 40, seed: 3)
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        for round in 0..<2 {
            if round == 1 {
                let event = #"{"type":"PartnerRegistered","schemaVersion":1,"occurredOn":"2026-01-05","data":{"partnerId":"PT-SHARED","name":"Shared Run Hub","kind":"hub"}}"#
                #expect(try await server.request("/v1/events", body: event).status == 201)
            }
            let head = try cli.digest().split(separator: ":")
            let answers = try await withThrowingTaskGroup(of: RunningServer.Answer.self) { group in
                for _ in 0..<8 { group.addTask { try await server.request("/v1/verify") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for answer in answers {
                #expect(answer.status == 200)
                let report = try JSONValue(parsing: answer.body)
                #expect(report["ok"] == true && report["seq"]?.integerValue == Int64(head[0]) && report["hash"]?.stringValue == String(head[1]), "\(answer.body)")
            }
        }
    }

    /// A digest a board quoted, checked over HTTP and on the dashboard as `verify --digest` checks it.
    @Test func aPublishedDigestIsCheckedOverHTTPAndOnTheDashboardAsTheCommandLineChecksIt() async throws {
        let cli = try ReadModelCommandTests.demo(workers: 30, seed: 4)
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let published = try cli.digest().trimmingCharacters(in: .whitespacesAndNewlines)
        let event = #"{"type":"PartnerRegistered","schemaVersion":1,"occurredOn":"2026-01-05","data":{"partnerId":"PT-LATER","name":"Later Hub","kind":"hub"}}"#
        #expect(try await server.request("/v1/events", body: event).status == 201)
        let seq = published.split(separator: ":")[0]
        let altered = "\(seq):" + String(repeating: "0", count: 64), beyond = "99999:" + published.split(separator: ":")[1]
        for (digest, extends) in [(published, true), (altered, false), (beyond, false)] {
            let answer = try await server.request("/v1/verify?digest=\(digest)")
            #expect(answer.status == 200)
            let expected = try cli.expect(extends ? 0 : 1, ["verify", "--digest", digest, "--json"]).standardOutput
            #expect(answer.body.trimmingCharacters(in: .newlines) == expected.trimmingCharacters(in: .newlines), "\(digest)")
            let page = try await server.request("/?digest=\(digest)")
            #expect(page.status == 200)
            let result = try #require(page.body.firstMatch(of: #/<p class="[a-z]+" id="digest-check">([^<]*)</p>/#).map { String($0.1) })
            #expect(result.hasPrefix(extends ? "The log extends \(digest)" : "The check FAILED at seq \(digest.split(separator: ":")[0])"), "\(result)")
        }
        #expect(try JSONValue(parsing: try await server.request("/v1/verify?digest=\(published)").body)["seq"]?.integerValue == Int64(try cli.digest().split(separator: ":")[0]),
                "the answer covers the log as it is now, beyond the digest")

        let malformed = try await server.request("/v1/verify?digest=1200:9f86d0")
        #expect(malformed.status == 400 && malformed.contentType == "application/problem+json")
        #expect(try JSONValue(parsing: malformed.body)["detail"]?.stringValue?.contains("the hash has 6 hex digits, not 64 (was it cut short when copied?): write it as SEQ:HASH") == true)
        let mistyped = try await server.request("/?digest=1200:9f86d0")
        #expect(mistyped.status == 400 && mistyped.body.contains("Digest: digest"))
    }
}
