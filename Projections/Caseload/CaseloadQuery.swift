public import CareLedger
public import ProjectionKit

extension Caseload {
    /// The caseload as `view` sees it, from the projection's records.
    public static func query(_ reader: ProjectionReader, view: Viewpoint, knownAt: Instant) throws -> Caseload {
        let name = CaseloadProjection().name
        var rows: [CaseloadRow] = []
        var providers = Providers(reader: reader, name: name)
        func add(caseId: String, _ facts: [FactView]) throws {
            if let row = try openRow(caseId: caseId, facts: facts, view: view, reader: reader, name: name, providers: &providers) { rows.append(row) }
        }
        if view.knownAt >= (try reader.checkpoint(name)).seq {
            // Known at the head: the closed cases open at some time in the month of `asOf`, and the
            // cases not closed (or open for years) opened by then, from the derived index. The entry holds the opening
            // (dated with the closing, which plays no other part in a row) and the case's
            // concerns: a case not open on `asOf` is skipped on its dates alone.
            let month = RecordKey.datePrefix(CaseloadProjection.live, CaseloadProjection.firstOfMonth(view.asOf))
            let lasting = RecordKey.prefix(CaseloadProjection.lasting)
            func openOn(_ entry: [FactView]) -> Bool {
                guard let opening = entry.first else { return false }
                return opening.occurredOn <= view.asOf && (opening.date.map { $0 > view.asOf } ?? true)
            }
            try reader.views(name, prefix: month) { key, entry in
                if openOn(entry) { try add(caseId: String(decoding: key[month.count...], as: UTF8.self), entry) }
            }
            try reader.views(name, prefix: lasting, before: RecordKey.datePrefix(CaseloadProjection.lasting, view.asOf.adding(days: 1))) { key, entry in
                if openOn(entry) { try add(caseId: String(decoding: key[(lasting.count + 4)...], as: UTF8.self), entry) }
            }
        } else {
            // Known earlier: closings recorded since may not have been known, so read every case.
            let cases = RecordKey.prefix("case")
            try reader.views(name, prefix: cases) { key, facts in try add(caseId: String(decoding: key[cases.count...], as: UTF8.self), facts) }
        }
        // Sorted through keys made once (the day, then the id's first 8 bytes as one number, the
        // whole id only on a tie of both): moving whole rows about, or comparing ids as strings
        // at every step, cost more than deciding the order.
        let keys = rows.indices.map { SortKey(day: rows[$0].openedOn.dayNumber, idPrefix: SortKey.prefix(rows[$0].caseId), row: $0) }
        let order = keys.sorted { a, b in
            (a.day, a.idPrefix) != (b.day, b.idPrefix) ? (a.day, a.idPrefix) < (b.day, b.idPrefix) : rows[a.row].caseId.precedesByBytes(rows[b.row].caseId)
        }
        return Caseload(asOf: view.asOf, knownAt: knownAt, rows: order.map { rows[$0.row] })
    }

    /// The providers whose licence the query sees revoked, read once per query: only a revoked
    /// provider has a record here, so one short scan replaces a lookup per row.
    struct Providers {
        let reader: ProjectionReader
        let name: String
        private var revoked: Set<String>?

        init(reader: ProjectionReader, name: String) {
            self.reader = reader
            self.name = name
        }

        mutating func revoked(_ providerId: String, seenBy view: Viewpoint) throws -> Bool {
            if let revoked { return revoked.contains(providerId) }
            var found = Set<String>()
            let prefix = RecordKey.prefix("provider")
            try reader.views(name, prefix: prefix) { key, facts in
                if facts.contains(where: { $0.tag == Tag.revoked.rawValue && view.sees($0) }) {
                    found.insert(String(decoding: key[prefix.count...], as: UTF8.self))
                }
            }
            revoked = found
            return found.contains(providerId)
        }
    }

    typealias Tag = CaseloadProjection.Tag

    /// A row's place in the caseload's order (`openedOn`, then `caseId` as bytes).
    struct SortKey {
        var day: Int
        /// The id's first 8 bytes, big-endian, zero-padded: ordered as the bytes are.
        var idPrefix: UInt64
        var row: Int

        static func prefix(_ id: String) -> UInt64 {
            var id = id
            return id.withUTF8 { bytes in
                var value: UInt64 = 0
                for i in 0..<min(8, bytes.count) { value |= UInt64(bytes[i]) << (56 - 8 * i) }
                return value
            }
        }
    }

    /// The row of one case, when it is open on `view.asOf`.
    static func openRow(
        caseId: String, facts: [FactView], view: Viewpoint, reader: ProjectionReader, name: String, providers: inout Providers
    ) throws -> CaseloadRow? {
        guard let opened = facts.earliest(Tag.opened.rawValue, seenBy: view),
              facts.latest(Tag.closed.rawValue, seenBy: view) == nil else { return nil }
        let workerRef = opened[0], caseType = opened[1]
        return try reader.withFacts(name, .entity("worker", workerRef)) { worker in
            try row(caseId: caseId, workerRef: workerRef, opened: opened, caseType: caseType, case: facts, worker: worker, view: view, providers: &providers)
        }
    }

    /// The row of a case open on `view.asOf`, from its opening, its own facts and its worker's.
    static func row(
        caseId: String, workerRef: String, opened: FactView, caseType: String, case facts: [FactView], worker: [FactView], view: Viewpoint,
        providers: inout Providers
    ) throws -> CaseloadRow {
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
        func raisedSinceOpening(_ fact: FactView) -> Bool {
            fact.tag == Tag.concern.rawValue && fact.occurredOn >= opened.occurredOn && view.sees(fact)
        }
        if facts.contains(where: raisedSinceOpening) || worker.contains(where: raisedSinceOpening) { flags.append("safeguardingRaised") }
        if try employerRevoked(worker: worker, view: view, providers: &providers) { flags.append("employerRevoked") }

        return CaseloadRow(
            caseId: caseId, workerRef: workerRef, caseType: caseType, channel: opened[2], ownerPartnerId: opened[3],
            laCode: worker.latest(Tag.registered.rawValue, seenBy: view)?[0], openedOn: opened.occurredOn,
            daysOpen: D.days(since: opened.occurredOn), windowEndsOn: windowEndsOn, daysLeft: daysLeft, flags: flags)
    }

    /// Whether the provider of a spell started and not ended on or before `asOf` has a licence
    /// revocation on or before it (later reinstatement or not).
    static func employerRevoked(worker: [FactView], view: Viewpoint, providers: inout Providers) throws -> Bool {
        // A worker has a handful of spells: searching them beats building a set per row.
        for spell in worker where spell.tag == Tag.started.rawValue && view.sees(spell) {
            let ended = worker.contains { $0.tag == Tag.ended.rawValue && view.sees($0) && $0.text(0, equals: spell, 0) }
            if !ended, try providers.revoked(spell[1], seenBy: view) { return true }
        }
        return false
    }
}
