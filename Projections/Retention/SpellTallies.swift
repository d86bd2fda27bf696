internal import CareLedger
internal import ProjectionKit

/// Retention's sums (``Tally``): per day on which spells started (and per group value), how many
/// started and, at each standard horizon, how many were employer and sector retained and why the
/// others ended. A spell's outcome at a checkpoint on or before the query's as-of date depends only
/// on events dated on or before that checkpoint, so one sum per start day serves every as-of date:
/// the whole day is eligible at a horizon or not yet observable. Only known at the head.
enum SpellTallies {
    /// The horizons summed, in months: SPEC 5.2's defaults. Others are counted spell by spell.
    static let horizons = [3, 6, 12]

    /// `EmploymentEnded.reason`'s values, in the schema's order.
    static let reasons = EventCatalogue.standard.values(of: .employmentEnded, field: "reason")

    /// Counts per horizon: employer retained, sector retained, one per reason, and any reason not
    /// listed (a query falls back to counting spell by spell if that is ever not zero).
    static let perHorizon = 2 + reasons.count + 1
    static let length = 1 + horizons.count * perHorizon

    /// The key family of a grouping (`nil`: no grouping).
    static func family(_ grouping: RetentionGrouping?) -> String { "by-" + (grouping?.rawValue ?? "none") }

    /// Every grouping's family, made once: a rebuild makes five keys for every spell.
    private static let families = (none: family(nil), provider: family(.provider), viaReplacement: family(.viaReplacement),
                                   laCode: family(.laCode), route: family(.route))

    /// One spell of a worker as the ledger knows it now, with what its sums need.
    struct Spell {
        var start: LocalDate
        var providerId: String
        var viaReplacement: Bool
        var end: (day: LocalDate, reason: String)?
    }

    /// The sums a worker's record adds: one tally per live spell and grouping.
    static func tallies(registration: Fact?, spells: [Spell]) -> [Tally] {
        var tallies: [Tally] = []
        tallies.reserveCapacity(spells.count * 5)
        for spell in spells {
            var counts = Array(repeating: Int32(0), count: length)
            counts[0] = 1
            for (h, horizon) in horizons.enumerated() {
                let checkpoint = spell.start.adding(months: horizon)
                let base = 1 + h * perHorizon
                if let end = spell.end, end.day < checkpoint {
                    counts[base + 2 + (reasons.firstIndex(of: end.reason) ?? reasons.count)] = 1
                } else {
                    counts[base] = 1
                }
                let sector = spells.contains { other in
                    other.start <= checkpoint && (other.end.map { $0.day >= checkpoint } ?? true)
                }
                if sector { counts[base + 1] = 1 }
            }
            tallies.append(Tally(RecordKey.onDay(families.none, spell.start), counts))
            tallies.append(Tally(RecordKey.onDay(families.provider, spell.start, name: spell.providerId, knownFrom: nil), counts))
            let via: UInt8 = spell.viaReplacement ? 1 : 0
            tallies.append(Tally(withUnsafeBytes(of: via) { RecordKey.onDay(families.viaReplacement, spell.start, then: $0) }, counts))
            for (family, index) in [(families.laCode, 0), (families.route, 1)] {
                // The worker's registration, when its date is after the spell's start, may lie
                // after a query's as-of date: the key then carries that date for the query to decide.
                tallies.append(Tally(RecordKey.onDay(family, spell.start, name: registration?[index] ?? "", knownFrom: registration?.occurredOn), counts))
            }
        }
        return tallies
    }

    /// Counts `period`'s cohorts as `view` sees them from the sums, when they can: `false` when
    /// the horizons are not all summed ones or a sum holds a reason not listed.
    static func count(
        _ reader: ProjectionReader, view: Viewpoint, period: Period, by: RetentionGrouping?, into cohorts: inout CohortTable
    ) throws -> Bool {
        let indexes = cohorts.horizons.compactMap { horizons.firstIndex(of: $0) }
        guard indexes.count == cohorts.horizons.count else { return false }
        let last = min(period.to, view.asOf)
        guard period.from <= last else { return true }
        let name = RetentionProjection().name, family = family(by)
        let dayStart = RecordKey.datePrefix(family, period.from).count - 4
        var counted = true
        try reader.tallies(name, prefix: RecordKey.prefix(family), from: RecordKey.datePrefix(family, period.from),
                           before: RecordKey.datePrefix(family, last.adding(days: 1))) { key, counts in
            guard counted else { return }
            let start = RecordKey.day(in: key, at: dayStart)
            let rest = key[(dayStart + 4)...]
            let group: GroupValue? = switch by {
            case nil: nil
            case .viaReplacement: .flag(rest.first == 1)
            case .provider: .text(String(decoding: rest, as: UTF8.self))
            case .laCode, .route: Self.registeredValue(rest, asOf: view.asOf)
            }
            var figures: [HorizonFigures] = []
            for (h, horizon) in cohorts.horizons.enumerated() {
                let base = 1 + indexes[h] * perHorizon
                var figure = HorizonFigures()
                if start.adding(months: horizon) > view.asOf {
                    figure.notYetObservable = Int(counts[0])
                } else {
                    guard counts[base + 2 + reasons.count] == 0 else {
                        counted = false
                        return
                    }
                    figure.eligible = Int(counts[0])
                    figure.employerRetained = Int(counts[base])
                    figure.sectorRetained = Int(counts[base + 1])
                    for (r, reason) in reasons.enumerated() where counts[base + 2 + r] != 0 {
                        figure.notRetainedReasons[reason] = Int(counts[base + 2 + r])
                    }
                }
                figures.append(figure)
            }
            cohorts.add(start: start, group: group, starters: Int(counts[0]), figures: figures)
        }
        return counted
    }

    /// A laCode or route group from a key's tail: the value, then (when the registration is dated
    /// after the spell's start) a zero byte and its day. Unknown when not registered by `asOf`.
    private static func registeredValue(_ tail: Slice<UnsafeRawBufferPointer>, asOf: LocalDate) -> GroupValue {
        let (value, registeredOn) = RecordKey.name(in: tail)
        if let registeredOn, registeredOn > asOf { return .unknown }
        return value.isEmpty ? .unknown : .text(String(decoding: value, as: UTF8.self))
    }
}
