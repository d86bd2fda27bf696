/// Work that takes the log's write lock, run one piece at a time on the thread pool.
///
/// LMDB lets one writer in at a time across every process, and a writer waits for the lock on
/// the thread that asked for it. The server's thread pool has a thread per core (two here), and
/// every read waits on it too: while a `careledger import` in another process held the lock for
/// seconds, a few `POST /v1/events?check=true` or erasures could each hold a pool thread waiting,
/// and no query, event read or `/healthz` was answered until the import committed. Through the
/// lane at most one pool thread waits for the lock; the rest of the work waits here, holding none.
actor WriteLane {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` on the thread pool once the work before it has finished.
    func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        if busy {
            await withCheckedContinuation { waiting.append($0) }  // handed the lane by `release`
        } else {
            busy = true
        }
        defer { release() }
        return try await blocking(body)
    }

    /// Hands the lane to the next piece of work, in the order they came, or frees it.
    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
