internal import Crypto
public import LedgerJSON

extension EventCatalogue.Entry.RowEvent {
    /// `events` with an id each row without one derives from what it records, so that a return
    /// recorded twice (the same file sent again, Record pressed twice, a page posted again)
    /// changes nothing the second time: each row is then an identical duplicate of the event it
    /// made, which append answers with the original position (SPEC 2).
    ///
    /// The id is a UUID (version 8, RFC 9562) made of the SHA-256 of the event's type, schema
    /// version, `occurredOn` and data, and of how many rows of the same content came before it
    /// in this file: two identical rows of one return are two events, and the same return sent
    /// again, its rows in any order, names the same events. Personal data (`pii`, `notes`) is
    /// left out, so that no id, which outlives an erasure, is made from it; `meta` is left out,
    /// so that the fact, not who sent it, names the event. A row with an `id` cell keeps it.
    static func identified(_ events: [Self]) -> [Self] {
        var seen: [[UInt8]: Int] = [:]
        return events.map { row in
            guard case .object(let members) = row.event, !members.contains(where: { $0.0 == "id" }) else { return row }
            let fact = JSONValue.object(members.compactMap { name, value -> (String, JSONValue)? in
                switch name {
                case "type", "schemaVersion", "occurredOn": return (name, value)
                case "data":
                    guard case .object(let data) = value else { return (name, value) }
                    return (name, .object(data.filter { $0.0 != "pii" && $0.0 != "notes" }))
                default: return nil
                }
            })
            let content = Array(SHA256.hash(data: Array("careledger row event v1\n".utf8) + fact.canonicalBytes))
            let earlier = seen[content, default: 0]
            seen[content] = earlier + 1
            var bytes = Array(SHA256.hash(data: content + Array("\n\(earlier)".utf8)).prefix(16))
            bytes[6] = 0x80 | (bytes[6] & 0x0F)  // version 8: made by this ledger's own rule
            bytes[8] = 0x80 | (bytes[8] & 0x3F)  // the RFC 9562 variant
            let id = bytes.withUnsafeBytes { EventID(bytes: $0) }
            return Self(line: row.line, event: .object([("id", .string(id.description))] + members))
        }
    }
}
