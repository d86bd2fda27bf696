internal import Foundation

/// Work done on a thread of its own, handed to the caller in blocks, in order, through a small
/// bounded queue: the shape of both pipelines that use the machine's second core (preparing an
/// import's events while the caller commits them; parsing the log while the read models fold it).
///
/// The producer calls ``hand(_:)`` with each block (it waits while the queue is full) and stops
/// producing when that answers `false`; errors belong inside the blocks, so that they arrive in
/// order. The caller takes blocks with ``next()`` and must call ``stop()`` before it returns,
/// whatever happens, so that no thread outlives its work (or the transaction it reads).
///
/// `@unchecked Sendable`: the queue's state is guarded by `condition`, and `produce` runs on the
/// producer thread alone once ``start()`` has been called; the caller promises that nothing it
/// captured is used by another thread meanwhile.
package final class ProducerThread<Block: Sendable>: @unchecked Sendable {
    private let name: String
    private let capacity: Int
    private var produce: ((ProducerThread) -> Void)?
    private let condition = NSCondition()
    private var blocks: [Block] = []
    private var producerFinished = false
    private var cancelled = false
    private var started = false
    private let finished = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - name: the thread's name, as debuggers and `top -H` show it.
    ///   - capacity: how many blocks may wait before the producer waits in turn.
    ///   - produce: the producer's work, run once on the new thread.
    package init(name: String, capacity: Int, produce: @escaping (ProducerThread) -> Void) {
        self.name = name
        self.capacity = capacity
        self.produce = produce
    }

    /// Starts the producer thread.
    package func start() {
        started = true
        let thread = Thread { [self] in
            produce?(self)
            produce = nil
            condition.lock()
            producerFinished = true
            condition.broadcast()
            condition.unlock()
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// The next block in order, or `nil` once the producer has finished and every block is taken.
    package func next() -> Block? {
        condition.lock()
        defer { condition.unlock() }
        while blocks.isEmpty && !producerFinished { condition.wait() }
        guard !blocks.isEmpty else { return nil }
        let block = blocks.removeFirst()
        condition.broadcast()
        return block
    }

    /// Stops the producer (if it is still producing) and waits for its thread to end.
    package func stop() {
        guard started else { return }
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
        finished.wait()
    }

    /// Queues a block, waiting while the queue is full; `false` once the caller has stopped.
    package func hand(_ block: Block) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while blocks.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        blocks.append(block)
        condition.broadcast()
        return true
    }
}
