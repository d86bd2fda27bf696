public import CareLedger
public import ProjectionKit

extension Caseload {
    /// The caseload as `view` sees it, from the projection's records.
    public static func query(_ reader: ProjectionReader, view: Viewpoint, knownAt: Instant) throws -> Caseload {
        let name = CaseloadProjection().name
        var rows: [CaseloadRow] = []
        var providers = Providers(reader: reader, name: name)
        if view.knownAt >= (try reader.checkpoint(name)).seq {
            // Known at the head: the closed cases open at some time in the month of `asOf`, and the
            // cases not closed (or open for years) opened by then, from the derived index. The entry holds the opening
            // (dated with the closing) and the case's concerns: a case not open on `asOf` is skipped
            // undecoded.
            let month = RecordKey.datePrefix(CaseloadProjection.live, CaseloadProjection.firstOfMonth(view.asOf))
            let lasting = RecordKey.prefix(CaseloadProjection.lasting)
            func openOn(_ stamps: [FactStamp]) -> Bool {
                guard let opening = stamps.first else { return false }
                return opening.occurredOn <= view.asOf && (opening.date.map { $0 > view.asOf } ?? true)
            }
            func row(_ key: RecordKey, _ entry: [Fact], after prefix: Int) throws {
                var facts = entry
                facts[0].date = nil
                let caseId = String(decoding: key.bytes.dropFirst(prefix), as: UTF8.self)
                if let row = try openRow(caseId: caseId, facts: facts, view: view, reader: reader, name: name, providers: &providers) { rows.append(row) }
            }
            try reader.scan(name, prefix: month, where: openOn) { key, entry in try row(key, entry, after: month.count) }
            try reader.scan(name, prefix: lasting, before: RecordKey.datePrefix(CaseloadProjection.lasting, view.asOf.adding(days: 1)),
                            where: openOn) { key, entry in try row(key, entry, after: lasting.count + 4) }
        } else {
            // Known earlier: closings recorded since may not have been known, so read every case,
            // deciding from the stamps which to decode.
            let opened = Tag.opened.rawValue, closed = Tag.closed.rawValue
            try reader.scan(name, prefix: RecordKey.prefix("case"), where: { stamps in
                stamps.contains { $0.tag == opened && view.sees($0) } && !stamps.contains { $0.tag == closed && view.sees($0) }
            }) { key, facts in
                if let row = try openRow(caseId: key.entityID, facts: facts, view: view, reader: reader, name: name, providers: &providers) { rows.append(row) }
            }
        }
        // Sorted through their keys alone: moving whole rows about costs more than deciding the order.
        let order = rows.indices.sorted { a, b in
            rows[a].openedOn != rows[b].openedOn ? rows[a].openedOn < rows[b].openedOn : rows[a].caseId.precedesByBytes(rows[b].caseId)
        }
        return Caseload(asOf: view.asOf, knownAt: knownAt, rows: order.map { rows[$0] })
    }

    /// Each provider's licence revocations, read once per query however many rows name it.
    struct Providers {
        let reader: ProjectionReader
        let name: String
        private var revocations: [String: [Fact]] = [:]

        init(reader: ProjectionReader, name: String) {
            self.reader = reader
            self.name = name
        }

        mutating func revoked(_ providerId: String, seenBy view: Viewpoint) throws -> Bool {
            let facts = try revocations[providerId] ?? {
                let facts = try reader.facts(name, .entity("provider", providerId)).filter { $0.tag == Tag.revoked.rawValue }
                revocations[providerId] = facts
                return facts
            }()
            return facts.contains { view.sees($0) }
        }
    }

    typealias Tag = CaseloadProjection.Tag

    /// The row of one case, when it is open on `view.asOf`.
    static func openRow(
        caseId: String, facts: [Fact], view: Viewpoint, reader: ProjectionReader, name: String, providers: inout Providers
    ) throws -> CaseloadRow? {
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
        if try employerRevoked(worker: worker, view: view, providers: &providers) { flags.append("employerRevoked") }

        return CaseloadRow(
            caseId: caseId, workerRef: workerRef, caseType: caseType, channel: opened[2], ownerPartnerId: opened[3],
            laCode: worker.latest(Tag.registered.rawValue, seenBy: view)?[0], openedOn: opened.occurredOn,
            daysOpen: D.days(since: opened.occurredOn), windowEndsOn: windowEndsOn, daysLeft: daysLeft, flags: flags)
    }

    /// Whether the provider of a spell started and not ended on or before `asOf` has a licence
    /// revocation on or before it (later reinstatement or not).
    static func employerRevoked(worker: [Fact], view: Viewpoint, providers: inout Providers) throws -> Bool {
        let ended = Set(worker.seen(Tag.ended.rawValue, by: view).map { $0[0] })
        for spell in worker.seen(Tag.started.rawValue, by: view) where !ended.contains(spell[0]) {
            if try providers.revoked(spell[1], seenBy: view) { return true }
        }
        return false
    }
}
