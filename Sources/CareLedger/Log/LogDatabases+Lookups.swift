internal import LedgerJSON
internal import LMDBStore

/// The point lookups every reader of the log needs (the append path, reads, verification, the
/// projection engine's snapshot), written once over the named databases.
extension LogDatabases {
    /// The head record: the last event's seq, hash and recording instant.
    func head(in txn: Transaction) throws -> LogHead {
        try MetaKey.head.withUnsafeBytes { key in
            try txn.withValue(in: meta, key: key) { raw in
                guard let raw, let head = LogHead(encoded: raw) else {
                    throw LedgerError(.damaged, "the ledger's head record is missing or damaged")
                }
                return head
            }
        }
    }

    /// The stored event at `seq`, or `nil` beyond the head.
    func storedEvent(_ seq: Seq, in txn: Transaction) throws -> StoredEvent? {
        try seq.key.withUnsafeBytes { key in
            try txn.withValue(in: events, key: key) { raw in try raw.map { try StoredEvent(seq: seq, record: $0) } }
        }
    }

    /// The seq of the event with `id`, if the log (or the transaction's batch so far) holds it.
    func seq(of id: EventID, in txn: Transaction) throws -> Seq? {
        try id.withKey { key in
            try txn.withValue(in: eventIds, key: key) { raw in try raw.map { try storedSeq($0, in: "the id index") } }
        }
    }

    /// The seq of the `EventRetracted` that retracted the event at `seq`, if one did.
    func retraction(of seq: Seq, in txn: Transaction) throws -> Seq? {
        try seq.key.withUnsafeBytes { key in
            try txn.withValue(in: retractions, key: key) { raw in try raw.map { try storedSeq($0, in: "the retractions") } }
        }
    }

    /// The seqs of the events of `stream`, in stream-version order.
    func seqs(inStream stream: String, in txn: Transaction) throws -> [Seq] {
        try txn.withCursor(streams) { cursor in
            var result: [Seq] = []
            let key = Array(stream.utf8)
            var found = try key.withUnsafeBytes { try cursor.move(.exactly($0)) }
            while found {
                result.append(try storedSeq(cursor.value, at: 8, in: "the stream index"))
                found = try cursor.move(.nextDuplicate)
            }
            return result
        }
    }

    /// The type of the event at `seq`, read from its canonical bytes without parsing them.
    func type(at seq: Seq, in txn: Transaction) throws -> EventType? {
        try seq.key.withUnsafeBytes { key in
            try txn.withValue(in: events, key: key) { raw -> EventType? in
                guard let raw, raw.count > StoredEvent.headerSize else { return nil }
                return CanonicalMember.type(in: UnsafeRawBufferPointer(rebasing: raw[StoredEvent.headerSize...]))
            }
        }
    }

    /// The `recordedAt` of the event at `seq`, read from its canonical bytes without parsing them.
    func recordedAt(_ seq: Seq, in txn: Transaction) throws -> Instant? {
        try seq.key.withUnsafeBytes { key in
            try txn.withValue(in: events, key: key) { raw -> Instant? in
                guard let raw, raw.count > StoredEvent.headerSize else { return nil }
                return CanonicalMember.recordedAt(in: UnsafeRawBufferPointer(rebasing: raw[StoredEvent.headerSize...]))
            }
        }
    }

    /// What the `cases` database keeps of the case `caseId`, if it was opened.
    func caseRecord(_ caseId: String, in txn: Transaction) throws -> CaseRecord? {
        guard let raw = try txn.value(in: cases, key: Array(caseId.utf8)), raw.count >= 9 else { return nil }
        let closed = raw.withUnsafeBytes { readBigEndian($0) }
        let typeLength = Int(raw[8])
        return CaseRecord(closedBy: closed == 0 ? nil : Seq(closed),
                          caseType: String(decoding: raw[9..<(9 + typeLength)], as: UTF8.self),
                          workerRef: String(decoding: raw[(9 + typeLength)...], as: UTF8.self))
    }

    /// The worker whose key seals the personal data of an event: `pii` is its own worker's, a
    /// case's `notes` belong to the worker of the case.
    func personalDataOwner(_ field: PersonalDataField, facts: EventFacts, in txn: Transaction) throws -> String? {
        switch field {
        case .pii: facts.workerRef
        case .notes: try facts.caseId.flatMap { try caseRecord($0, in: txn)?.workerRef }
        }
    }

    /// The worker whose key sealed the personal data `field` of the stored event `document`.
    func personalDataOwner(_ field: PersonalDataField, ofStored document: JSONDocument, in txn: Transaction) throws -> String? {
        try personalDataOwner(field, facts: EventFacts(document: document, root: document.root, type: field.eventType), in: txn)
    }
}

/// A case as the `cases` database keeps it.
struct CaseRecord {
    var closedBy: Seq?
    var caseType: String
    var workerRef: String
}
