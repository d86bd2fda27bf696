public import CareLedger
public import ProjectionKit

/// Retention cohorts (SPEC 5.2): per worker its registration, spells and endings; and every spell
/// start under its date, so that a cohort period is one range scan.
public struct RetentionProjection: Projection {
    public let name = "retention"
    public let version = 3
    public let interests: Set<EventType> = [.workerRegistered, .employmentStarted, .employmentEnded]

    /// The kinds of fact this projection keeps.
    enum Tag: UInt8 {
        /// On `worker:W`: laCode, route.
        case registered = 1
        /// On `worker:W`: spellId, providerId; the flag is `viaReplacement`.
        case started
        /// On `worker:W`: spellId, reason.
        case ended
        /// On `start:DAY,SEQ`: workerRef, spellId, providerId; the flag is `viaReplacement`.
        case startIndex
        /// Derived, on `spell:DAY,SEQ` (a spell as known now): its start; the flag is
        /// `viaReplacement`, the date its ending; texts providerId, laCode, route, ending reason.
        case summary = 10
        /// Derived, after the summary: one of the worker's spells (the date is its ending).
        case interval
        /// Derived, after the summary: the worker's registration (its date).
        case registration
    }

    public init() {}

    public func facts(for event: ProjectedEvent) -> [KeyedFact] {
        guard let worker = event.workerRef else { return [] }
        let key = RecordKey.entity("worker", worker)
        switch event.type {
        case .workerRegistered:
            return [KeyedFact(key, event.fact(Tag.registered.rawValue, [event.laCode, event.route]))]
        case .employmentStarted:
            let via = event.viaReplacement ?? false
            return [
                KeyedFact(key, event.fact(Tag.started.rawValue, [event.spellId, event.providerId], flag: via)),
                KeyedFact(.dated("start", event.occurredOn, event.seq),
                          event.fact(Tag.startIndex.rawValue, [worker, event.spellId, event.providerId], flag: via)),
            ]
        case .employmentEnded:
            return [KeyedFact(key, event.fact(Tag.ended.rawValue, [event.spellId, event.reason]))]
        default: return []
        }
    }

    /// Each of a worker's spells as known now (`spell:DAY,SEQ`), with everything its retention
    /// needs in stamps: its start, its ending, the worker's other spells and registration. The
    /// retention known at the head reads these, mostly without decoding a text.
    public func derived(from key: RecordKey, facts: [Fact]) -> [KeyedFact] {
        guard key.belongs(to: "worker") else { return [] }
        let (registration, spells, endings) = Self.known(facts)
        var entries: [KeyedFact] = []
        entries.reserveCapacity(spells.count * (spells.count + 2))  // a summary, the intervals, the registration
        for spell in spells {
            let recordKey = RecordKey.dated("spell", spell.occurredOn, spell.seq).shared
            let ending = endings[spell[0]]
            var summary = Fact(seq: spell.seq, occurredOn: spell.occurredOn, tag: Tag.summary.rawValue, flag: spell.flag,
                               date: ending?.occurredOn, texts: [spell[1], registration?[0] ?? "", registration?[1] ?? "", ending?[1] ?? ""])
            summary.retractedAt = nil
            entries.append(KeyedFact(recordKey, summary))
            for other in spells {
                entries.append(KeyedFact(recordKey, Fact(seq: other.seq, occurredOn: other.occurredOn, tag: Tag.interval.rawValue,
                                                         date: endings[other[0]]?.occurredOn)))
            }
            if let registration {
                entries.append(KeyedFact(recordKey, Fact(seq: registration.seq, occurredOn: registration.occurredOn, tag: Tag.registration.rawValue)))
            }
        }
        return entries
    }

    /// Each of a worker's spells as known now, summed by start day and group (``SpellTallies``).
    public func tallies(from key: RecordKey, facts: [Fact]) -> [Tally] {
        guard key.belongs(to: "worker") else { return [] }
        let (registration, spells, endings) = Self.known(facts)
        return SpellTallies.tallies(registration: registration, spells: spells.map { spell in
            SpellTallies.Spell(start: spell.occurredOn, providerId: spell[1], viaReplacement: spell.flag,
                               end: endings[spell[0]].map { ($0.occurredOn, $0[1]) })
        })
    }

    /// A worker's registration, spells and each spell's ending (the earliest), as known now, in
    /// one pass over the record: a rebuild asks this twice of every worker.
    static func known(_ facts: [Fact]) -> (registration: Fact?, spells: [Fact], endings: Endings) {
        var registration: Fact?
        var spells: [Fact] = []
        var endings = Endings()
        for fact in facts where fact.retractedAt == nil {
            switch fact.tag {
            case Tag.registered.rawValue where registration == nil: registration = fact
            case Tag.started.rawValue: spells.append(fact)
            case Tag.ended.rawValue: endings.keepEarliest(fact)
            default: break
            }
        }
        return (registration, spells, endings)
    }

    /// Each spell's ending by spellId: a worker has a few spells, so a list searched in order
    /// costs less than hashing the ids.
    struct Endings {
        private var endings: [Fact] = []

        /// The ending of spell `spellId`, if it has one.
        subscript(spellId: String) -> Fact? { endings.first { $0[0] == spellId } }

        /// Keeps `end` unless the spell has an earlier ending (by `occurredOn`, then seq).
        mutating func keepEarliest(_ end: Fact) {
            guard let index = endings.firstIndex(where: { $0[0] == end[0] }) else {
                endings.append(end)
                return
            }
            if (end.occurredOn, end.seq) < (endings[index].occurredOn, endings[index].seq) { endings[index] = end }
        }
    }
}
