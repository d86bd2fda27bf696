internal import CareLedger

/// Which events one fold still needs: those of its types beyond its checkpoint. A value, so that
/// the thread that parses the log can ask it while the fold itself is busy on another.
struct ReplayInterest: Sendable {
    let after: Seq
    let types: EventTypes

    func reads(_ type: EventType, at seq: Seq) -> Bool { after < seq && types.contains(type) }
}

/// Reads and parses the log on a thread of its own (``ProducerThread``) while the caller folds
/// what it has parsed.
///
/// Parsing (the canonical JSON of each event some projection reads, and each retraction's
/// target) needs only the log's snapshot; folding needs only the read models' write transaction.
/// The machine has two cores: a rebuild did one after the other. Parsed events arrive in blocks,
/// in seq order; an error travels in order too, so the first problem in the log is the one
/// reported. The snapshot is used by the producer thread alone, and
/// ``replay(_:from:through:interests:_:)`` does not return before that thread has ended (the read
/// transaction is opened with `MDB_NOTLS`, so another thread may use it while the one that began
/// it waits).
enum ReplayPipeline {
    /// An event as projections read it and, for an `EventRetracted`, the event it names.
    ///
    /// A class: the folding thread copied each event out of its block (some 420 bytes, every
    /// string in it retained and then released), about a tenth of that thread's work, where a
    /// reference costs one allocation on the parsing thread, the less busy one.
    final class Parsed: Sendable {
        let event: ProjectedEvent
        /// Empty, or the one event retracted: few events are retractions, and an optional
        /// event would double the size of every one that a block carries.
        private let targets: [ProjectedEvent]
        var target: ProjectedEvent? { targets.first }

        init(event: ProjectedEvent, target: ProjectedEvent?) {
            self.event = event
            self.targets = target.map { [$0] } ?? []
        }
    }

    private struct Block: Sendable {
        var events: [Parsed] = []
        var failure: (any Error)?
    }

    private static let blockSize = 1_024
    private static let queuedBlocks = 8

    /// Calls `body`, in seq order, with every event from `from` through `through` that some
    /// interest reads, and every `EventRetracted` with its target.
    static func replay(
        _ snapshot: LogSnapshot, from: Seq, through: Seq, interests: [ReplayInterest], _ body: (Parsed) throws -> Void
    ) throws {
        let producer = ProducerThread<Block>(name: "careledger-replay", capacity: queuedBlocks) { producer in
            produce(snapshot, from: from, through: through, interests: interests, into: producer)
        }
        producer.start()
        defer { producer.stop() }
        while let block = producer.next() {
            for parsed in block.events { try body(parsed) }
            if let failure = block.failure { throw failure }
        }
    }

    private struct Stop: Error {}

    private static func produce(
        _ snapshot: LogSnapshot, from: Seq, through: Seq, interests: [ReplayInterest], into producer: ProducerThread<Block>
    ) {
        var reader = ProjectedEventReader()
        var block = Block()
        block.events.reserveCapacity(blockSize)
        do {
            try snapshot.replay(from: from, through: through) { seq, bytes in
                guard let type = CanonicalMember.type(in: bytes) else {
                    throw LedgerError(.verificationFailed, "the stored event at seq \(seq) has no readable type")
                }
                guard type == .eventRetracted || interests.contains(where: { $0.reads(type, at: seq) }) else { return }
                let event = try reader.read(seq: seq, type: type, canonical: bytes)
                let target = type == .eventRetracted ? try target(of: event, in: snapshot, reader: &reader) : nil
                block.events.append(Parsed(event: event, target: target))
                if block.events.count == blockSize {
                    guard producer.hand(block) else { throw Stop() }
                    block = Block()
                    block.events.reserveCapacity(blockSize)
                }
            }
        } catch is Stop {
            return
        } catch {
            block.failure = error
        }
        if !block.events.isEmpty || block.failure != nil { _ = producer.hand(block) }
    }

    /// The event a retraction names, as projections read it.
    private static func target(of retraction: ProjectedEvent, in snapshot: LogSnapshot, reader: inout ProjectedEventReader) throws -> ProjectedEvent? {
        guard let targetID = retraction.targetEventId, let targetSeq = try snapshot.seq(of: targetID),
              let bytes = try snapshot.canonicalBytes(at: targetSeq) else {
            throw LedgerError(.verificationFailed, "the EventRetracted at seq \(retraction.seq) names an event the log does not hold")
        }
        return try bytes.withUnsafeBytes { bytes in
            guard let type = CanonicalMember.type(in: bytes) else { return nil }
            return try reader.read(seq: targetSeq, type: type, canonical: bytes)
        }
    }
}
