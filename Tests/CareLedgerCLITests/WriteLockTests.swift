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
        let read = try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask { try await server.request("/v1/events?limit=1").status }
            group.addTask { try await Task.sleep(for: .seconds(120)); return nil }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        #expect(read == 200, "a read waited for the write lock")
        lock.release()
        for writer in writers {
            #expect(try await writer.value == 200, "each check answered once the lock was released")
        }
        try cli.expect(0, ["verify"])
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
