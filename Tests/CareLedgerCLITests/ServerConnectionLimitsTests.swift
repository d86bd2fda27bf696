import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `serve --idle-timeout`, `--request-timeout` and `--max-connections-per-client`: a client can
/// hold the server's connections, each a file descriptor, neither by sending nothing, nor by
/// sending a request a byte at a time, nor by opening many; an answer being sent is never cut short.
@Suite struct ServerConnectionLimitsTests {
    @Test func aConnectionWithNoRequestIsClosed() throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data, arguments: ["--idle-timeout", "1s"])
        defer { server.stop() }
        // Nothing sent: the server closes it (a slow machine has minutes to do so).
        let silent = try server.raw("", giveUpAfter: 120)
        #expect(silent.closed && silent.answer.isEmpty, "\(silent)")
        // A request answered and then nothing more (HTTP/1.1 keeps it open): closed once idle.
        let answered = try server.raw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", giveUpAfter: 120)
        #expect(answered.closed && answered.answer.hasPrefix("HTTP/1.1 200"), "\(answered)")
    }

    @Test func aRequestSentAByteAtATimeIsAnswered408AndClosed() throws {
        let cli = try CLIWorkspace().initialised()
        let head = try cli.digest()
        let server = try RunningServer(data: cli.data, arguments: ["--idle-timeout", "2s", "--request-timeout", "3s"])
        defer { server.stop() }
        // A byte every 0.2 s: never idle for 2 s, and a body of 100,000 bytes would take hours.
        let trickle = RawConnection(to: server.address)
        trickle.send("POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\nContent-Length: 100000\r\n\r\n{")
        let giveUp = Date().addingTimeInterval(180)  // a slow machine has minutes
        while !trickle.closed, Date() < giveUp {
            trickle.read(for: 0.2)
            trickle.send(" ")
        }
        #expect(trickle.closed, "still open after 180 s: \(trickle.answer)")
        #expect(trickle.answer.hasPrefix("HTTP/1.1 408"), "\(trickle.answer)")
        #expect(trickle.answer.contains("application/problem+json") && trickle.answer.contains("--request-timeout"), "\(trickle.answer)")
        #expect(try cli.digest() == head)

        // Header lines a byte at a time: closed too, with nothing to say (no request began).
        let headers = RawConnection(to: server.address)
        headers.send("GET /healthz HTTP/1.1\r\n")
        while !headers.closed, Date() < giveUp {
            headers.read(for: 0.2)
            headers.send("X")
        }
        #expect(headers.closed && headers.answer.isEmpty, "\(headers.answer)")
    }

    @Test func anAnswerThatOutlastsBothTimeoutsIsNotCutShort() throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data, arguments: ["--idle-timeout", "1s", "--request-timeout", "1s"])
        defer { server.stop() }
        // A subscription is an answer being sent: three timeouts later it still follows.
        let subscriber = try SubscribeTests.Subscriber(server.address + "/v1/subscribe?from=1")
        defer { subscriber.stop() }
        #expect(subscriber.read(until: 8).last == 8)
        Thread.sleep(forTimeInterval: 3)
        let appended = try cli.run(["append", "-"], input: Fixtures.ndjson([
            Fixtures.event("TrainingCompleted", ["workerRef": "W-1", "kind": "careCertificateStandard", "title": "Duty of care", "standardNumber": 3]),
        ]))
        try #require(appended.status == 0, "\(appended.standardError)")
        #expect(subscriber.read(until: 9).last == 9, "the subscription was cut off: \(subscriber.received.suffix(200))")
        #expect(subscriber.isConnected)
    }

    @Test func aClientOverItsCapIsAnswered503UntilOneOfItsConnectionsCloses() throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data, arguments: ["--max-connections-per-client", "2"])
        defer { server.stop() }
        let health = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        // Two held, each answered, so that both are counted before the third opens.
        let held = (0..<2).map { _ in RawConnection(to: server.address) }
        for connection in held {
            connection.send(health)
            #expect(connection.readAnswer(for: 120) && connection.answer.hasPrefix("HTTP/1.1 200"), "\(connection.answer)")
        }
        // Kept alive, each asks again and is answered: the request timeout runs afresh.
        for connection in held {
            let first = connection.answer
            connection.send(health)
            #expect(connection.read(for: 120) { $0.count > first.count && $0.hasSuffix("}\n") } && !connection.closed, "\(connection.answer)")
        }
        let third = RawConnection(to: server.address)
        third.send(health)
        third.read(for: 120)
        #expect(third.closed && third.answer.hasPrefix("HTTP/1.1 503"), "\(third.answer)")
        #expect(third.answer.contains("application/problem+json") && third.answer.contains("--max-connections-per-client"), "\(third.answer)")
        // One of the two closes: a new connection is admitted once the server has seen it close.
        held[0].close()
        var admitted = false
        let giveUp = Date().addingTimeInterval(120)
        while !admitted, Date() < giveUp {
            let next = RawConnection(to: server.address)
            next.send(health)
            next.readAnswer(for: 120)
            admitted = next.answer.hasPrefix("HTTP/1.1 200")
            if !admitted { Thread.sleep(forTimeInterval: 0.2) }
        }
        #expect(admitted)
    }

    @Test func aNegativeCapIsAUsageError() throws {
        let cli = try CLIWorkspace().initialised()
        let refused = try cli.expect(2, ["serve", "--max-connections-per-client", "-1"])
        #expect(refused.standardError.contains("--max-connections-per-client must be 0 (no cap) or more"), "\(refused.standardError)")
    }
}
