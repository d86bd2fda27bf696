internal import Dispatch

/// Work that may wait a long time on something other than the CPU, run one piece at a time, in
/// the order it came, on a thread outside NIO's pool: a lane for the log's write lock, one for
/// the read models' write lock, and one for whole verifications.
///
/// LMDB lets one writer in at a time across every process, and a writer waits for the lock on
/// the thread that asked for it. NIO's pool has a thread per core (two here), and every read
/// waits on it. While a `careledger import` in another process held the log's lock, checks and
/// erasures waiting for it on the pool left no thread for reads; a query catching up the read
/// models during a `projections rebuild` did the same; and a verification (seconds of reading and
/// hashing for a million events) held a pool thread too, so that two of these together stopped
/// every read. A lane's work waits on the lane's own serial queue instead, which libdispatch
/// gives a thread of its own whatever else is busy, and the work behind it waits holding none.
struct Lane: Sendable {
    private let queue: DispatchQueue

    /// `label` names the lane's thread in a debugger or a profile.
    init(_ label: String) {
        queue = DispatchQueue(label: "careledger.\(label)")
    }

    /// Runs `body` on the lane once the work before it has finished.
    func run<Answer: Sendable>(_ body: @escaping @Sendable () throws -> Answer) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
