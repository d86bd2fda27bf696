import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerJSON
import LedgerTestSupport
import LMDBStore
import Testing

/// While another process holds the log's write lock (a long `careledger import`), requests that
/// need it wait without holding the server's threads: reads go on being answered.
@Suite struct WriteLockTests {
    @Test func readsAreAnsweredWhileWritersWaitForTheLock() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let lock = HeldWriteLock(ledgerFolder: cli.data + "/ledger")
        lock.hold()
        defer { lock.release() }  // also when an expectation throws before the release below
        // More waiting writers than the server has pool threads (one per core): checks of a batch,
        // which take the write lock as its append would.
        let event = Fixtures.event("WorkerArrived", ["workerRef": "W-1"]).compactText
        let writers = (0..<(ProcessInfo.processInfo.activeProcessorCount + 2)).map { _ in
            Task { try await server.request("/v1/events?check=true", body: event).status }
        }
        try await Task.sleep(for: .milliseconds(500))  // let them reach the server and wait there
        // Reads on the thread pool: answered while the lock is held (given two minutes however
        // busy the machine; before the lane they waited for the lock's release, however long).
        let read = try await Self.within(.seconds(120)) { try await server.request("/v1/events?limit=1").status }
        #expect(read == 200, "a read waited for the write lock")
        lock.release()
        for writer in writers {
            #expect(try await writer.value == 200, "each check answered once the lock was released")
        }
        try cli.expect(0, ["verify"])
    }

    /// While another process holds the read models' write lock (a `projections rebuild`), queries
    /// that must catch them up wait without holding the threads that appends and reads need.
    @Test func appendsAreAnsweredWhileQueriesWaitForTheReadModels() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        #expect(try await server.request("/v1/caseload").status == 200)  // the read models exist and are current
        let lock = HeldWriteLock(ledgerFolder: cli.data + "/projections")
        lock.hold()
        defer { lock.release() }
        // The read models fall behind: each query below must catch them up, and waits for the lock.
        #expect(try await server.request("/v1/events", body: Fixtures.event("WorkerArrived", ["workerRef": "W-1"]).compactText).status == 201)
        let queries = (0..<(ProcessInfo.processInfo.activeProcessorCount + 2)).map { _ in
            Task { try await server.request("/v1/caseload").status }
        }
        try await Task.sleep(for: .milliseconds(500))  // let them reach the server and wait there
        let answered = try await Self.within(.seconds(120)) {
            let appended = try await server.request("/v1/events", body: Fixtures.event("WorkerArrived", ["workerRef": "W-1"]).compactText).status
            let read = try await server.request("/v1/events?limit=1").status
            return [appended, read]
        }
        #expect(answered == [201, 200], "an append or a read waited for the read models' lock")
        lock.release()
        for query in queries { #expect(try await query.value == 200) }
        #expect(try await server.request("/v1/caseload").status == 200)
    }

    /// Both locks held elsewhere at once (an import and a `projections rebuild`), with a request
    /// waiting for each: reads are still answered. The lanes wait on threads of their own, so
    /// the pool that reads need (a thread per core, two here) never holds a waiting writer.
    @Test func readsAreAnsweredWhileBothLanesWait() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let event = Fixtures.event("WorkerArrived", ["workerRef": "W-1"]).compactText
        #expect(try await server.request("/v1/events", body: event).status == 201)
        let log = HeldWriteLock(ledgerFolder: cli.data + "/ledger")
        let readModels = HeldWriteLock(ledgerFolder: cli.data + "/projections")
        log.hold()
        defer { log.release() }
        readModels.hold()
        defer { readModels.release() }
        let check = Task { try await server.request("/v1/events?check=true", body: event).status }
        let query = Task { try await server.request("/v1/caseload").status }  // behind by one event: must catch up
        try await Task.sleep(for: .milliseconds(500))  // let them reach the server and wait there
        let reads = try await Self.within(.seconds(120)) {
            [try await server.request("/v1/events?limit=1").status, try await server.request("/v1/digest").status]
        }
        #expect(reads == [200, 200], "a read waited while each lane waited for its lock")
        log.release()
        readModels.release()
        #expect(try await check.value == 200)
        #expect(try await query.value == 200)
    }

    /// `careledger append` waiting for another writer's lock says so (here with
    /// CARELEDGER_PROGRESS=always; on a terminal by itself), then lands once the lock is free.
    @Test func aCommandWaitingForTheLockSaysSo() throws {
        let cli = try CLIWorkspace().initialised()
        let input = Fixtures.ndjson([Fixtures.event("WorkerArrived", ["workerRef": "W-1"])])
        let quick = try cli.expect(0, ["append"], input: input, environment: ["CARELEDGER_PROGRESS": "always"])
        #expect(!quick.standardError.contains("waiting"), "no notice when nothing holds the lock")
        let lock = HeldWriteLock(ledgerFolder: cli.data + "/ledger")
        lock.hold()
        defer { lock.release() }
        let file = cli.folder.write("one.ndjson", input)
        var running = try cli.start(["append", file], awaiting: "waiting for another writer")
        #expect(String(decoding: running.printed, as: UTF8.self).contains("careledger: waiting for another writer to finish"))
        lock.release()
        let printed = running.finish()
        #expect(running.process.terminationStatus == 0)
        #expect(printed.hasSuffix("careledger: the other writer finished; writing now\n"))
        #expect(try cli.digest().hasPrefix("10:"), "both appends landed")
    }

    /// `work`'s answer, or `nil` if it has none within `limit` (a bound for a stuck request, not a
    /// speed target: generous however busy the machine).
    static func within<Answer: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> Answer) async throws -> Answer? {
        try await withThrowingTaskGroup(of: Answer?.self) { group in
            group.addTask { try await work() }
            group.addTask { try await Task.sleep(for: limit); return nil }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
    }
}

/// LMDB's write lock on a ledger, held by a thread of the test process (a write transaction is
/// bound to the thread that began it) until released, as a long import in another process holds it.
final class HeldWriteLock: @unchecked Sendable {
    private let folder: String
    private let held = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)
    private var thread: Thread?

    init(ledgerFolder: String) { folder = ledgerFolder }

    /// Returns once the lock is held.
    func hold() {
        let (folder, held, released) = (folder, held, released)
        let thread = Thread {
            let environment = try! Environment(path: folder)
            _ = try! environment.rehearseWrite { _ in
                held.signal()
                released.wait()
            }
        }
        self.thread = thread
        thread.start()
        held.wait()
    }

    /// Lets the lock go (again: no harm).
    func release() { released.signal() }
}
