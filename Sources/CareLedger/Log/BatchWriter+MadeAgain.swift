internal import LMDBStore
internal import LedgerJSON

/// An id made again once the event that made it is retracted.
///
/// SPEC section 4 corrects a mistake by retracting it and appending the right fact as a new
/// event. For an event that makes an id (a registration, a case opened, a spell started, an offer,
/// a referral, a concern) the right fact makes the same id: the worker is still W-00123, whose
/// later events name it. So an id is new (SPEC 3, check 4) when no event holds it but retracted
/// ones; the retracted event stays in the log and in timelines, marked so. References still go by
/// what is stored (a retracted registration still counts), so nothing already recorded about the
/// id is orphaned while it waits for its right fact.
///
/// The right fact names the worker and the case the retracted one named: an id's events stay in
/// the stream they were appended to (a spell's in its worker's, a referral's in its case's), and
/// the timelines of that worker and case show a case's or a concern's stream, which would
/// otherwise show another worker's events.
extension BatchWriter {
    /// The event that last made an id, as the log and the batch so far hold it.
    struct Maker {
        let seq: Seq
        let facts: EventFacts
        let retracted: Bool
    }

    /// Refuses `f`, an event that makes `kind` `id` (`field`) where the log or the batch holds it
    /// already, unless `maker`, the event that last made it, is retracted and named the same
    /// worker and case.
    func requireMadeAgain(_ f: EventFacts, _ kind: StaticString, _ id: String, field: String, maker: Maker?, reject: (String, String, LedgerError.Code) -> LedgerError) throws {
        let pointer = "/data/\(field)"
        guard let maker else {
            throw reject(pointer, "\(kind) \(id) already exists; \(f.type.rawValue) needs a new \(field)", .rejected)
        }
        guard maker.retracted else {
            throw reject(pointer, "\(kind) \(id) already exists (\(maker.facts.type.rawValue) at seq \(maker.seq)); \(f.type.rawValue) needs a new \(field), or, to correct that event, retract seq \(maker.seq) and record the right fact after its retraction, under the same \(field)", .rejected)
        }
        for (name, before, now) in [("workerRef", maker.facts.workerRef, f.workerRef), ("caseId", maker.facts.caseId, f.caseId)] where before != now {
            throw reject("/data/\(name)", "\(kind) \(id) was made with \(name) \(before ?? "none") (seq \(maker.seq), retracted), and made again it names the same; \(now.map { "for \($0)" } ?? "without a \(name)"), use a new \(field)", .rejected)
        }
    }

    /// The latest event of `type` in `stream` for which `holds` is true, or `nil`.
    func lastMaker(_ type: EventType, in stream: StreamName, holds: (EventFacts) -> Bool = { _ in true }) throws -> Maker? {
        for seq in try seqs(inStream: stream).reversed() where try db.type(at: seq, in: txn) == type {
            guard let stored = try storedEvent(seq: seq) else { continue }
            let document = try stored.document()
            let facts = EventFacts(document: document, root: document.root, type: type)
            if holds(facts) { return Maker(seq: seq, facts: facts, retracted: try retraction(of: seq) != nil) }
        }
        return nil
    }

    /// The event a seq in one of the rules' tables names (an offer's, a referral's).
    func maker(at seq: Seq, _ type: EventType) throws -> Maker? {
        guard let stored = try storedEvent(seq: seq) else { return nil }
        let document = try stored.document()
        return Maker(seq: seq, facts: EventFacts(document: document, root: document.root, type: type), retracted: try retraction(of: seq) != nil)
    }
}
