internal import LedgerJSON
internal import LMDBStore

/// Checks, for `verify`, that the indexes agree with the events they were written from.
///
/// The hash chain covers the events' bytes, not the `eventIds`, `streams` and `types` entries
/// that `read --stream`, `read --type` and the id rules go by: an entry changed, dropped or added
/// would pass the chain and mislead those. So each event must be found under its id (with its
/// seq and type), its stream (with its version and seq) and its type, and each index must hold
/// as many entries as the log holds events, so that none was added either.
struct IndexCheck {
    private let databases: LogDatabases
    private let ids: Cursor
    private let streams: Cursor
    private let types: Cursor

    /// Runs `body` with a check reading through `txn`.
    static func with<Result>(_ databases: LogDatabases, in txn: Transaction, _ body: (IndexCheck) throws -> Result) throws -> Result {
        try txn.withCursor(databases.eventIds) { ids in
            try txn.withCursor(databases.streams) { streams in
                try txn.withCursor(databases.types) { types in
                    try body(IndexCheck(databases: databases, ids: ids, streams: streams, types: types))
                }
            }
        }
    }

    /// What is wrong with the index entries of the stored event at `seq` (parsed as `document`),
    /// or `nil` when its three entries are there.
    func problem(seq: Seq, document: JSONDocument) throws -> String? {
        guard let member = Member(document) else { return "the stored event lacks a valid id, stream, streamVersion or type" }
        let idFound = try member.id.withKey { try ids.move(.exactly($0)) }
        guard idFound else { return "the id index has no entry for id \(member.id)" }
        let entry = ids.value
        guard entry.count == 9, Seq(readBigEndian(entry)) == seq, entry[8] == EventTypeCode.code(of: member.type) else {
            let named = entry.count >= 8 ? "seq \(Seq(readBigEndian(entry)))" : "no seq"
            return "the id index points id \(member.id) at \(named), not at this event (seq \(seq), \(member.type.rawValue))"
        }
        var streamValue = (member.version.bigEndian, seq.rawValue.bigEndian)
        let inStream = try withUnsafeBytes(of: &streamValue) { value in
            try Array(member.stream.utf8).withUnsafeBytes { key in
                try streams.move(.valueAtOrAfter(key: key, value: value)) && streams.value.elementsEqual(value)
            }
        }
        guard inStream else { return "the stream index has no entry for version \(member.version) of stream \(member.stream) at seq \(seq)" }
        let inType = try seq.key.withUnsafeBytes { value in
            try Array(member.type.rawValue.utf8).withUnsafeBytes { key in
                try types.move(.valueAtOrAfter(key: key, value: value)) && types.value.elementsEqual(value)
            }
        }
        guard inType else { return "the type index has no entry for seq \(seq) under \(member.type.rawValue)" }
        return nil
    }

    /// After every event of a log of `eventCount` checked from seq 1: an entry no event made, as
    /// the seq it names and what is wrong, or `nil` when each index holds one entry an event.
    func strayEntry(eventCount: UInt64, in txn: Transaction) throws -> (Seq, String)? {
        for index in Index.allCases {
            let cursor = self.cursor(index)
            let entries = try txn.statistics(index.database(databases)).entries
            guard entries != Int(eventCount) else { continue }
            let counted = "the \(index) index holds \(entries) entries for \(eventCount) events"
            // Every event's own entry is there, so the surplus names events that did not make it.
            var found = try cursor.move(.first)
            while found {
                guard let seq = index.seq(in: cursor.value), let stored = try databases.storedEvent(seq, in: txn),
                      let member = Member(try stored.document()) else {
                    return (index.seq(in: cursor.value) ?? Seq(eventCount + 1), "\(counted), one of them naming no event of the log")
                }
                if !index.wasMade(by: member, key: cursor.key, value: cursor.value) {
                    return (seq, "\(counted): an entry under \"\(String(decoding: cursor.key, as: UTF8.self))\" names seq \(seq), which is not that event")
                }
                found = try cursor.move(.next)
            }
            return (Seq(eventCount), counted)
        }
        return nil
    }

    private func cursor(_ index: Index) -> Cursor {
        switch index {
        case .id: ids
        case .stream: streams
        case .type: types
        }
    }

    /// The three indexes, and how an entry of each names its event.
    private enum Index: CaseIterable, CustomStringConvertible {
        case id, stream, type

        var description: String {
            switch self {
            case .id: "id"
            case .stream: "stream"
            case .type: "type"
            }
        }

        func database(_ databases: LogDatabases) -> Database {
            switch self {
            case .id: databases.eventIds
            case .stream: databases.streams
            case .type: databases.types
            }
        }

        /// The seq an entry's value names: seq and type code; version and seq; seq.
        func seq(in value: UnsafeRawBufferPointer) -> Seq? {
            switch self {
            case .id: value.count == 9 ? Seq(readBigEndian(value)) : nil
            case .stream: value.count == 16 ? Seq(readBigEndian(value, at: 8)) : nil
            case .type: value.count == 8 ? Seq(readBigEndian(value)) : nil
            }
        }

        func wasMade(by member: Member, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> Bool {
            switch self {
            case .id: member.id.withKey { key.elementsEqual($0) }
            case .stream: key.elementsEqual(member.stream.utf8) && value.prefix(8).elementsEqual(bigEndianBytes(member.version))
            case .type: key.elementsEqual(member.type.rawValue.utf8)
            }
        }
    }

    /// The members of a stored event that its index entries are made from.
    private struct Member {
        let id: EventID
        let stream: String
        let version: UInt64
        let type: EventType

        init?(_ document: JSONDocument) {
            let root = document.root
            guard let id = document.member(root, named: "id").flatMap({ EventID(document.string($0)) }),
                  let stream = document.member(root, named: "stream").map({ document.string($0) }),
                  let version = document.member(root, named: "streamVersion").flatMap({ document.integer($0) }), version > 0,
                  let type = document.member(root, named: "type").flatMap({ EventType(rawValue: document.string($0)) }) else { return nil }
            self.id = id
            self.stream = stream
            self.version = UInt64(version)
            self.type = type
        }
    }
}
