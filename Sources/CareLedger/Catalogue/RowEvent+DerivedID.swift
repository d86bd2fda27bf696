internal import Crypto
internal import LedgerJSON

extension EventCatalogue.Entry.RowEvent {
    /// `events` with an id each row without one derives from what it records, so that a return
    /// recorded twice (the same file sent again, Record pressed twice, a page posted again)
    /// changes nothing the second time: each row is then a duplicate of the event it made, which
    /// append answers with the original position (SPEC 2).
    ///
    /// The id is a UUID (version 8, RFC 9562) made of the SHA-256 of the event's type, schema
    /// version, `occurredOn` and data, and of how many rows of the same content came before it
    /// in this file: two identical rows of one return are two events, and the same return sent
    /// again, its rows in any order, names the same events. Personal data (`pii`, `notes`) is
    /// left out, so that no id, which outlives an erasure, is made from it; `meta` is left out,
    /// so that the fact, not who sent it, names the event (``DerivedRowID``). A row with an `id`
    /// cell keeps it.
    static func identified(_ events: [Self]) -> [Self] {
        var seen: [[UInt8]: Int] = [:]
        return events.map { row in
            guard case .object(let members) = row.event, !members.contains(where: { $0.0 == "id" }) else { return row }
            let fact = DerivedRowID.factDigest(of: members)
            let earlier = seen[fact, default: 0]
            seen[fact] = earlier + 1
            return Self(line: row.line, event: .object([("id", .string(DerivedRowID.id(fact: fact, earlier: earlier).description))] + members))
        }
    }
}

/// The ids the ledger derives for a spreadsheet's rows from the facts they record
/// (``EventCatalogue/Entry/RowEvent/identified(_:)``), and the test that an id was so derived.
///
/// An id derived from a fact names that fact whoever sends it: a return corrected and sent
/// again by another officer (`meta.actor` theirs) repeats its earlier rows with other `meta`,
/// and those rows are the events already stored, not conflicts (SPEC 2's rule is for ids a
/// writer chose; a row without one had its id chosen by the ledger).
enum DerivedRowID {
    /// The most rows of one content in one file whose ids ``derives(_:from:)`` recognises.
    static let mostIdenticalRows = 1 << 16

    /// The SHA-256 of the fact an event's `members` record: type, schema version, `occurredOn`
    /// and data without its personal data.
    static func factDigest(of members: [(String, JSONValue)]) -> [UInt8] {
        let fact = JSONValue.object(members.compactMap { name, value -> (String, JSONValue)? in
            switch name {
            case "type", "schemaVersion", "occurredOn": return (name, value)
            case "data":
                guard case .object(let data) = value else { return (name, value) }
                return (name, .object(data.filter { $0.0 != "pii" && $0.0 != "notes" }))
            default: return nil
            }
        })
        return Array(SHA256.hash(data: Array("careledger row event v1\n".utf8) + fact.canonicalBytes))
    }

    /// The id of the row of fact `fact` after `earlier` rows of the same content in its file.
    static func id(fact: [UInt8], earlier: Int) -> EventID {
        var bytes = Array(SHA256.hash(data: fact + Array("\n\(earlier)".utf8)).prefix(16))
        bytes[6] = 0x80 | (bytes[6] & 0x0F)  // version 8: made by this ledger's own rule
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // the RFC 9562 variant
        return bytes.withUnsafeBytes { EventID(bytes: $0) }
    }

    /// Whether `id` is one the ledger derives from the fact `event` records: then an event
    /// already stored under it records the same fact, whatever its `meta`.
    ///
    /// The rows of one content in a file are recorded together, in one batch, so the id after
    /// `earlier` rows was derived only if the id of `earlier` is recorded (`isRecorded`, the log
    /// and the batch so far): the ids are tried in turn only while they are. An id that is not
    /// derived costs a hash or two, where trying every count up to ``mostIdenticalRows`` cost
    /// 65,536 of them, for each such event a writer sent.
    static func derives(_ id: EventID, from event: JSONValue, isRecorded: (EventID) throws -> Bool) rethrows -> Bool {
        guard id.description.dropFirst(14).first == "8", case .object(let members) = event else { return false }
        let fact = factDigest(of: members)
        for earlier in 0..<mostIdenticalRows {
            let derived = self.id(fact: fact, earlier: earlier)
            if derived == id { return true }
            guard try isRecorded(derived) else { return false }
        }
        return false
    }
}
