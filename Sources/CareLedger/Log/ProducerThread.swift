internal import Foundation

/// Work done on a thread of its own, handed to the caller in blocks, in order, through a small
/// bounded queue: the shape of both pipelines that use the machine's second core (preparing an
/// import's events while the caller commits them; parsing the log while the read models fold it).
///
/// The producer calls ``hand(_:)`` with each block (it waits while the queue is full) and stops
/// producing when that answers `false`; errors belong inside the blocks, so that they arrive in
/// order. The caller takes blocks with ``next()`` and must call ``stop()`` before it returns,
/// whatever happens, so that no thread outlives its work (or the transaction it reads). A caller
/// may give each block back when done with it (``giveBack(_:)``), so that the producer thread,
/// which allocated what the block holds, also frees it.
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
    /// Blocks the caller is done with, freed by the producer thread when it next hands a block.
    private var spent: [Block] = []
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

    /// Gives a block the caller is done with back to the producer thread, to be freed there.
    ///
    /// What a block holds was allocated by the producer thread; freed by the caller's thread, it
    /// cost the caller (the busier thread of an import) about a sixth of its time, much of it
    /// waiting on the allocator's lock for memory of the producer's arena.
    package func giveBack(_ block: consuming Block) {
        condition.lock()
        spent.append(block)
        condition.unlock()
    }

    /// Queues a block, waiting while the queue is full; `false` once the caller has stopped.
    /// Frees the blocks given back meanwhile.
    package func hand(_ block: Block) -> Bool {
        condition.lock()
        while blocks.count >= capacity && !cancelled { condition.wait() }
        if cancelled {
            condition.unlock()
            return false
        }
        blocks.append(block)
        var given = spent
        spent = []
        condition.broadcast()
        condition.unlock()
        given.removeAll()  // outside the lock: the caller may be waiting for it
        return true
    }
}
