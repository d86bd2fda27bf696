internal import CareLedger
internal import Foundation

/// Group commit: appends from concurrent requests wait here while one write transaction is being
/// synced, then all of them share the next one. Each request's batch stays atomic on its own
/// (``Ledger/appendGroup(_:)``), each answer comes only after its sync, and events land in the
/// order their batches were taken.
final class GroupCommitter: @unchecked Sendable {
    // `waiting` and `draining` are guarded by `lock`; `ledger` is immutable.
    private let ledger: Ledger
    private let metrics: ServerMetrics
    private let writes: Lane
    private let lock = NSLock()
    private var waiting: [(body: [UInt8], answer: CheckedContinuation<AppendResult, any Error>)] = []
    private var draining = false

    /// The most batches one transaction takes, so that one slow group cannot grow without bound.
    static let maximumGroup = 512

    init(ledger: Ledger, metrics: ServerMetrics, writes: Lane) {
        self.ledger = ledger
        self.metrics = metrics
        self.writes = writes
    }

    /// Appends `body` as one atomic batch, durably, sharing a transaction with whatever else waits.
    func append(_ body: [UInt8]) async throws -> AppendResult {
        try await withCheckedThrowingContinuation { answer in
            let start = lock.withLock { () -> Bool in
                waiting.append((body, answer))
                if draining { return false }
                draining = true
                return true
            }
            if start { Task.detached { await self.drain() } }
        }
    }

    /// Commits groups until nothing waits.
    private func drain() async {
        while true {
            let group = lock.withLock { () -> [(body: [UInt8], answer: CheckedContinuation<AppendResult, any Error>)] in
                let taken = Array(waiting.prefix(Self.maximumGroup))
                waiting.removeFirst(taken.count)
                if taken.isEmpty { draining = false }
                return taken
            }
            if group.isEmpty { return }
            let bodies = group.map(\.body)
            metrics.groupCommitted(size: group.count)
            do {
                let ledger = self.ledger
                let outcomes = try await writes.run { try ledger.appendGroup(bodies) }
                for (request, outcome) in zip(group, outcomes) { request.answer.resume(with: outcome.mapError { $0 as any Error }) }
            } catch {
                for request in group { request.answer.resume(throwing: error) }
            }
        }
    }
}
