internal import LMDBStore
internal import LedgerJSON

/// What a verification found.
public struct VerificationReport: Sendable {
    /// Whether every event checked is intact and chained.
    public let ok: Bool
    /// The head the check reached: the last event verified.
    public let head: LogHead
    /// How many events were checked.
    public let checked: Int
    /// The first seq at which the log is not what was appended, when it is not.
    public let firstBadSeq: Seq?
    /// What is wrong there, for a person.
    public let detail: String?

    /// The report on a log that cannot be read from `seq` on, such as one whose data file was
    /// emptied (an error of kind ``LedgerError/Code/damaged`` when the ledger is opened).
    public static func unreadable(from seq: Seq, detail: String) -> VerificationReport {
        VerificationReport(ok: false, head: .empty, checked: 0, firstBadSeq: seq, detail: detail)
    }
}

extension Ledger {
    /// Replays the hash chain and checks every stored event from `from` to the head: no gaps in
    /// seq, each hash equal to SHA-256 over the previous hash and the event's canonical bytes,
    /// the bytes canonical and naming their own seq, `recordedAt` strictly increasing, and the
    /// head record matching the last event.
    ///
    /// - Parameters:
    ///   - from: where to start; the hash stored at `from - 1` is trusted as the chain's start.
    ///   - digest: a head published earlier (`SEQ:HASH`); the check fails unless the event at that
    ///     seq still has that hash, so that the log provably extends what was published.
    ///   - indexes: also check that the id, stream and type indexes hold exactly the events'
    ///     entries (``IndexCheck``) and, from seq 1, that the rules' state is what the events make
    ///     (``RuleStateCheck``): outside the chain, they are what `read --stream`, `read --type`
    ///     and the rules go by. About as costly again as the chain.
    ///   - progress: called every few thousand events with (events checked, events to check as
    ///     the head record counts them), for a person waiting on a large log.
    public func verify(from: Seq = Seq(1), digest: PublishedDigest? = nil, indexes checkIndexes: Bool = true,
                       progress: ((_ checked: Int, _ of: Int) -> Void)? = nil) throws(LedgerError) -> VerificationReport {
        // A data file cut short faults on its first missing page; the executable then reports
        // the event being read as the first bad seq (MappedFiles): before any, `from`.
        MappedFiles.noteVerifying(seq: max(from.rawValue, 1))
        defer { MappedFiles.noteVerificationEnded() }
        return try reading { txn in
            var previous = EventHash.zero
            var previousRecordedAt: Instant?
            var expected = Seq(max(from.rawValue, 1))
            // A damaged head record is reported once the events have been checked.
            let recorded: LogHead?
            do { recorded = try head(in: txn) } catch let error as LedgerError where error.code == .damaged { recorded = nil }
            if let last = recorded?.seq, expected.rawValue > last.rawValue + 1 {
                throw LedgerError(.usage, "there is nothing to verify from seq \(expected): the log's head is seq \(last)")
            }
            if expected.rawValue > 1 {
                guard let before = try storedEvent(seq: Seq(expected.rawValue - 1), in: txn) else {
                    return VerificationReport(ok: false, head: .empty, checked: 0, firstBadSeq: Seq(expected.rawValue - 1),
                                              detail: "the log has no seq \(expected.rawValue - 1) to start from")
                }
                previous = before.hash
                previousRecordedAt = Self.recordedAt(of: try? before.document())
            }
            var checked = 0
            let toCheck = Int(recorded.map { $0.seq.rawValue + 1 - expected.rawValue } ?? 0)  // expected ≤ its seq + 1 (above)
            var canonical = CanonicalJSONWriter()
            var lastHead = LogHead(seq: Seq(expected.rawValue - 1), hash: previous, recordedAt: previousRecordedAt)
            func bad(_ seq: Seq, _ detail: String) -> VerificationReport {
                VerificationReport(ok: false, head: lastHead, checked: checked, firstBadSeq: seq, detail: detail)
            }
            // The rules' state depends on every event: remade only by a check from seq 1.
            let checkRuleState = checkIndexes && expected.rawValue == 1
            var ruleState = RuleStateCheck()
            let failure: VerificationReport? = try IndexCheck.with(databases, in: txn) { indexes in try txn.withCursor(databases.events) { cursor in
                // A page LMDB cannot follow is damage at the event it was reading towards: `nil`.
                func readable<Answer>(_ step: () throws -> Answer) throws -> Answer? {
                    do { return try step() } catch let error as LMDBError where error.meansDamagedFile { return nil }
                }
                MappedFiles.noteVerifying(seq: expected.rawValue)
                guard var found = try readable({ try expected.key.withUnsafeBytes { try cursor.move(.atOrAfter($0)) } }) else {
                    return bad(expected, Self.unreadable(expected))
                }
                while found {
                    guard cursor.key.count == 8 else {
                        return bad(expected, "the events index holds a key of \(cursor.key.count) bytes where a seq of 8 belongs: the data file's structure is damaged")
                    }
                    let seq = Seq(readBigEndian(cursor.key))
                    if seq != expected { return bad(expected, "seq \(expected) is missing: the log jumps to \(seq)") }
                    let event: StoredEvent
                    do { event = try StoredEvent(seq: seq, record: cursor.value) } catch { return bad(seq, (error as? LedgerError)?.rule ?? "\(error)") }
                    let computed = EventHash.chaining(previous, event.canonicalBytes)
                    if computed != event.hash {
                        return bad(seq, "the hash does not match: recomputed \(computed) over the previous hash and the stored bytes, stored \(event.hash); the event (or the one before it) was altered")
                    }
                    guard let document = try? event.document() else { return bad(seq, "the stored event is not JSON") }
                    canonical.reset()
                    canonical.write(document, value: document.root)
                    if canonical.bytes != event.canonicalBytes { return bad(seq, "the stored bytes are not in canonical (RFC 8785) form") }
                    guard let seqIndex = document.member(document.root, named: "seq"), document.integer(seqIndex) == Int64(seq.rawValue) else {
                        return bad(seq, "the stored event does not name seq \(seq)")
                    }
                    guard let dataIndex = document.member(document.root, named: "data"), document.byteRange(dataIndex).upperBound == event.dataEnd else {
                        return bad(seq, "the stored record's data offset is wrong")
                    }
                    let recordedAt = Self.recordedAt(of: document)
                    guard let recordedAt else { return bad(seq, "the stored event has no valid recordedAt") }
                    if let before = previousRecordedAt, recordedAt <= before {
                        return bad(seq, "recordedAt \(recordedAt) is not after the previous event's \(before)")
                    }
                    guard let indexProblem = try readable({ checkIndexes ? try indexes.problem(seq: seq, document: document) : nil }) else {
                        return bad(seq, "the indexes cannot be read at this event: LMDB met a page that is not what its tree says, so the data file is damaged")
                    }
                    if let indexProblem { return bad(seq, indexProblem) }
                    if checkRuleState, let type = Self.ruleStateType(document) {
                        let facts = EventFacts(document: document, root: document.root, type: type)
                        guard let targetSeq = try readable({ try facts.targetEventId.flatMap { try databases.seq(of: $0, in: txn) } }) else {
                            return bad(seq, "the id index cannot be read at this event: LMDB met a page that is not what its tree says, so the data file is damaged")
                        }
                        ruleState.record(facts, seq: seq, targetSeq: targetSeq)
                    }
                    previous = computed
                    previousRecordedAt = recordedAt
                    checked += 1
                    if checked % Self.progressInterval == 0 { progress?(checked, max(toCheck, checked)) }
                    lastHead = LogHead(seq: seq, hash: computed, recordedAt: recordedAt)
                    expected = seq.next
                    MappedFiles.noteVerifying(seq: expected.rawValue)
                    guard let next = try readable({ try cursor.move(.next) }) else { return bad(expected, Self.unreadable(expected)) }
                    found = next
                }
                return nil
            } }
            if let failure { return failure }
            progress?(checked, max(toCheck, checked))
            MappedFiles.noteVerifying(seq: nil)  // every event was read; what follows names none
            guard let recorded else {
                return bad(lastHead.seq.next, "the head record is missing or damaged, while the events verify up to seq \(lastHead.seq)")
            }
            if recorded.seq != lastHead.seq || (recorded.seq != .zero && recorded.hash != lastHead.hash) {
                return bad(recorded.seq > lastHead.seq ? lastHead.seq.next : recorded.seq,
                           "the head record says seq \(recorded.seq) with hash \(recorded.hash), but the log ends at seq \(lastHead.seq) with hash \(lastHead.hash)")
            }
            // Index entries and rule state no event made: only a check from seq 1 has seen them all.
            if checkRuleState {
                do {
                    if let (seq, detail) = try IndexCheck.with(databases, in: txn, { try $0.strayEntry(eventCount: lastHead.seq.rawValue, in: txn) }) {
                        return bad(seq, detail)
                    }
                    if let (seq, detail) = try ruleState.firstMismatch(in: databases, txn: txn, lastSeq: lastHead.seq) {
                        return bad(seq, detail)
                    }
                } catch let error as LMDBError where error.meansDamagedFile {
                    return bad(lastHead.seq, "the indexes or the rules' state cannot be read: LMDB met a page that is not what its tree says, so the data file is damaged")
                }
            }
            if let digest, let detail = try digestProblem(digest, upTo: lastHead.seq, in: txn) {
                return bad(digest.seq, detail)
            }
            return VerificationReport(ok: true, head: lastHead, checked: checked, firstBadSeq: nil, detail: nil)
        }
    }

    /// `report` (a verification without a digest), and then whether the log it verified extends
    /// `digest`: what ``verify(from:digest:indexes:)`` answers with the digest, for a caller that
    /// shares one verification among several questions (the server's).
    public func checkDigest(_ digest: PublishedDigest, verified report: VerificationReport) throws(LedgerError) -> VerificationReport {
        guard report.ok else { return report }
        let detail = try reading { txn in try digestProblem(digest, upTo: report.head.seq, in: txn) }
        guard let detail else { return report }
        return VerificationReport(ok: false, head: report.head, checked: report.checked, firstBadSeq: digest.seq, detail: detail)
    }

    /// Why the log, verified up to `last`, does not extend `digest`; `nil` when it does.
    private func digestProblem(_ digest: PublishedDigest, upTo last: Seq, in txn: Transaction) throws -> String? {
        // The empty log's digest (`careledger digest` before the first append): every chain
        // starts from its 32 zero bytes, so every log extends it, and nothing else has seq 0.
        if digest.seq == .zero {
            return digest.hash == .zero ? nil : "\(digest) names seq 0, the empty log, whose hash is 64 zeros: no log extends it"
        }
        guard digest.seq <= last, let event = try storedEvent(seq: digest.seq, in: txn) else {
            return "the log has no seq \(digest.seq): it does not extend the published digest \(digest)"
        }
        if event.hash != digest.hash {
            return "seq \(digest.seq) has hash \(event.hash), not the published \(digest.hash): the log does not extend that digest"
        }
        return nil
    }

    /// How many events `verify` checks between calls of its `progress`.
    static let progressInterval = 4096

    /// The type of a stored event whose rules' state `verify` remakes, or `nil` for the rest.
    private static func ruleStateType(_ document: JSONDocument) -> EventType? {
        guard let member = document.member(document.root, named: "type"),
              let type = EventType(rawValue: document.string(member)) else { return nil }
        switch type {
        case .employmentStarted, .employmentEnded, .jobOfferMade, .referralMade, .caseOpened, .caseClosed, .eventRetracted: return type
        default: return nil
        }
    }

    private static func unreadable(_ seq: Seq) -> String {
        "the events from seq \(seq) on cannot be read: LMDB met a page that is not what its tree says, so the data file is damaged"
    }

    static func recordedAt(of document: JSONDocument?) -> Instant? {
        guard let document, let index = document.member(document.root, named: "recordedAt") else { return nil }
        return Instant(rfc3339: document.string(index))
    }
}
