public import CareLedger
public import ProjectionKit

extension Caseload {
    /// The caseload as `view` sees it, from the projection's records.
    public static func query(_ reader: ProjectionReader, view: Viewpoint, knownAt: Instant) throws -> Caseload {
        let name = CaseloadProjection().name
        var rows: [CaseloadRow] = []
        if view.knownAt >= (try reader.checkpoint(name)).seq {
            // Known at the head: only the cases not closed by `asOf`, from the derived index.
            // The entry holds the opening: a case opened after `asOf` is skipped undecoded.
            let prefixLength = RecordKey.datePrefix("open", view.asOf).count
            try reader.scan(name, prefix: RecordKey.prefix("open"), from: RecordKey.datePrefix("open", view.asOf.adding(days: 1)),
                            where: { stamps in stamps.first.map { $0.occurredOn <= view.asOf } ?? false }) { key, _ in
                let caseId = String(decoding: key.bytes.dropFirst(prefixLength), as: UTF8.self)
                let facts = try reader.facts(name, .entity("case", caseId))
                if let row = try openRow(caseId: caseId, facts: facts, view: view, reader: reader, name: name) { rows.append(row) }
            }
        } else {
            // Known earlier: closings recorded since may not have been known, so read every case,
            // deciding from the stamps which to decode.
            let opened = Tag.opened.rawValue, closed = Tag.closed.rawValue
            try reader.scan(name, prefix: RecordKey.prefix("case"), where: { stamps in
                stamps.contains { $0.tag == opened && view.sees($0) } && !stamps.contains { $0.tag == closed && view.sees($0) }
            }) { key, facts in
                if let row = try openRow(caseId: key.entityID, facts: facts, view: view, reader: reader, name: name) { rows.append(row) }
            }
        }
        rows.sort { $0.openedOn != $1.openedOn ? $0.openedOn < $1.openedOn : $0.caseId.precedesByBytes($1.caseId) }
        return Caseload(asOf: view.asOf, knownAt: knownAt, rows: rows)
    }

    typealias Tag = CaseloadProjection.Tag

    /// The row of one case, when it is open on `view.asOf`.
    static func openRow(caseId: String, facts: [Fact], view: Viewpoint, reader: ProjectionReader, name: String) throws -> CaseloadRow? {
        guard let opened = facts.earliest(Tag.opened.rawValue, seenBy: view),
              facts.latest(Tag.closed.rawValue, seenBy: view) == nil else { return nil }
        let workerRef = opened[0], caseType = opened[1]
        let worker = try reader.facts(name, .entity("worker", workerRef))
        let D = view.asOf

        var windowEndsOn: LocalDate?
        if caseType == "replacement", let displaced = worker.latest(Tag.displaced.rawValue, seenBy: view) {
            let followed = worker.contains { fact in
                fact.tag == Tag.started.rawValue && view.sees(fact) && (fact.occurredOn, fact.seq) > (displaced.occurredOn, displaced.seq)
            }
            if !followed { windowEndsOn = displaced.date }
        }
        let daysLeft = windowEndsOn.map { $0.days(since: D) }

        var flags: [String] = []
        if let daysLeft, daysLeft <= 14 { flags.append("windowUnder14Days") }
        let concerns = facts.seen(Tag.concern.rawValue, by: view) + worker.seen(Tag.concern.rawValue, by: view)
        if concerns.contains(where: { $0.occurredOn >= opened.occurredOn }) { flags.append("safeguardingRaised") }
        if try employerRevoked(worker: worker, view: view, reader: reader, name: name) { flags.append("employerRevoked") }

        return CaseloadRow(
            caseId: caseId, workerRef: workerRef, caseType: caseType, channel: opened[2], ownerPartnerId: opened[3],
            laCode: worker.latest(Tag.registered.rawValue, seenBy: view)?[0], openedOn: opened.occurredOn,
            daysOpen: D.days(since: opened.occurredOn), windowEndsOn: windowEndsOn, daysLeft: daysLeft, flags: flags)
    }

    /// Whether the provider of a spell started and not ended on or before `asOf` has a licence
    /// revocation on or before it (later reinstatement or not).
    static func employerRevoked(worker: [Fact], view: Viewpoint, reader: ProjectionReader, name: String) throws -> Bool {
        let ended = Set(worker.seen(Tag.ended.rawValue, by: view).map { $0[0] })
        for spell in worker.seen(Tag.started.rawValue, by: view) where !ended.contains(spell[0]) {
            let provider = try reader.facts(name, .entity("provider", spell[1]))
            if provider.contains(where: { $0.tag == Tag.revoked.rawValue && view.sees($0) }) { return true }
        }
        return false
    }
}
