import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `GET /v1/subscribe` (Server-Sent Events) read by curl, as a client would.
@Suite struct SubscribeTests {
    static let curl = ["/usr/bin/curl", "/bin/curl", "/usr/local/bin/curl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// curl following an event stream, read as its messages arrive. Each step waits for what it
    /// needs rather than for a time, so a slow machine makes the test slower, never wrong.
    final class Subscriber {
        private let process: Process
        private let output: FileHandle
        private var text = ""

        /// Starts curl on `url`; it gives up after ten minutes, so a stream that never brings
        /// what a test waits for fails the test instead of hanging it.
        init(_ url: String, headers: [String] = []) throws {
            process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(SubscribeTests.curl, "curl is on every machine of this kind"))
            process.arguments = ["-N", "-s", "--max-time", "600"] + headers.flatMap { ["-H", $0] } + [url]
            let pipe = Pipe()
            process.standardOutput = pipe
            output = pipe.fileHandleForReading
            try process.run()
        }

        /// What the stream has brought so far.
        var received: String { text }

        /// The seqs of the messages so far (their `id:` lines).
        var ids: [Int] {
            text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { Int($0.dropFirst(4)) }
        }

        /// Reads until the message with id `seq` has come (or the stream ends), and returns the ids.
        @discardableResult
        func read(until seq: Int) -> [Int] {
            while !ids.contains(seq) {
                let more = output.availableData
                if more.isEmpty { break }
                text += String(decoding: more, as: UTF8.self)
            }
            return ids
        }

        /// Reads until `marker` has come (or the stream ends); whether it came.
        func read(untilText marker: String) -> Bool {
            while !text.contains(marker) {
                let more = output.availableData
                if more.isEmpty { return false }
                text += String(decoding: more, as: UTF8.self)
            }
            return true
        }

        /// Whether curl is still connected.
        var isConnected: Bool { process.isRunning }

        /// Disconnects, and waits for curl to end. (`SIGKILL`: curl inherits the test runner's
        /// threads' signal mask, in which `SIGTERM` is blocked.)
        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }

        /// Reads to the stream's end and returns curl's exit status (28: it gave up waiting).
        func waitForEnd() -> Int32 {
            read(until: .max)
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// A subscription that cannot go on says why: refused at once (a reveal after the master
    /// key was rotated under the server) it is answered with the problem's status; refused
    /// part-way, it ends with an event `problem` holding the problem details, after the events
    /// it could show, so that a client knows to resume from the last.
    @Test func aSubscriptionThatCannotGoOnSaysWhy() async throws {
        let (cli, key) = try PersonalDataCommandTests.workspace()
        let server = try RunningServer(data: cli.data, arguments: ["--master-key", key])
        defer { server.stop() }
        let head = try #require(Int(try cli.digest().split(separator: ":")[0]))
        let subscriber = try Subscriber(server.address + "/v1/subscribe?reveal=true&from=\(head)")
        defer { subscriber.stop() }
        #expect(subscriber.read(until: head) == [head])
        try cli.expect(0, ["keys", "rotate-master", "--master-key", key, "--new-master-key", cli.folder.file("master-2.key")])
        try cli.expect(0, ["append", "-", "--master-key", cli.folder.file("master-2.key")], input: Fixtures.ndjson([
            Fixtures.event("WorkerRegistered", ["workerRef": "W-3", "route": "displaced", "nationality": "PH", "laCode": "E08000025", "pii": ["givenName": "Ana"]]),
        ]))
        #expect(subscriber.waitForEnd() == 0, "the stream ends, not curl's patience")
        #expect(subscriber.ids == [head], "the event it cannot show is not sent")
        let problem = try #require(subscriber.received.split(separator: "\n").first { $0.hasPrefix("data: {\"type\"") })
        #expect(subscriber.received.contains("\n\nevent: problem\ndata: {"), "\(subscriber.received)")
        let details = try JSONValue(parsing: String(problem.dropFirst(6)))
        #expect(details["status"]?.integerValue == 503 && details["detail"]?.stringValue?.contains("keys rotate-master") == true, "\(details)")

        let refused = try await server.request("/v1/subscribe?reveal=true&from=1")
        #expect(refused.status == 503 && refused.contentType == "application/problem+json", "\(refused.status) \(refused.body)")
    }

    /// A subscription with nothing new is sent a comment line now and then, so that a proxy
    /// between it and the client does not close it as idle; an event still comes as before.
    @Test func aQuietSubscriptionIsSentHeartbeats() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data, arguments: ["--heartbeat-every", "1s"])
        let follower = try Subscriber(server.address + "/v1/subscribe?from=9")  // past the head, 8
        #expect(follower.read(untilText: ": heartbeat\n\n"), "a heartbeat came while nothing was appended")
        #expect(follower.ids.isEmpty)
        #expect(try await server.request("/metrics").body.contains("\ncareledger_subscriptions_open 1.0\n"))
        try cli.expect(0, ["append"], input: Fixtures.ndjson([Fixtures.event("WorkerArrived", ["workerRef": "W-1"])]))
        #expect(follower.read(until: 9) == [9])
        follower.stop()
        // A subscriber gone while nothing is appended is found out by the next heartbeat, and no
        // longer counted (nor polled for): waited for, within a bound for a stuck server.
        var open = ""
        for _ in 0..<600 {
            open = try await server.request("/metrics").body
            if open.contains("\ncareledger_subscriptions_open 0.0\n") { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(open.contains("\ncareledger_subscriptions_open 0.0\n"), "the closed subscription is still counted")
        #expect(server.stop() == 0)
    }

    @Test func catchesUpFollowsLiveAndResumesAfterLastEventID() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        let follower = try Subscriber(server.address + "/v1/subscribe?from=7")
        #expect(follower.read(until: 8) == [7, 8], "caught up from 7 to the head")
        try cli.expect(0, ["append"], input: Fixtures.ndjson([Fixtures.event("WorkerArrived", ["workerRef": "W-1"])]))
        #expect(follower.read(until: 9) == [7, 8, 9], "then followed seq 9, appended after it had caught up")
        follower.stop()

        let resumed = try Subscriber(server.address + "/v1/subscribe?from=1", headers: ["Last-Event-ID: 8"])
        #expect(resumed.read(until: 9) == [9], "Last-Event-ID wins over from")
        resumed.stop()
        // The seq after the largest one has no Int: refused in words, where it stopped the server.
        let largest = try await server.request("/v1/subscribe", headers: ["Last-Event-ID": "\(Int.max)"])
        #expect(largest.status == 400 && largest.body.contains("is not a seq"), "\(largest.status) \(largest.body)")
        #expect(try await server.request("/healthz").status == 200, "still serving")

        // A subscriber still connected does not hold up a graceful shutdown: the server ends
        // the stream, rather than waiting until curl gives up on it (after ten minutes).
        let lingering = try Subscriber(server.address + "/v1/subscribe")
        lingering.read(until: 1)
        #expect(lingering.isConnected)
        #expect(server.stop() == 0)
        #expect(lingering.waitForEnd() != 28, "curl gave up waiting: the server held the stream open")
    }
}
