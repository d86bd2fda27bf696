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
        #expect(metrics.body.contains(#"careledger_projection_lag_events{projection="caseload"} 0"#))
    }
}
