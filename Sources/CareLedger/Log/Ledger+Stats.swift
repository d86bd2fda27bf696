internal import LMDBStore
internal import LedgerJSON

/// Counts that describe a ledger, for `careledger stats`.
public struct LedgerStatistics: Sendable {
    /// The head of the log.
    public let head: LogHead
    /// How many events the log holds.
    public let events: Int
    /// How many streams they belong to.
    public let streams: Int
    /// How many of them have been retracted.
    public let retracted: Int
    /// Events per type, the most frequent first.
    public let byType: [(type: EventType, count: Int)]
    /// When the first event was recorded.
    public let firstRecordedAt: Instant?
    /// Bytes of the data file in use, and the map's size (the most it may grow to).
    public let usedBytes: Int
    public let mapBytes: Int
}

extension Ledger {
    /// Counts of events, streams, types and retractions, from the indexes (no scan of the log).
    public func statistics() throws(LedgerError) -> LedgerStatistics {
        let usage: (mapSize: Int, usedBytes: Int)
        do { usage = try environment.usage() } catch { throw LedgerError.storage(error, "reading the ledger's size") }
        return try reading { txn in
            let head = try head(in: txn)
            var byType: [(EventType, Int)] = []
            var streams = 0
            try txn.withCursor(databases.types) { cursor in
                var found = try cursor.move(.first)
                while found {
                    let name = String(decoding: cursor.key, as: UTF8.self)
                    if let type = EventType(rawValue: name) { byType.append((type, try cursor.duplicateCount())) }
                    found = try cursor.move(.nextKey)
                }
            }
            try txn.withCursor(databases.streams) { cursor in
                var found = try cursor.move(.first)
                while found {
                    streams += 1
                    found = try cursor.move(.nextKey)
                }
            }
            let first = try databases.recordedAt(Seq(1), in: txn)
            return LedgerStatistics(
                head: head, events: try txn.statistics(databases.events).entries, streams: streams,
                retracted: try txn.statistics(databases.retractions).entries,
                byType: byType.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) },
                firstRecordedAt: first, usedBytes: usage.usedBytes, mapBytes: usage.mapSize)
        }
    }
}
