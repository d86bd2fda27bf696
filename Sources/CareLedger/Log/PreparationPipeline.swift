internal import LedgerJSON

/// Prepares an NDJSON file's events on a thread of its own (``ProducerThread``) while the caller
/// commits them.
///
/// Preparing (parsing, the schema, rendering the canonical form) needs no transaction, and is
/// about half of an event's cost; the machine has two cores. Prepared events arrive in blocks, in
/// file order; a preparation error travels in order too, so the caller still reports the first
/// problem in the file. A pipeline that keeps going (for a check of the whole file) goes on past
/// each error, and hands every one with the block it was met in. The caller must call ``stop()``
/// before it returns, whatever happens.
struct PreparationPipeline {
    /// Prepared events in file order and the problems met among them: at most one, the last
    /// thing in the block, unless the pipeline keeps going.
    struct Block: Sendable {
        var events: [PreparedEvent] = []
        var failures: [LedgerError] = []
        /// How far into the file the block's last event ends.
        var bytesRead = 0
    }

    private let producer: ProducerThread<Block>
    /// The file's size, for progress.
    private let fileSize: Int

    private static let blockSize = 256
    private static let queuedBlocks = 16

    /// - Parameter keepsGoing: go on past an event that fails, to the end of the file.
    init(reader: FileLineReader, catalogue: EventCatalogue, keepsGoing: Bool = false) {
        fileSize = reader.fileSize
        producer = ProducerThread(name: "careledger-import-prepare", capacity: Self.queuedBlocks) { producer in
            Self.produce(reader: reader, catalogue: catalogue, keepsGoing: keepsGoing, into: producer)
        }
    }

    /// Starts the producer thread.
    func start() { producer.start() }

    /// The next block in file order, or `nil` when the file is done.
    func next() -> Block? { producer.next() }

    /// Gives a block whose events are committed back to the producer thread, which frees them.
    func giveBack(_ block: consuming Block) { producer.giveBack(block) }

    /// Stops the producer (if it is still reading) and waits for its thread to end.
    func stop() { producer.stop() }

    /// Runs the pipeline to the end of its file, or until `take` says to stop: hands `take` each
    /// block in file order, gives it back to be freed, and calls `progress` every few thousand
    /// events with (events taken, bytes read, file size), and once more at the end of the file.
    /// - Parameter take: commits or checks a block's events; answers how many it took (an event
    ///   refused counts) and whether to go on.
    /// - Returns: the events taken, and whether the whole file was read.
    func run(progress: ((Int, Int, Int) -> Void)?, _ take: (Block) throws -> (taken: Int, goOn: Bool)) rethrows -> (events: Int, complete: Bool) {
        start()
        defer { stop() }
        var events = 0, reported = 0
        while let block = next() {
            let (taken, goOn) = try take(block)
            events += taken
            let bytesRead = block.bytesRead
            giveBack(consume block)
            guard goOn else { return (events, false) }
            if events - reported >= 4096 {
                progress?(events, bytesRead, fileSize)
                reported = events
            }
        }
        progress?(events, fileSize, fileSize)
        return (events, true)
    }

    private struct Stop: Error {}

    private static func produce(reader: FileLineReader, catalogue: EventCatalogue, keepsGoing: Bool, into producer: ProducerThread<Block>) {
        var preparer = EventPreparer(catalogue: catalogue)
        var document = JSONDocument()
        var block = Block()
        do {
            try reader.forEachLine { number, bytes in
                do {
                    try Ledger.parse(bytes, into: &document, lineNumber: number)
                    block.events.append(try preparer.prepare(document, root: document.root, location: .line(number)))
                } catch let error as LedgerError {
                    block.failures.append(error)
                    if !keepsGoing { throw Stop() }
                }
                if block.events.count + block.failures.count == Self.blockSize {
                    block.bytesRead = reader.consumed
                    guard producer.hand(block) else { throw Stop() }
                    block = Block()
                }
            }
        } catch is Stop {
        } catch {
            block.failures.append(LedgerError(.usage, "reading the file failed: \(error)"))
        }
        block.bytesRead = reader.consumed
        if !block.events.isEmpty || !block.failures.isEmpty { _ = producer.hand(block) }
    }
}
