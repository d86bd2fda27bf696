import CareLedger
@testable import CareLedgerServer
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Testing

/// SPEC 8: every error is `application/problem+json`. The middleware that makes it so, over a
/// real server on an ephemeral loopback port, for each kind of error a route may throw,
/// including one of no kind it knows (which no route of the real server throws on purpose).
@Suite struct ProblemMiddlewareTests {
    struct Unforeseen: Error, CustomStringConvertible {
        var description: String { "the volume went away" }
    }

    @Test func everyErrorIsAProblemDocumentWithItsStatus() async throws {
        let router = Router()
        router.add(middleware: ProblemMiddleware())
        router.get("unforeseen") { _, _ -> String in throw Unforeseen() }
        router.get("ledger") { _, _ -> String in throw LedgerError(.notFound, "no events about worker W-9") }
        router.get("http") { _, _ -> String in throw HTTPError(.tooManyRequests, headers: [.retryAfter: "5"], message: "slow down") }
        let (ports, found) = AsyncStream<Int>.makeStream()
        let application = Application(router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
                                      onServerRunning: { channel in found.yield(channel.localAddress?.port ?? 0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.runService() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            func get(_ path: String) async throws -> (status: Int, type: String?, body: String, headers: HTTPURLResponse) {
                let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/\(path)")!)
                let http = try #require(response as? HTTPURLResponse)
                return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type"), String(decoding: data, as: UTF8.self), http)
            }
            let unforeseen = try await get("unforeseen")
            #expect(unforeseen.status == 500 && unforeseen.type == "application/problem+json", "\(unforeseen)")
            #expect(unforeseen.body.contains("the server could not answer: the volume went away"), "\(unforeseen.body)")
            let ledger = try await get("ledger")
            #expect(ledger.status == 404 && ledger.type == "application/problem+json" && ledger.body.contains("no events about worker W-9"))
            let http = try await get("http")
            #expect(http.status == 429 && http.type == "application/problem+json" && http.body.contains("slow down"), "\(http.body)")
            #expect(http.headers.value(forHTTPHeaderField: "Retry-After") == "5", "the error's own headers are kept")
        }
    }
}
