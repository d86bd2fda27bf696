internal import LMDBStore

/// Remakes, for `verify`, the small state the rules keep (spells, offers, referrals, cases, the
/// open case of each type per worker, retractions) from the events, and compares it with what
/// the databases hold.
///
/// That state is outside the chain, and the lifecycle rules go by it: a case's close cleared
/// would let events into a closed case, a retraction dropped would let an event be retracted
/// twice. It is remade here by the transitions ``BatchWriter`` makes (`recordState`), written
/// out again, as an auditor's reference reading of SPEC section 3's rules; the layout is
/// ``RuleStateEncoding``'s, shared with the writer.
struct RuleStateCheck {
    /// One entry the events make: its stored value, and the last event that changed it.
    private struct Made {
        var value: [UInt8]
        var seq: Seq
    }

    private var spells: [String: (endedBy: Seq?, workerRef: String, seq: Seq)] = [:]
    private var cases: [String: (record: CaseRecord, seq: Seq)] = [:]
    private var openCases: [[UInt8]: Made] = [:]
    private var offers: [[UInt8]: Made] = [:]
    private var referrals: [[UInt8]: Made] = [:]
    private var retractions: [[UInt8]: Made] = [:]
    /// What a retraction may undo: each `EmploymentEnded`'s spell and each `CaseOpened`'s case.
    private var spellEndedAt: [Seq: String] = [:]
    private var caseOpenedAt: [Seq: String] = [:]

    /// Applies the event at `seq` (`targetSeq`: a retraction's target, from the id index).
    mutating func record(_ f: EventFacts, seq: Seq, targetSeq: Seq?) {
        switch f.type {
        case .employmentStarted:
            // Started again after its start was retracted, a spell keeps an end recorded since.
            if let spellId = f.spellId, let worker = f.workerRef { spells[spellId] = (spells[spellId]?.endedBy, worker, seq) }
        case .employmentEnded:
            if let spellId = f.spellId, let worker = f.workerRef {
                spells[spellId] = (seq, worker, seq)
                spellEndedAt[seq] = spellId
            }
        case .jobOfferMade:
            if let offerId = f.offerId { offers[Array(offerId.utf8)] = Made(value: Array(seq.key), seq: seq) }
        case .referralMade:
            if let referralId = f.referralId { referrals[Array(referralId.utf8)] = Made(value: Array(seq.key), seq: seq) }
        case .caseOpened:
            if let caseId = f.caseId, let worker = f.workerRef, let caseType = f.caseType {
                cases[caseId] = (CaseRecord(closedBy: nil, caseType: caseType, workerRef: worker), seq)
                openCases[RuleStateEncoding.openCaseKey(workerRef: worker, caseType: caseType)] = Made(value: Array(caseId.utf8), seq: seq)
                caseOpenedAt[seq] = caseId
            }
        case .caseClosed:
            if let caseId = f.caseId, var record = cases[caseId]?.record {
                record.closedBy = seq
                cases[caseId] = (record, seq)
                releaseOpenCase(caseId, record)
            }
        case .eventRetracted:
            guard let targetSeq else { return }
            retractions[Array(targetSeq.key)] = Made(value: Array(seq.key), seq: seq)
            if let spellId = spellEndedAt[targetSeq], let spell = spells[spellId], spell.endedBy == targetSeq {
                spells[spellId] = (nil, spell.workerRef, seq)
            }
            if let caseId = caseOpenedAt[targetSeq], let record = cases[caseId]?.record {
                releaseOpenCase(caseId, record)
            }
        default:
            break
        }
    }

    private mutating func releaseOpenCase(_ caseId: String, _ record: CaseRecord) {
        let key = RuleStateEncoding.openCaseKey(workerRef: record.workerRef, caseType: record.caseType)
        if openCases[key]?.value == Array(caseId.utf8) { openCases[key] = nil }
    }

    /// The first entry (by the seq of the event that made it) where the stored state is not what
    /// the events make, or an entry no event made (named at `lastSeq`), or `nil`.
    func firstMismatch(in databases: LogDatabases, txn: Transaction, lastSeq: Seq) throws -> (Seq, String)? {
        var tables: [(String, Database, [[UInt8]: Made])] = [
            ("spells", databases.spells, Dictionary(uniqueKeysWithValues: spells.map { id, spell in
                (Array(id.utf8), Made(value: RuleStateEncoding.spell(endedBy: spell.endedBy, workerRef: spell.workerRef), seq: spell.seq))
            })),
            ("cases", databases.cases, Dictionary(uniqueKeysWithValues: cases.map { id, made in
                (Array(id.utf8), Made(value: RuleStateEncoding.case(made.record), seq: made.seq))
            })),
        ]
        tables += [("openCases", databases.openCases, openCases), ("offers", databases.offers, offers),
                   ("referrals", databases.referrals, referrals), ("retractions", databases.retractions, retractions)]
        var first: (Seq, String)?
        func note(_ seq: Seq, _ problem: String) {
            if first.map({ seq < $0.0 }) ?? true { first = (seq, problem) }
        }
        for (name, db, expected) in tables {
            var unseen = expected
            try txn.withCursor(db) { cursor in
                var found = try cursor.move(.first)
                while found {
                    let key = Array(cursor.key)
                    let shown = Self.shown(key)
                    if let made = unseen.removeValue(forKey: key) {
                        if !cursor.value.elementsEqual(made.value) {
                            note(made.seq, "the rules' \(name) state for \"\(shown)\" is not what the events up to seq \(made.seq) make")
                        }
                    } else {
                        note(lastSeq, "the rules' \(name) state holds an entry for \"\(shown)\" that no event made")
                    }
                    found = try cursor.move(.next)
                }
            }
            for (key, made) in unseen {
                let shown = Self.shown(key)
                note(made.seq, "the rules' \(name) state has no entry for \"\(shown)\", which the event at seq \(made.seq) made")
            }
        }
        return first
    }

    /// A state key as text: the 0 between an open case's worker and type as `/`.
    private static func shown(_ key: [UInt8]) -> String {
        String(decoding: key.map { $0 == 0 ? UInt8(ascii: "/") : $0 }, as: UTF8.self)
    }
}
