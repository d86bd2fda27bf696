public import LedgerJSON

/// What the record learnt after an earlier reading about the days up to a date: the events
/// recorded since then that are dated on or before it (late returns, back-dated corrections), and
/// the retractions since of events so dated.
///
/// A figure as of `asOf` sees the events recorded by its known-at instant, less those retracted by
/// then, of those dated on or before `asOf` (SPEC 5). So the same figure known at the earlier
/// reading and known now differs by these events and by no others: an auditor asked why a
/// published figure was restated finds here every event that could have restated it, and when
/// there are none, that it was not.
public struct RecordChanges: Sendable {
    /// One event recorded since the earlier reading.
    public struct Entry: Sendable {
        /// Its position in the log, after the earlier reading's head.
        public let seq: Seq
        /// When the ledger recorded it: after the earlier reading.
        public let recordedAt: Instant
        /// Its own date: on or before the figures' date, unless it is a retraction.
        public let occurredOn: LocalDate
        /// Its type.
        public let type: EventType
        /// Its stream, such as `worker-W-00123`.
        public let stream: String
        /// A line in words, as timelines give it (ids, never personal data).
        public let summary: String
        /// For a retraction, the event it retracts.
        public let retracted: RetractedEvent?
    }

    /// The event a retraction names: its seq, type and date.
    public struct RetractedEvent: Sendable {
        /// Its position in the log (before or after the earlier reading).
        public let seq: Seq
        /// Its type.
        public let type: EventType
        /// Its date: on or before the figures' date.
        public let occurredOn: LocalDate
    }

    /// The date the figures are as of.
    public let asOf: LocalDate
    /// The log as the earlier reading saw it.
    public let then: LogHead
    /// The log now.
    public let now: LogHead
    /// In seq order.
    public let entries: [Entry]

    /// The events dated on or before ``asOf`` (not retractions).
    public var lateEvents: Int { entries.count { $0.retracted == nil } }
    /// The retractions of events dated on or before ``asOf``.
    public var retractions: Int { entries.count { $0.retracted != nil } }

    /// As `careledger changes --json` and `GET /v1/changes` give it; without `events` (the
    /// counts alone) where rows about people may not be shown, as to a board.
    public func json(withEvents: Bool = true) -> JSONValue {
        func head(_ head: LogHead) -> JSONValue {
            .object(head.digestMembers + [("recordedAt", head.recordedAt.map { .string($0.description) } ?? .null)])
        }
        var members: [(String, JSONValue)] = [
            ("asOf", .string(asOf.description)), ("then", head(then)), ("now", head(now)),
            ("lateEvents", .integer(Int64(lateEvents))), ("retractions", .integer(Int64(retractions))),
        ]
        guard withEvents else { return .object(members) }
        members.append(("events", .array(entries.map { entry in
            var event: [(String, JSONValue)] = [
                ("seq", .integer(Int64(entry.seq.rawValue))), ("recordedAt", .string(entry.recordedAt.description)),
                ("occurredOn", .string(entry.occurredOn.description)), ("type", .string(entry.type.rawValue)),
                ("stream", .string(entry.stream)), ("summary", .string(entry.summary)),
            ]
            if let retracted = entry.retracted {
                event.append(("retracts", .object([("seq", .integer(Int64(retracted.seq.rawValue))), ("type", .string(retracted.type.rawValue)),
                                                   ("occurredOn", .string(retracted.occurredOn.description))])))
            }
            return .object(event)
        })))
        return .object(members)
    }

    /// Why an entry is listed, in words: `dated on or before 2025-03-31`, or the event it retracts.
    public func why(_ entry: Entry) -> String {
        entry.retracted.map { "retracts seq \($0.seq) (\($0.type.rawValue), \($0.occurredOn))" } ?? "dated on or before \(asOf)"
    }

    /// The whole in one line: what differs, or that nothing does.
    public var verdict: String {
        entries.isEmpty
            ? "Nothing recorded since changes figures as of \(asOf): known then and known now, they agree."
            : "\(lateEvents) event\(lateEvents == 1 ? "" : "s") recorded since and dated on or before \(asOf), \(retractions) retraction\(retractions == 1 ? "" : "s") of events so dated: figures as of \(asOf) known then and known now differ by these alone."
    }
}

extension Ledger {
    /// An earlier reading of the log: the instant figures were known at, or the digest printed
    /// beside them (`careledger digest`, the dashboard's), which names the log's head then.
    public enum EarlierReading: Sendable {
        /// The instant figures were known at (`--known-at`, a dashboard's "known at").
        case knownAt(Instant)
        /// The digest printed beside them (`SEQ:HASH`), which the log must still extend.
        case digest(PublishedDigest)

        /// Whether it is a digest, which the log may no longer extend.
        public var isDigest: Bool {
            if case .digest = self { return true }
            return false
        }
    }

    /// What the log has recorded since `reading` (up to `later`, or now) that changes figures as
    /// of `asOf` (by default the reading's own date, UTC, as a dashboard drawn then showed them).
    /// - Parameter readBy: the event types the figures are made from, when known: events of
    ///   other types, and retractions of them, cannot change one and are left out.
    /// - Throws: ``LedgerError`` `verificationFailed` when the log no longer holds a digest's
    ///   hash at its seq, or holds fewer events than it names: its events since cannot be told;
    ///   `usage` when `later` is before `reading`.
    public func changes(since reading: EarlierReading, until later: EarlierReading? = nil, asOf: LocalDate?,
                        readBy: Set<EventType>? = nil) throws(LedgerError) -> RecordChanges {
        try withSnapshot { log in
            let then = try Self.head(at: reading, in: log)
            let now = try later.map { try Self.head(at: $0, in: log) } ?? log.head()
            guard then.seq <= now.seq else {
                throw LedgerError(.usage, "the later reading (the log up to seq \(now.seq)) is before the earlier one (up to seq \(then.seq)): give them the other way round")
            }
            let date: LocalDate
            switch (asOf, reading) {
            case (let given?, _): date = given
            case (nil, .knownAt(let instant)): date = instant.date
            case (nil, .digest): date = then.recordedAt?.date ?? Instant.now().date
            }
            var entries: [RecordChanges.Entry] = []
            try log.replay(from: Seq(then.seq.rawValue + 1), through: now.seq) { seq, bytes in
                // Most events recorded since an earlier reading are dated after its figures'
                // date: those are passed over without parsing them.
                let scannedType = CanonicalMember.type(in: bytes)
                if let readBy, let scannedType, scannedType != .eventRetracted, !readBy.contains(scannedType) { return }
                if scannedType != .eventRetracted, let occurredOn = CanonicalMember.occurredOn(in: bytes), occurredOn > date { return }
                let event = try StoredEvent.json(canonical: bytes, seq: seq)
                guard let type = event["type"]?.stringValue.flatMap(EventType.init(rawValue:)),
                      let occurredOn = event["occurredOn"]?.stringValue.flatMap(LocalDate.init),
                      let recordedAt = event["recordedAt"]?.stringValue.flatMap(Instant.init(rfc3339:)) else {
                    throw LedgerError(.verificationFailed, "the stored event at seq \(seq) lacks its type, occurredOn or recordedAt")
                }
                let data = event["data"] ?? .object([])
                var retracted: RecordChanges.RetractedEvent?
                if type == .eventRetracted {
                    guard let target = data["targetEventId"]?.stringValue.flatMap(EventID.init), let targetSeq = try log.seq(of: target),
                          let bytes = try log.canonicalBytes(at: targetSeq) else {
                        throw LedgerError(.verificationFailed, "the retraction at seq \(seq) names no stored event")
                    }
                    let (targetType, targetDate) = bytes.withUnsafeBytes { (CanonicalMember.type(in: $0), CanonicalMember.occurredOn(in: $0)) }
                    guard let targetType, let targetDate else {
                        throw LedgerError(.verificationFailed, "the stored event at seq \(targetSeq) lacks its type or occurredOn")
                    }
                    guard targetDate <= date, readBy?.contains(targetType) ?? true else { return }
                    retracted = RecordChanges.RetractedEvent(seq: targetSeq, type: targetType, occurredOn: targetDate)
                } else {
                    guard occurredOn <= date else { return }
                }
                entries.append(RecordChanges.Entry(seq: seq, recordedAt: recordedAt, occurredOn: occurredOn, type: type,
                                                   stream: event["stream"]?.stringValue ?? "?", summary: EventSummary.of(type, data: data),
                                                   retracted: retracted))
            }
            return RecordChanges(asOf: date, then: then, now: now, entries: entries)
        }
    }

    /// The log's head as `reading` names it.
    private static func head(at reading: EarlierReading, in log: LogSnapshot) throws -> LogHead {
        switch reading {
        case .knownAt(let instant):
            return try log.head(knownAt: instant)
        case .digest(let digest) where digest.seq == .zero:
            // An empty log's digest, as `careledger digest` prints it before the first append.
            guard digest.hash == .zero else {
                throw LedgerError(.verificationFailed, "\(digest) names seq 0, the empty log, whose hash is 64 zeros: no log extends it")
            }
            return .empty
        case .digest(let digest):
            guard let stored = try log.storedEvent(at: digest.seq) else {
                throw LedgerError(.verificationFailed, "the log holds \(try log.head().seq) events, fewer than the \(digest.seq) that \(digest) names: it does not extend that digest")
            }
            guard stored.hash == digest.hash else {
                throw LedgerError(.verificationFailed, "the event at seq \(digest.seq) has hash \(stored.hash), not the one \(digest) names: the log does not extend that digest (careledger verify --digest \(digest) says where it fails)")
            }
            return LogHead(seq: digest.seq, hash: stored.hash, recordedAt: try log.recordedAt(digest.seq))
        }
    }
}
