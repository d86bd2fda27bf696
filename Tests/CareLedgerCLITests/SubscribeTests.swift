import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `GET /v1/subscribe` (Server-Sent Events) read by curl, as a client would.
@Suite struct SubscribeTests {
    static let curl = ["/usr/bin/curl", "/bin/curl", "/usr/local/bin/curl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs curl on `url` for at most `seconds`; returns what it printed once it ends.
    static func stream(_ url: String, seconds: Int, headers: [String] = []) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(curl, "curl is on every machine of this kind"))
        process.arguments = ["-N", "-s", "--max-time", String(seconds)] + headers.flatMap { ["-H", $0] } + [url]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        return (process, output)
    }

    static func ids(_ output: Pipe, _ process: Process) -> [Int] {
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { Int($0.dropFirst(4)) }
    }

    @Test func catchesUpFollowsLiveAndResumesAfterLastEventID() throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        let (follower, output) = try Self.stream(server.address + "/v1/subscribe?from=7", seconds: 4)
        Thread.sleep(forTimeInterval: 1)
        try cli.expect(0, ["append"], input: Fixtures.ndjson([Fixtures.event("WorkerArrived", ["workerRef": "W-1"])]))
        #expect(Self.ids(output, follower) == [7, 8, 9], "caught up from 7, then followed seq 9 live")

        let (resumed, again) = try Self.stream(server.address + "/v1/subscribe?from=1", seconds: 1, headers: ["Last-Event-ID: 8"])
        #expect(Self.ids(again, resumed) == [9], "Last-Event-ID wins over from")

        // A subscriber still connected does not hold up a graceful shutdown.
        let (lingering, _) = try Self.stream(server.address + "/v1/subscribe", seconds: 30)
        Thread.sleep(forTimeInterval: 0.5)
        let started = Date()
        #expect(server.stop() == 0)
        #expect(Date().timeIntervalSince(started) < 10)
        lingering.waitUntilExit()
    }
}
