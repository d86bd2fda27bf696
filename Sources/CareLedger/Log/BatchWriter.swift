internal import LMDBStore
internal import LedgerJSON

/// Appends the events of one batch inside the log's single write transaction.
///
/// Each event is checked (size, type, schema, references, lifecycle) against the log as this
/// transaction sees it, which includes the batch's earlier events; only then is it written, with
/// its indexes and the state the rules need. Any error throws, the transaction is abandoned and
/// nothing of the batch is written: the batch is atomic by construction.
///
/// Its state is marked `@exclusivity(unchecked)`: a writer belongs to the one thread that runs
/// its batch, and the run-time check of each access to a class's stored property was about a
/// twentieth of an import's committing thread.
final class BatchWriter {
    let txn: WriteTransaction
    /// The log as it was when the batch began, read without the write transaction's cost: LMDB
    /// seeks every page the write transaction reads among its dirty pages first, a binary search
    /// per page per lookup once an import has written a few hundred thousand events. What the
    /// batch itself wrote is known from ``pending``.
    private let before: Transaction
    let db: LogDatabases
    /// Appends to the events database (keyed by seq) from where the last append left off.
    private let events: Appender
    let catalogue: EventCatalogue
    let vault: PersonalDataVault
    /// Data keys made and destroyed by this batch, written by the ledger only if it lands.
    @exclusivity(unchecked) var keyChanges = KeyChanges()
    @exclusivity(unchecked) private(set) var head: LogHead
    @exclusivity(unchecked) private(set) var appendedCount = 0
    @exclusivity(unchecked) private(set) var duplicateCount = 0
    @exclusivity(unchecked) private(set) var firstAppended: Seq?
    /// The batch's id, stream and type index entries until they are written, sorted.
    private let pending: PendingIndexes
    @exclusivity(unchecked) private var canonical = CanonicalJSONWriter()
    @exclusivity(unchecked) private var preparer: EventPreparer
    @exclusivity(unchecked) private var fingerprint = CanonicalJSONWriter()
    private let clock: () -> Instant

    /// - Parameters:
    ///   - before: what the batch began from: a read transaction begun after `txn` (so it reads
    ///     what `txn` began from), or `txn` itself (or its parent) when `txn` already holds changes
    ///     or no reader slot is free (slower reads, the same answers: a stream or id the batch
    ///     has not touched reads the same in both).
    ///   - events: an appender for `db.events` in `txn`, valid as long as this writer is used.
    init(txn: WriteTransaction, before: Transaction, db: LogDatabases, events: Appender, catalogue: EventCatalogue,
         vault: PersonalDataVault, head: LogHead, indexEntriesHeld: Int, clock: @escaping () -> Instant) {
        self.pending = PendingIndexes(capacity: indexEntriesHeld)
        self.txn = txn
        self.before = before
        self.db = db
        self.events = events
        self.catalogue = catalogue
        self.vault = vault
        self.head = head
        self.clock = clock
        self.preparer = EventPreparer(catalogue: catalogue)
    }

    /// Rejects the batch as a conflict unless every stream is at its expected version.
    func checkExpectations(_ expected: [StreamID: StreamVersion]) throws {
        var mismatches: [String] = []
        for (stream, version) in expected.sorted(by: { $0.key < $1.key }) {
            let actual = try streamVersion(StreamName(stream.rawValue))
            if actual != version.rawValue {
                mismatches.append("stream \(stream): expected version \(version), actual \(actual)")
            }
        }
        if !mismatches.isEmpty {
            throw LedgerError(.conflict, mismatches.joined(separator: "; "))
        }
    }

    /// Checks and appends one event: the value at `root` of `document`.
    func append(_ document: JSONDocument, root: Int, location: EventLocation) throws -> EventPosition {
        try commit(try preparer.prepare(document, root: root, location: location))
    }

    /// Checks a prepared event against the log and the batch so far (references, lifecycle,
    /// duplicates), then appends it with its hash and indexes.
    func commit(_ event: PreparedEvent) throws -> EventPosition {
        // Captures the location alone: capturing `event` copied the whole prepared event.
        let location = event.location
        func reject(_ pointer: String, _ rule: String, _ code: LedgerError.Code = .rejected) -> LedgerError {
            LedgerError(code, rule, location: location, pointer: pointer)
        }
        let entry = event.entry, facts = event.facts
        // The stream, derived from type and data; one sent must match.
        let stream = try deriveStream(event, reject: reject)
        if let sent = event.sentStream, sent != stream.text {
            throw reject("/stream", "must be \(stream), the stream the ledger derives from the type and data, not \"\(sent)\"")
        }

        // An id already stored: the same content is a no-op, other content a conflict.
        let seq = head.seq.next
        if let sentID = event.sentID, let storedSeq = try self.seq(of: sentID) {
            guard let stored = try storedEvent(seq: storedSeq) else {
                throw LedgerError(.storage, "the id index names seq \(storedSeq) for event \(sentID), which the log does not hold")
            }
            if let copy = stored.exactCopy(of: event) {
                duplicateCount += 1
                return EventPosition(id: sentID, seq: stored.seq, stream: StreamID(uncheckedName: copy.stream),
                                     streamVersion: StreamVersion(copy.streamVersion), hash: stored.hash, wasDuplicate: true, occurredOn: facts.occurredOn)
            }
            try requireSameContent(event, as: stored)
            duplicateCount += 1
            return try position(of: stored, occurredOn: facts.occurredOn)
        }

        // 3 and 4. References and lifecycle, against the log and the batch so far.
        try checkRules(facts, stream: stream, reject: reject)

        // Write it.
        let version = try streamVersion(stream) + 1
        let now = clock()
        let recordedAt = head.recordedAt.map { now > $0 ? now : $0.next } ?? now
        let id = event.sentID ?? EventID.timeOrdered(at: recordedAt)

        canonical.reset()
        canonical.bytes.append(contentsOf: event.rendered[..<event.idOffset])
        id.appendText(to: &canonical.bytes)
        canonical.bytes.append(contentsOf: event.rendered[event.idOffset...])
        let dataEnd = event.dataEnd
        canonical.writeRaw(",\"recordedAt\":\"")
        recordedAt.appendRFC3339(to: &canonical.bytes)
        canonical.writeRaw("\",\"schemaVersion\":")
        canonical.writeInteger(UInt64(entry.schemaVersion))  // a schema's version is 1 or more
        canonical.writeRaw(",\"seq\":")
        canonical.writeInteger(seq.rawValue)
        canonical.writeRaw(",\"stream\":\"")
        // A stream's name is a kind and an id, both of characters JSON writes as they are.
        var streamName = stream.text
        streamName.withUTF8 { canonical.writeRaw(UnsafeRawBufferPointer($0)) }
        canonical.writeRaw("\",\"streamVersion\":")
        canonical.writeInteger(version)
        canonical.bytes.append(contentsOf: entry.typeMember)
        if let personal = event.personalData {
            let sealed = try seal(personal, of: facts, eventID: id, reject: reject)
            canonical.bytes.replaceSubrange(personal.text, with: sealed)
        }

        let hash = EventHash.chaining(head.hash, canonical.bytes)

        // Keys and values on the stack: this runs once per event on the import's busier thread.
        var seqKey = seq.rawValue.bigEndian
        try withUnsafeBytes(of: &seqKey) { key in
            try canonical.bytes.withUnsafeBytes { body in
                try events.append(key: key, reserving: StoredEvent.headerSize + body.count) { slot in
                    StoredEvent.encodeHeader(hash: hash.bytes, dataEnd: dataEnd, into: slot)
                    UnsafeMutableRawBufferPointer(rebasing: slot[StoredEvent.headerSize...]).copyMemory(from: body)
                }
            }
        }
        if event.sentID == nil, try isRecorded(id) {
            throw LedgerError(.storage, "the ledger made event id \(id), which the log already holds")
        }
        pending.add(id: id, seq: seq, stream: stream, version: version, typeCode: entry.typeCode)
        try recordState(facts, seq: seq)

        head = LogHead(seq: seq, hash: hash, recordedAt: recordedAt)
        appendedCount += 1
        if firstAppended == nil { firstAppended = seq }
        if pending.isFull { try pending.write(to: db, in: txn) }
        return EventPosition(id: id, seq: seq, stream: StreamID(uncheckedName: stream.text),
                             streamVersion: StreamVersion(version), hash: head.hash, wasDuplicate: false, occurredOn: facts.occurredOn)
    }

    /// Writes the batch's remaining index entries and the new head; called once, after the
    /// batch's last event.
    func finish() throws {
        try pending.write(to: db, in: txn)
        try txn.put(db.meta, key: MetaKey.head, value: head.encoded)
    }

    // MARK: Helpers

    /// The event's stream: as prepared, or for a retraction its target's.
    private func deriveStream(_ event: PreparedEvent, reject: (String, String, LedgerError.Code) -> LedgerError) throws -> StreamName {
        if let stream = event.stream { return stream }
        switch event.entry.stream {
        case .field(_, let field):
            throw reject("/data/\(field)", "is required to derive the stream", .rejected)
        case .streamOfTarget:
            guard let target = event.facts.targetEventId, let stored = try storedEvent(id: target) else {
                throw reject("/data/targetEventId", "names no event in the log", .rejected)
            }
            let document = try stored.document()
            guard let streamIndex = document.member(document.root, named: "stream") else {
                throw LedgerError(.storage, "the stored event at seq \(stored.seq) has no stream")
            }
            return StreamName(document.string(streamIndex))
        }
    }

    /// The current version of stream `name` (0 when it does not exist), as this batch sees it.
    func streamVersion(_ name: StreamName) throws -> UInt64 {
        if let known = pending.version(of: name) { return known }
        var key = Array(name.text.utf8)
        let version: UInt64 = try key.withUnsafeMutableBytes { raw in
            // A stream the batch has not written is as it was before the batch.
            try before.withCursor(db.streams) { cursor in
                guard try cursor.move(.exactly(UnsafeRawBufferPointer(raw))), try cursor.move(.lastDuplicate) else { return 0 }
                return try storedBigEndian(cursor.value, in: "the stream index")  // the last version
            }
        }
        pending.remember(name, version: version)
        return version
    }

    /// The stored event with `id`, if the log (or this batch) holds it.
    func storedEvent(id: EventID) throws -> StoredEvent? {
        guard let seq = try seq(of: id) else { return nil }
        return try storedEvent(seq: seq)
    }

    /// The seq of the event with `id`, if the log or the batch so far holds it.
    func seq(of id: EventID) throws -> Seq? { try indexEntry(id)?.seq }

    /// Whether the log or the batch so far holds an event with `id`.
    func isRecorded(_ id: EventID) throws -> Bool { try seq(of: id) != nil }

    /// Where the event with `id` is and its type, if the log or the batch so far holds it.
    func idEntry(_ id: EventID) throws -> (Seq, EventType)? {
        guard let (seq, typeCode) = try indexEntry(id), let typeCode else { return nil }
        return EventTypeCode.type(of: typeCode).map { (seq, $0) }
    }

    /// The id index's entry for `id` as the batch sees it: held in memory, written by this batch
    /// (so in the write transaction), or in the log the batch began from. The type code is `nil`
    /// for a stored entry of the wrong length.
    private func indexEntry(_ id: EventID) throws -> (seq: Seq, typeCode: UInt8?)? {
        if let entry = pending.ids[id] { return (entry.seq, entry.typeCode) }
        return try id.withKey { key in
            try (pending.wasWritten(id) ? txn : before).withValue(in: db.eventIds, key: key) { raw in
                try raw.map { raw in (try storedSeq(raw, in: "the id index"), raw.count == 9 ? raw[8] : nil) }
            }
        }
    }

    /// The seqs of `stream`'s events in the log and the batch so far, in stream-version order.
    func seqs(inStream stream: StreamName) throws -> [Seq] {
        try db.seqs(inStream: stream.text, in: txn) + pending.unwrittenSeqs(of: stream)
    }

    func storedEvent(seq: Seq) throws -> StoredEvent? { try db.storedEvent(seq, in: txn) }

    /// The position of `stored`, a duplicate of the incoming event dated `occurredOn`.
    private func position(of stored: StoredEvent, occurredOn: LocalDate) throws -> EventPosition {
        let document = try stored.document()
        func member(_ name: String) -> String { document.member(document.root, named: name).map { document.string($0) } ?? "" }
        let version = document.member(document.root, named: "streamVersion").flatMap { document.integer($0) } ?? 0
        return EventPosition(id: EventID(member("id"))!, seq: stored.seq, stream: StreamID(uncheckedName: member("stream")),
                             streamVersion: StreamVersion(UInt64(version)), hash: stored.hash, wasDuplicate: true, occurredOn: occurredOn)
    }

    /// The written content of an event, canonical: what two appends of one id must share.
    private func requireSameContent(_ event: PreparedEvent, as stored: StoredEvent) throws {
        let incoming = event.writtenContent
        let location = event.location
        let storedDocument = try stored.document()
        fingerprint.reset()
        fingerprint.write(storedDocument, object: storedDocument.root) { Self.writtenMembers.contains($0) }
        // Personal data is compared as plaintext: the stored ciphertext is opened, and its room
        // in the stored form compared as the placeholder the incoming event holds.
        if let personal = event.personalData {
            guard let slot = CiphertextSlot.find(in: fingerprint.bytes, before: fingerprint.bytes.count), slot.text == personal.text,
                  try storedPlaintext(stored, storedDocument, field: slot.field, text: fingerprint.bytes[slot.text], location: location) == personal.plaintext else {
                throw try personalDataConflict(event, stored, sent: incoming)
            }
            fingerprint.bytes.replaceSubrange(slot.text, with: incoming[slot.text])
        }
        if incoming != fingerprint.bytes, try !sameFactOfDerivedID(event.sentID, stored: fingerprint.bytes, sent: incoming) {
            throw sameIDConflict(stored, location, difference: Self.difference(stored: fingerprint.bytes, sent: incoming))
        }
    }

    /// Whether two written forms under `id` differ in `meta` alone and `id` is one the ledger
    /// derived from their fact (a spreadsheet's row, ``DerivedRowID``): the same fact sent again
    /// by another (a corrected return, recorded by another officer), which is the event stored.
    private func sameFactOfDerivedID(_ id: EventID?, stored: [UInt8], sent: [UInt8]) throws -> Bool {
        func withoutMeta(_ bytes: [UInt8]) -> JSONValue? {
            guard case .object(let members)? = try? JSONValue(parsing: String(decoding: bytes, as: UTF8.self)) else { return nil }
            return .object(members.filter { $0.0 != "meta" })
        }
        guard let id, let sentFact = withoutMeta(sent), sentFact == withoutMeta(stored) else { return false }
        return try DerivedRowID.derives(id, from: sentFact, isRecorded: isRecorded)
    }

    /// The conflict of an event whose personal data differs from the stored event's under its id.
    /// A spreadsheet's row whose id the ledger derived never sent one: its refusal says that its
    /// fact is recorded, and how to record another event (a new id, which its fact no longer names).
    private func personalDataConflict(_ event: PreparedEvent, _ stored: StoredEvent, sent: [UInt8]) throws -> LedgerError {
        if let id = event.sentID, let written = try? JSONValue(parsing: String(decoding: sent, as: UTF8.self)),
           try DerivedRowID.derives(id, from: written, isRecorded: isRecorded) {
            return LedgerError(.conflict, "this row's fact is already recorded (seq \(stored.seq)) with other personal data (not shown): the ledger names the event a row without an id records by its fact (its type, date and data but personal data); if the row is another event, give it an id column holding a new UUID",
                               location: event.location)
        }
        return sameIDConflict(stored, event.location, difference: "its personal data differs (not shown)")
    }

    /// `; /data/laCode: stored "E08000026", sent "E08000099"`: the first member where two written
    /// forms differ (their personal data is the same placeholder by then), each value shortened.
    private static func difference(stored: [UInt8], sent: [UInt8]) -> String? {
        guard let stored = try? JSONValue(parsing: String(decoding: stored, as: UTF8.self)),
              let sent = try? JSONValue(parsing: String(decoding: sent, as: UTF8.self)),
              let found = stored.firstDifference(from: sent) else { return nil }
        // Never a value of personal data, not even as its ciphertext.
        if found.pointer.hasPrefix("/data/pii") || found.pointer.hasPrefix("/data/notes") { return "its personal data differs (not shown)" }
        func shown(_ value: JSONValue?) -> String {
            guard let text = value?.compactText else { return "nothing" }
            return text.count > 60 ? String(text.prefix(57)) + "…" : text
        }
        return "\(found.pointer): stored \(shown(found.here)), sent \(shown(found.there))"
    }

    private func sameIDConflict(_ stored: StoredEvent, _ location: EventLocation, difference: String?) -> LedgerError {
        let whereUsed = firstAppended.map { stored.seq >= $0 } == true
            ? "is used by an earlier event of this batch (it would be seq \(stored.seq))"
            : "is already stored (seq \(stored.seq))"
        let what = difference.map { " (\($0))" } ?? ""
        return LedgerError(.conflict, "the id \(whereUsed) with different content\(what); an id names one event forever, so send a new id for a new event", location: location, pointer: "/id")
    }

    private static let writtenMembers: Set<String> = ["data", "meta", "occurredOn", "schemaVersion", "type"]
}

/// A one-byte code per event type, kept beside each id in the `eventIds` index.
enum EventTypeCode {
    static func code(of type: EventType) -> UInt8 { UInt8(type.ordinal) }
    static func type(of code: UInt8) -> EventType? { EventType(ordinal: Int(code)) }
}
