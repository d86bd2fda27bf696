public import CareLedger
public import ProjectionKit

/// Retention cohorts (SPEC 5.2): per worker its registration, spells and endings; and every spell
/// start under its date, so that a cohort period is one range scan.
public struct RetentionProjection: Projection {
    public let name = "retention"
    public let version = 1
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
}
