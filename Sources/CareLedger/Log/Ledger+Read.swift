internal import LMDBStore
internal import LedgerJSON

/// Which stored events to read: from a global seq, optionally only one stream or one type.
public struct EventFilter: Sendable {
    /// The first seq to consider (inclusive).
    public var from: Seq
    /// Only events of this stream.
    public var stream: StreamID?
    /// Only events of this type.
    public var type: EventType?

    /// Events from `from` on, of one stream and one type when those are given.
    public init(from: Seq = Seq(1), stream: StreamID? = nil, type: EventType? = nil) {
        self.from = from
        self.stream = stream
        self.type = type
    }
}

extension Ledger {
    /// Calls `body` with each stored event matching `filter`, in seq order, up to `limit` events,
    /// all from one snapshot. Uses the stream and type indexes rather than scanning the log.
    /// - Returns: the seq of the next matching event after the last one given (to continue
    ///   from), or `nil` when there is none.
    @discardableResult
    public func readEvents(
        _ filter: EventFilter, limit: Int? = nil, _ body: (StoredEvent) throws -> Void
    ) throws(LedgerError) -> Seq? {
        try reading { txn in
            var given = 0
            // Gives the event at `seq`; answers false once the limit is reached (and `seq` is the next).
            func offer(_ seq: Seq) throws -> Bool {
                if let limit, given >= limit { return false }
                guard let event = try storedEvent(seq: seq, in: txn) else { return true }
                try body(event)
                given += 1
                return true
            }
            switch (filter.stream, filter.type) {
            case (nil, nil):
                return try txn.withCursor(databases.events) { cursor in
                    var found = try filter.from.key.withUnsafeBytes { try cursor.move(.atOrAfter($0)) }
                    while found {
                        let seq = try storedSeq(cursor.key, in: "a key of the events")
                        if let limit, given >= limit { return seq }
                        try body(try StoredEvent(seq: seq, record: cursor.value))
                        given += 1
                        found = try cursor.move(.next)
                    }
                    return nil
                }
            case (nil, let type?):
                return try txn.withCursor(databases.types) { cursor in
                    let key = Array(type.rawValue.utf8)
                    var found = try key.withUnsafeBytes { k in
                        try filter.from.key.withUnsafeBytes { v in try cursor.move(.valueAtOrAfter(key: k, value: v)) }
                    }
                    while found {
                        let seq = try storedSeq(cursor.value, in: "the type index")
                        if try !offer(seq) { return seq }
                        found = try cursor.move(.nextDuplicate)
                    }
                    return nil
                }
            case (let stream?, let type):
                return try txn.withCursor(databases.streams) { cursor in
                    let key = Array(stream.rawValue.utf8)
                    var found = try key.withUnsafeBytes { try cursor.move(.exactly($0)) }
                    while found {
                        let seq = try storedSeq(cursor.value, at: 8, in: "the stream index")
                        if seq >= filter.from {
                            if let type, try databases.type(at: seq, in: txn) != type {
                                found = try cursor.move(.nextDuplicate)
                                continue
                            }
                            if try !offer(seq) { return seq }
                        }
                        found = try cursor.move(.nextDuplicate)
                    }
                    return nil
                }
            }
        }
    }

    /// The stored event at `seq`, or `nil` beyond the head.
    public func event(at seq: Seq) throws(LedgerError) -> StoredEvent? {
        try reading { txn in try storedEvent(seq: seq, in: txn) }
    }

    func storedEvent(seq: Seq, in txn: Transaction) throws -> StoredEvent? { try databases.storedEvent(seq, in: txn) }

}
