internal import Foundation
internal import LedgerJSON

/// Prepares an NDJSON file's events on a thread of its own while the caller commits them.
///
/// Preparing (parsing, the schema, rendering the canonical form) needs no transaction, and is
/// about half of an event's cost; the machine has two cores. The producer hands over blocks of
/// prepared events through a small bounded queue, in file order; a preparation error travels in
/// order too, so the caller still reports the first problem in the file. The caller must call
/// ``stop()`` before it returns, whatever happens, so that no thread outlives the import.
///
/// `@unchecked Sendable`: the queue state is guarded by `condition`, and the reader and the
/// preparer are used by the producer thread alone once ``start()`` has been called.
final class PreparationPipeline: @unchecked Sendable {
    enum Item: Sendable {
        case event(PreparedEvent)
        case failure(LedgerError)
    }

    struct Block: Sendable {
        var items: [Item] = []
        /// How far into the file the block's last event ends.
        var bytesRead = 0
    }

    private let reader: FileLineReader
    private let catalogue: EventCatalogue
    private let condition = NSCondition()
    private var blocks: [Block] = []
    private var producerFinished = false
    private var cancelled = false
    private var started = false
    private let finished = DispatchSemaphore(value: 0)

    private static let blockSize = 256
    private static let queuedBlocks = 16

    init(reader: FileLineReader, catalogue: EventCatalogue) {
        self.reader = reader
        self.catalogue = catalogue
    }

    /// Starts the producer thread.
    func start() {
        started = true
        let thread = Thread { [self] in
            produce()
            condition.lock()
            producerFinished = true
            condition.broadcast()
            condition.unlock()
            finished.signal()
        }
        thread.name = "careledger-import-prepare"
        thread.start()
    }

    /// The next block in file order, or `nil` when the file is done.
    func next() -> Block? {
        condition.lock()
        defer { condition.unlock() }
        while blocks.isEmpty && !producerFinished { condition.wait() }
        guard !blocks.isEmpty else { return nil }
        let block = blocks.removeFirst()
        condition.broadcast()
        return block
    }

    /// Stops the producer (if it is still reading) and waits for its thread to end.
    func stop() {
        guard started else { return }
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
        finished.wait()
    }

    private struct Stop: Error {}

    private func produce() {
        var preparer = EventPreparer(catalogue: catalogue)
        var document = JSONDocument()
        var block = Block()
        do {
            try reader.forEachLine { number, bytes in
                do {
                    try Ledger.parse(bytes, into: &document, lineNumber: number)
                    block.items.append(.event(try preparer.prepare(document, root: document.root, location: .line(number))))
                } catch let error as LedgerError {
                    block.items.append(.failure(error))
                    throw Stop()
                }
                if block.items.count == Self.blockSize {
                    block.bytesRead = reader.consumed
                    guard hand(block) else { throw Stop() }
                    block = Block()
                }
            }
        } catch is Stop {
        } catch {
            block.items.append(.failure(LedgerError(.usage, "reading the file failed: \(error)")))
        }
        block.bytesRead = reader.consumed
        if !block.items.isEmpty { _ = hand(block) }
    }

    /// Queues a block, waiting while the queue is full; `false` once the import is cancelled.
    private func hand(_ block: Block) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while blocks.count >= Self.queuedBlocks && !cancelled { condition.wait() }
        if cancelled { return false }
        blocks.append(block)
        condition.broadcast()
        return true
    }
}
