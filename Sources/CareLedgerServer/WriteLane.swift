/// Work that takes an LMDB environment's write lock (the log's, or the read models'), run one
/// piece at a time on the thread pool: a lane for each environment.
///
/// LMDB lets one writer in at a time across every process, and a writer waits for the lock on
/// the thread that asked for it. The server's thread pool has a thread per core (two here), and
/// every read waits on it too: while a `careledger import` in another process held the lock for
/// seconds, a few `POST /v1/events?check=true` or erasures could each hold a pool thread waiting,
/// and no query or event read was answered until the import committed; queries catching up the
/// read models while a `projections rebuild` held their lock did the same to appends. Through a
/// lane at most one pool thread waits for its lock; the rest of the work waits here, holding none.
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
