import CareLedger
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `/openapi.json` walked against the running server, and `/metrics`.
@Suite struct OpenAPITests {
    /// Every operation of the document answers, on the real server, with a status the document lists.
    @Test func everyDocumentedOperationAnswersAsDocumented() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let document = try JSONValue(parsing: try await server.request("/openapi.json").body)
        #expect(document["openapi"] == "3.1.0")
        let paths = try #require(document["paths"]?.objectValue)
        #expect(paths.count >= 16)
        let samples = ["{stream}": "worker-W-1", "{kind}": "worker", "{id}": "W-1"]
        let event = Fixtures.event("WorkerArrived", ["workerRef": "W-1"]).compactText
        var walked = 0
        for (template, item) in paths {
            var path = template
            for (placeholder, value) in samples { path = path.replacingOccurrences(of: placeholder, with: value) }
            for (method, operation) in item.objectValue ?? [] {
                let documented = Set(operation["responses"]?.objectValue?.map(\.0) ?? [])
                let answer: RunningServer.Answer
                if path == "/v1/subscribe" {
                    continue  // a stream that never ends: SubscribeTests reads it with curl
                } else if path == "/v1/erasures" {
                    answer = try await server.request(path, body: #"{"workerRef": "W-1", "requestReference": "DSR-1"}"#)
                } else if method == "post" {
                    answer = try await server.request(path, body: event)
                } else if path == "/v1/changes" {
                    answer = try await server.request(path + "?since=" + (try cli.digest()))  // since is required
                } else {
                    answer = try await server.request(path)
                }
                #expect(documented.contains(String(answer.status)), "\(method.uppercased()) \(path) answered \(answer.status), documented \(documented.sorted())")
                #expect(answer.status < 300, "\(method.uppercased()) \(path): \(answer.body.prefix(200))")
                walked += 1
            }
        }
        #expect(walked >= 14)
        // Every documented route is counted under its own label in /metrics.
        #expect(!(try await server.request("/metrics")).body.contains(#"route="other""#))
        // A route the document does not name is not served.
        #expect(try await server.request("/v1/nothing-here").status == 404)
    }

    @Test func metricsCountRequestsGroupsAndLag() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        _ = try await server.request("/v1/events", body: Fixtures.event("WorkerArrived", ["workerRef": "W-1"]).compactText)
        _ = try await server.request("/v1/caseload")
        for made in ["/wp-admin/setup.php", "/v1/nothing-here", "/x/1", "/x/2"] { _ = try await server.request(made) }
        let metrics = try await server.request("/metrics")
        // Paths the server does not serve share one label, so they cannot grow the metrics.
        #expect(metrics.body.contains(#"careledger_http_requests_total{route="other",method="GET",status="404"} 4"#))
        #expect(!metrics.body.contains("wp-admin") && !metrics.body.contains("nothing-here") && !metrics.body.contains(#"route="/x"#))
        #expect(metrics.status == 200)
        #expect(metrics.body.contains(#"careledger_http_requests_total{route="/v1/events",method="POST",status="201"} 1"#))
        #expect(metrics.body.contains("careledger_append_group_batches_count 1"))
        #expect(metrics.body.contains("careledger_log_head_seq 9"))
        // Which release serves, with which schemas, as --version says.
        #expect(metrics.body.contains(#"careledger_build_info{version="\#(CareLedgerRelease.version)",schemas="\#(EventCatalogue.schemaFingerprint)"} 1"#))
        #expect(metrics.body.contains(#"careledger_projection_lag_events{projection="caseload"} 0"#))
        // The disk the data folder is on, for an alert before appends fail for want of space.
        func gauge(_ name: String) -> Double? {
            metrics.body.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
        }
        let (free, size) = (gauge("careledger_disk_free_bytes"), gauge("careledger_disk_size_bytes"))
        #expect(free.map { $0 > 0 } == true && size.map { $0 >= free! } == true, "free \(free ?? -1) of \(size ?? -1)")
    }

    /// Each whole verification counts by its result, and the last one's finding stays on show:
    /// what an operator's alert watches, without reading the answers.
    @Test func metricsShowVerificationsAndTheLastFinding() async throws {
        let cli = try CLIWorkspace().initialised()
        let marker = "Metricsville Care Homes"
        try cli.expect(0, ["append"], input: Fixtures.ndjson([Fixtures.event("ProviderRegistered", ["providerId": "P-78", "name": .string(marker), "laCode": "E08000025"])]))
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        #expect(!(try await server.request("/metrics")).body.contains("careledger_verification"), "no figures before any verification")
        #expect(!(try await server.request("/")).body.contains("last-verification"), "nor a finding on the dashboard")
        #expect(try await server.request("/v1/verify").status == 200)
        #expect(try await server.request("/").body.contains("intact from seq 1 to seq 9."), "the dashboard tells a board the record last verified")
        var metrics = try await server.request("/metrics").body
        #expect(metrics.contains(#"careledger_verifications_total{result="intact"} 1"#))
        #expect(metrics.contains("careledger_verification_last_intact 1"))
        #expect(metrics.contains("careledger_verified_head_seq 9"))
        #expect(metrics.contains("careledger_verification_last_duration_seconds "))
        // One byte of seq 9's stored bytes changed in place, under the running server.
        #expect(try changeFirstByte(of: marker, inPlaceIn: cli.data + "/ledger/data.mdb") >= 1)
        let failed = try JSONValue(parsing: try await server.request("/v1/verify").body)
        #expect(failed["ok"] == .bool(false) && failed["firstBadSeq"] == .integer(9))
        metrics = try await server.request("/metrics").body
        #expect(metrics.contains(#"careledger_verifications_total{result="failed"} 1"#))
        #expect(metrics.contains(#"careledger_verifications_total{result="intact"} 1"#))
        #expect(metrics.contains("careledger_verification_last_intact 0"))
        #expect(metrics.contains("careledger_verified_head_seq 9"), "the last intact run's head stays")
    }

    /// `serve --verify-every`: the log is verified at start and on the schedule with nobody
    /// asking, so /metrics follows the chain, and the journal has a line for each run.
    @Test func scheduledVerificationKeepsTheMetricsCurrent() async throws {
        let cli = try CLIWorkspace().initialised()
        let marker = "Scheduleville Care Homes"
        try cli.expect(0, ["append"], input: Fixtures.ndjson([Fixtures.event("ProviderRegistered", ["providerId": "P-79", "name": .string(marker), "laCode": "E08000025"])]))
        let journal = cli.folder.file("serve.err")
        let server = try RunningServer(data: cli.data, arguments: ["--verify-every", "1s"], errors: journal)
        defer { server.stop() }
        /// /metrics once `done` says so, giving up on an answer asked for two minutes on. The
        /// deadline is on when it was asked, not when it came: in the whole suite this test may
        /// wait a minute or more for a thread after its answer has come, an answer about the
        /// server as it was then.
        func metrics(until done: (String) -> Bool) async throws -> String {
            let deadline = ContinuousClock.now + .seconds(120)
            while true {
                let asked = ContinuousClock.now
                let body = try await server.request("/metrics").body
                if done(body) || asked > deadline { return body }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        func intactRuns(_ body: String) -> Int {
            let prefix = #"careledger_verifications_total{result="intact"} "#
            return body.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
        }
        let twice = try await metrics { intactRuns($0) >= 2 }
        #expect(intactRuns(twice) >= 2, "run at start and again a second later, with no request: \(twice)")
        #expect(twice.contains("careledger_verified_head_seq 9"))
        #expect(try await server.request("/").body.contains(#"id="last-verification">The whole log was last verified at "#))
        #expect(try changeFirstByte(of: marker, inPlaceIn: cli.data + "/ledger/data.mdb") >= 1)
        let failed = try await metrics { $0.contains("careledger_verification_last_intact 0") }
        #expect(failed.contains("careledger_verification_last_intact 0"), "\(failed)")
        #expect(failed.contains(#"careledger_verifications_total{result="failed"}"#))
        let page = try await server.request("/").body
        #expect(page.contains(#"<p class="notice" id="last-verification">The last verification of the whole log, at "#) && page.contains(", FAILED at seq 9: "),
                "a failure stands out on the dashboard")
        server.stop()
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("careledger: scheduled verification: 9 events intact, head 9:") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("careledger: scheduled verification FAILED at seq 9: ") }, "\(lines)")
        #expect(try cli.run(["serve", "--verify-every", "0s"]).status == 2)
    }
}
