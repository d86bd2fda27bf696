import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `serve --idle-timeout`: a connection that sends no request is closed, so that clients cannot
/// hold the server's descriptors by sending nothing; a response being sent is never cut short.
@Suite struct ServerIdleTimeoutTests {
    @Test func aConnectionWithNoRequestIsClosedAndASubscriptionIsNot() throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data, arguments: ["--idle-timeout", "1s"])
        defer { server.stop() }
        // Nothing sent: the server closes it (a slow machine has minutes to do so).
        let silent = try server.raw("", giveUpAfter: 120)
        #expect(silent.closed && silent.answer.isEmpty, "\(silent)")
        // A request answered and then nothing more (HTTP/1.1 keeps it open): closed once idle.
        let answered = try server.raw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", giveUpAfter: 120)
        #expect(answered.closed && answered.answer.hasPrefix("HTTP/1.1 200"), "\(answered)")

        // A subscription is a response being sent: three idle timeouts later it still follows.
        let subscriber = try SubscribeTests.Subscriber(server.address + "/v1/subscribe?from=1")
        defer { subscriber.stop() }
        #expect(subscriber.read(until: 8).last == 8)
        Thread.sleep(forTimeInterval: 3)
        let appended = try cli.run(["append", "-"], input: Fixtures.ndjson([
            Fixtures.event("TrainingCompleted", ["workerRef": "W-1", "kind": "careCertificateStandard", "title": "Duty of care", "standardNumber": 3]),
        ]))
        try #require(appended.status == 0, "\(appended.standardError)")
        #expect(subscriber.read(until: 9).last == 9, "the subscription was closed as idle: \(subscriber.received.suffix(200))")
        #expect(subscriber.isConnected)
    }
}
