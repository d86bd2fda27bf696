internal import LMDBStore
internal import LedgerJSON

/// The reference and lifecycle rules of SPEC section 3 (checks 3 and 4), and the small state the
/// log keeps so that each is one lookup rather than a scan.
extension BatchWriter {
    func checkRules(_ f: EventFacts, stream: StreamName, reject: (String, String, LedgerError.Code) -> LedgerError) throws {
        func fail(_ field: String, _ rule: String) -> LedgerError { reject("/data/\(field)", rule, .rejected) }

        // An entity exists once its stream does.
        func requireExisting(_ kind: StaticString, _ id: String?, field: String, made by: String) throws {
            guard let id else { return }
            let stream = StreamName(kind: kind, id: id)
            if try streamVersion(stream) == 0 {
                // People type w-00007 for W-00007, and W-7 for it; a spreadsheet makes 123 of 00123.
                let meant: EntityID.Meant? = try EntityID.likelyMeant(id).first { try streamVersion(StreamName(kind: kind, id: $0.id)) != 0 }
                var missing = fail(field, "names \(kind) \(id), which does not exist\(meant?.hint ?? ""): no \(by) for it in the log or earlier in this batch")
                missing.missingStream = stream.text
                throw missing
            }
        }
        // An id is new when no event holds it but retracted ones (BatchWriter+MadeAgain).
        func requireNew(_ kind: StaticString, _ id: String?, field: String) throws {
            guard let id else { return }
            let stream = StreamName(kind: kind, id: id)
            if try streamVersion(stream) != 0 {
                try requireMadeAgain(f, kind, id, field: field, maker: try lastMaker(f.type, in: stream), reject: reject)
            }
        }

        // References: registered workers, providers and partners; opened cases.
        if f.type == .workerRegistered { try requireNew("worker", f.workerRef, field: "workerRef") }
        else { try requireExisting("worker", f.workerRef, field: "workerRef", made: "WorkerRegistered") }
        if f.type == .providerRegistered { try requireNew("provider", f.providerId, field: "providerId") }
        else { try requireExisting("provider", f.providerId, field: "providerId", made: "ProviderRegistered") }
        try requireExisting("provider", f.newProviderId, field: "newProviderId", made: "ProviderRegistered")
        if f.type == .partnerRegistered { try requireNew("partner", f.partnerId, field: "partnerId") }
        else { try requireExisting("partner", f.partnerId, field: "partnerId", made: "PartnerRegistered") }
        try requireExisting("partner", f.ownerPartnerId, field: "ownerPartnerId", made: "PartnerRegistered")
        try requireExisting("partner", f.fromPartnerId, field: "fromPartnerId", made: "PartnerRegistered")
        try requireExisting("partner", f.toPartnerId, field: "toPartnerId", made: "PartnerRegistered")
        if f.type == .caseOpened { try requireNew("case", f.caseId, field: "caseId") }
        else { try requireExisting("case", f.caseId, field: "caseId", made: "CaseOpened") }
        if f.type == .safeguardingConcernRaised { try requireNew("concern", f.concernId, field: "concernId") }

        // Spells: new when started; otherwise a started spell of this worker.
        if let spellId = f.spellId {
            let spell = try self.spell(spellId)
            if f.type == .employmentStarted {
                if let spell {
                    let maker = try lastMaker(.employmentStarted, in: StreamName(kind: "worker", id: spell.workerRef)) { $0.spellId == spellId }
                    try requireMadeAgain(f, "spell", spellId, field: "spellId", maker: maker, reject: reject)
                }
            } else {
                guard let spell else {
                    throw fail("spellId", "names spell \(spellId), which was never started: no EmploymentStarted for it in the log or earlier in this batch")
                }
                if spell.workerRef != f.workerRef {
                    throw fail("spellId", "spell \(spellId) belongs to worker \(spell.workerRef), not \(f.workerRef ?? "?")")
                }
                if f.type == .employmentEnded, let ended = spell.endedBy {
                    throw fail("spellId", "spell \(spellId) already ended (seq \(ended)); a spell ends at most once (retract that EmploymentEnded first to correct it)")
                }
            }
        }
        if let offerId = f.offerId, let made = try madeAt(db.offers, offerId) {
            try requireMadeAgain(f, "offer", offerId, field: "offerId", maker: try maker(at: made, .jobOfferMade), reject: reject)
        }
        if let referralId = f.referralId {
            let made = try madeAt(db.referrals, referralId)
            if f.type == .referralMade, let made {
                try requireMadeAgain(f, "referral", referralId, field: "referralId", maker: try maker(at: made, .referralMade), reject: reject)
            }
            if f.type == .referralOutcomeRecorded, made == nil {
                throw fail("referralId", "names referral \(referralId), which was never made: no ReferralMade for it in the log or earlier in this batch")
            }
        }

        // Retractions: of an event that exists, is not retracted, and is not itself a retraction.
        if let target = f.targetEventId {
            guard let (targetSeq, targetType) = try idEntry(target) else {
                throw fail("targetEventId", "names no event in the log")
            }
            if targetType == .eventRetracted {
                throw fail("targetEventId", "names an EventRetracted (seq \(targetSeq)); a retraction cannot be retracted")
            }
            if targetType == .personalDataErased {
                throw fail("targetEventId", "names a PersonalDataErased (seq \(targetSeq)); an erasure destroyed a key and cannot be undone")
            }
            if let by = try retraction(of: targetSeq) {
                throw fail("targetEventId", "the event at seq \(targetSeq) is already retracted (by seq \(by))")
            }
        }

        // Nothing is appended to a case stream once its CaseClosed is recorded.
        if stream.text.hasPrefix("case-") {
            let caseId = String(stream.text.dropFirst("case-".count))
            if let record = try caseRecord(caseId), let closed = record.closedBy {
                // A retraction is appended to its target's stream, so a closed case's events (its
                // closing too) stay as they are: say what a person can do instead.
                if f.type == .eventRetracted {
                    throw fail("targetEventId", "the event is in case \(caseId), which was closed (seq \(closed)); nothing more is appended to a closed case, retractions included. If the case was closed by mistake, open a new \(record.caseType) case for worker \(record.workerRef) (CaseOpened with a new caseId) and record what follows there")
                }
                if f.type == .caseOpened {  // its opening retracted, then closed: not opened again
                    throw fail("caseId", "case \(caseId) was closed (seq \(closed)); nothing more is appended to a closed case, so it is not opened again: open a case with a new caseId")
                }
                throw fail("caseId", "case \(caseId) was closed (seq \(closed)); nothing more is appended to a closed case")
            }
        }
        // A worker has at most one open case of each caseType.
        if f.type == .caseOpened, let worker = f.workerRef, let caseType = f.caseType,
           let open = try openCase(worker: worker, caseType: caseType) {
            throw fail("caseType", "worker \(worker) already has an open \(caseType) case, \(open); close it before opening another")
        }
        // A worker's personal data is erased once.
        if f.type == .personalDataErased, let worker = f.workerRef, let erased = try erasure(of: worker) {
            throw fail("workerRef", "the personal data of worker \(worker) was already erased (seq \(erased))")
        }
        // The displacement window: on or after occurredOn, at most 60 days after it.
        if f.type == .workerDisplaced, let end = f.windowEndsOn {
            if end < f.occurredOn {
                throw fail("windowEndsOn", "\(end) is before occurredOn \(f.occurredOn); the window ends on or after the displacement")
            }
            if end.days(since: f.occurredOn) > 60 {
                throw fail("windowEndsOn", "\(end) is \(end.days(since: f.occurredOn)) days after occurredOn \(f.occurredOn); the window is at most 60 days")
            }
        }
    }

    /// Keeps the state the rules read, after an event is written.
    func recordState(_ f: EventFacts, seq: Seq) throws {
        switch f.type {
        case .employmentStarted:
            // A spell started again after its start was retracted keeps an end recorded since.
            try putSpell(f.spellId!, SpellRecord(endedBy: try spell(f.spellId!)?.endedBy, workerRef: f.workerRef!))
        case .employmentEnded:
            try putSpell(f.spellId!, SpellRecord(endedBy: seq, workerRef: f.workerRef!))
        case .jobOfferMade:
            try txn.put(db.offers, key: Array(f.offerId!.utf8), value: seq.key)
        case .referralMade:
            try txn.put(db.referrals, key: Array(f.referralId!.utf8), value: seq.key)
        case .caseOpened:
            try putCase(f.caseId!, CaseRecord(closedBy: nil, caseType: f.caseType!, workerRef: f.workerRef!))
            try txn.put(db.openCases, key: openCaseKey(f.workerRef!, f.caseType!), value: Array(f.caseId!.utf8))
        case .caseClosed:
            if var record = try caseRecord(f.caseId!) {
                record.closedBy = seq
                try putCase(f.caseId!, record)
                try releaseOpenCase(f.caseId!, record)
            }
        case .personalDataErased:
            keyChanges.erased.insert(f.workerRef!)
        case .eventRetracted:
            let (targetSeq, targetType) = try idEntry(f.targetEventId!)!
            try txn.put(db.retractions, key: targetSeq.key, value: seq.key)
            try undo(targetType, at: targetSeq)
        default:
            break
        }
    }

    /// A retraction makes the rules behave as if the target had never been appended, where
    /// SPEC section 3 says so: a retracted end no longer ends its spell; a retracted opening no
    /// longer holds the worker's one open case of its type.
    private func undo(_ type: EventType, at seq: Seq) throws {
        guard type == .employmentEnded || type == .caseOpened, let stored = try storedEvent(seq: seq) else { return }
        let document = try stored.document()
        let target = EventFacts(document: document, root: document.root, type: type)
        if type == .employmentEnded, let spellId = target.spellId, var spell = try self.spell(spellId), spell.endedBy == seq {
            spell.endedBy = nil
            try putSpell(spellId, spell)
        }
        if type == .caseOpened, let caseId = target.caseId, let record = try caseRecord(caseId) {
            try releaseOpenCase(caseId, record)
        }
    }

    private func releaseOpenCase(_ caseId: String, _ record: CaseRecord) throws {
        let key = openCaseKey(record.workerRef, record.caseType)
        if let holder = try txn.value(in: db.openCases, key: key), holder == Array(caseId.utf8) {
            try txn.delete(db.openCases, key: key)
        }
    }

    // MARK: State records

    struct SpellRecord {
        var endedBy: Seq?
        var workerRef: String
    }

    func spell(_ spellId: String) throws -> SpellRecord? {
        guard let raw = try txn.value(in: db.spells, key: Array(spellId.utf8)), raw.count >= 8 else { return nil }
        let ended = raw.withUnsafeBytes { readBigEndian($0) }
        return SpellRecord(endedBy: ended == 0 ? nil : Seq(ended), workerRef: String(decoding: raw[8...], as: UTF8.self))
    }

    private func putSpell(_ spellId: String, _ record: SpellRecord) throws {
        try txn.put(db.spells, key: Array(spellId.utf8), value: RuleStateEncoding.spell(endedBy: record.endedBy, workerRef: record.workerRef))
    }

    func caseRecord(_ caseId: String) throws -> CaseRecord? { try db.caseRecord(caseId, in: txn) }

    private func putCase(_ caseId: String, _ record: CaseRecord) throws {
        try txn.put(db.cases, key: Array(caseId.utf8), value: RuleStateEncoding.case(record))
    }

    private func openCaseKey(_ workerRef: String, _ caseType: String) -> [UInt8] {
        RuleStateEncoding.openCaseKey(workerRef: workerRef, caseType: caseType)
    }

    func openCase(worker: String, caseType: String) throws -> String? {
        try txn.value(in: db.openCases, key: openCaseKey(worker, caseType)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The seq of the event that last made `id`, in a table keyed by id (offers, referrals).
    private func madeAt(_ database: Database, _ id: String) throws -> Seq? {
        try Array(id.utf8).withUnsafeBytes { key in
            try txn.withValue(in: database, key: key) { raw in try raw.map { try storedSeq($0, in: "the rules' state") } }
        }
    }

    func retraction(of seq: Seq) throws -> Seq? { try db.retraction(of: seq, in: txn) }
}
