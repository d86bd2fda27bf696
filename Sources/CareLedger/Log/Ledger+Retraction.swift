public import LedgerJSON

/// Retracting a stored event (SPEC 4, `EventRetracted`), as a person asks for it: by the seq a
/// timeline shows, without looking up the event's id and writing the retraction by hand.
extension Ledger {
    /// An event as a person names one: by its seq, as timelines and `read` show it, or by its id.
    public enum EventReference: Sendable, Equatable, CustomStringConvertible {
        /// By its global position, as timelines and `read` show it.
        case seq(Seq)
        /// By its id, as `append` answers it.
        case id(EventID)

        /// A seq (a whole number from 1 up) or an event id (a UUID); `nil` for anything else.
        public init?(_ text: String) {
            if let number = UInt64(text), number >= 1 {
                self = .seq(Seq(number))
            } else if let id = EventID(text) {
                self = .id(id)
            } else {
                return nil
            }
        }

        /// `seq 812`, or `event 9b2f6c1e-…`: as a refusal names it.
        public var description: String {
            switch self {
            case .seq(let seq): "seq \(seq)"
            case .id(let id): "event \(id)"
            }
        }
    }

    /// The stored event `reference` names.
    /// - Throws: ``LedgerError`` `notFound` when the log holds no such event.
    public func storedEvent(_ reference: EventReference) throws(LedgerError) -> StoredEvent {
        let seq: Seq?
        switch reference {
        case .seq(let number): seq = number
        case .id(let id): seq = try withSnapshot { try $0.seq(of: id) }
        }
        guard let seq, let stored = try event(at: seq) else {
            let head = try withSnapshot { try $0.head() }
            throw LedgerError(.notFound, "the log holds no \(reference)" + (head.seq.rawValue > 0 ? " (its events are seq 1 to \(head.seq))" : " (it is empty)"))
        }
        return stored
    }

    /// The `EventRetracted` of `target`, one event's bytes for ``append(body:expectedVersions:)``
    /// or ``checkAppend(body:expectedVersions:)``, whose checks then apply as to any event (an
    /// event retracted already, a retraction, an event in a closed case are refused).
    /// - Parameters:
    ///   - occurredOn: the day the mistake was found; the retraction takes effect from its
    ///     `recordedAt`, whatever this date (SPEC 5).
    ///   - actor: who retracts it, kept in `meta.actor`.
    ///   - source: how, kept in `meta.source`: the command, or the dashboard's page.
    public static func retraction(of target: StoredEvent, reason: String, occurredOn: LocalDate, actor: String,
                                  source: String = "careledger retract") throws(LedgerError) -> [UInt8] {
        try retractionEvent(of: target, reason: reason, occurredOn: occurredOn, actor: actor, source: source).canonicalBytes
    }

    /// The `EventRetracted` of each of `targets`, in their order, as one atomic batch
    /// (`{"events": […]}`): a batch recorded by mistake (a return against the wrong provider)
    /// is taken back whole or not at all. A refusal names `event I`, the I-th target.
    public static func retractions(of targets: [StoredEvent], reason: String, occurredOn: LocalDate, actor: String,
                                   source: String = "careledger retract") throws(LedgerError) -> [UInt8] {
        JSONValue.object([("events", .array(try retractionEvents(of: targets, reason: reason, occurredOn: occurredOn, actor: actor, source: source)))]).canonicalBytes
    }

    /// The `EventRetracted` of each of `targets`, in their order, as values, for a batch that
    /// holds more than retractions (a corrected return's, ``ReturnReplacement``).
    static func retractionEvents(of targets: [StoredEvent], reason: String, occurredOn: LocalDate, actor: String, source: String) throws(LedgerError) -> [JSONValue] {
        var events: [JSONValue] = []
        for target in targets { events.append(try retractionEvent(of: target, reason: reason, occurredOn: occurredOn, actor: actor, source: source)) }
        return events
    }

    /// The `EventRetracted` of `target` and the right fact, `correction`, as one atomic batch
    /// (`{"events": [retraction, correction]}`): both land or neither does, so no reading ever
    /// sees the mistake gone and its correction missing, and a correction the rules refuse
    /// leaves the mistake standing rather than retracted with nothing in its place. The
    /// retraction comes first, so that the correction may take the place the mistake held (a
    /// spell ends at most once; a worker has one open case of each type). A refusal names
    /// `event 0` (the retraction) or `event 1` (the correction).
    /// - Parameter correction: one event as its writer wrote it; it gets `meta.corrects`, the
    ///   target's id (SPEC 4).
    /// - Throws: ``LedgerError`` `rejected` when `correction` is not an event object, or its
    ///   `meta.corrects` names another event.
    public static func retraction(of target: StoredEvent, reason: String, occurredOn: LocalDate, actor: String,
                                  source: String = "careledger retract", correctedBy correction: JSONValue) throws(LedgerError) -> [UInt8] {
        try retractions(of: [target], reason: reason, occurredOn: occurredOn, actor: actor, source: source, correctedBy: [correction])
    }

    /// The `EventRetracted` of each of `targets` and then each one's right fact, the same
    /// count, as one atomic batch: a return recorded with one field wrong in every row (filed
    /// under the wrong provider) is taken back and recorded right whole, or not at all. The
    /// retractions come first, so each right fact may take the place its mistake held. A refusal
    /// names `event I`: the I-th target's retraction, or, from `targets.count` on, a right fact.
    /// - Parameter corrections: events as their writer wrote them, one per target, in order;
    ///   each gets `meta.corrects`, its target's id (SPEC 4).
    /// - Throws: ``LedgerError`` `rejected` when a correction is not an event object, or its
    ///   `meta.corrects` names another event.
    public static func retractions(of targets: [StoredEvent], reason: String, occurredOn: LocalDate, actor: String,
                                   source: String = "careledger retract", correctedBy corrections: [JSONValue]) throws(LedgerError) -> [UInt8] {
        precondition(corrections.count == targets.count, "one right fact per event retracted")
        var retractions: [JSONValue] = [], rightFacts: [JSONValue] = []
        for (offset, (target, correction)) in zip(targets, corrections).enumerated() {
            let retraction = try retractionEvent(of: target, reason: reason, occurredOn: occurredOn, actor: actor, source: source)
            retractions.append(retraction)
            let id = retraction["data"]?["targetEventId"]?.stringValue ?? ""
            rightFacts.append(try correcting(id, with: correction, at: .index(targets.count + offset)))
        }
        return JSONValue.object([("events", .array(retractions + rightFacts))]).canonicalBytes
    }

    /// `correction` with `meta.corrects` naming `id`, the event it replaces; refused at
    /// `location` when it is not an event object or names another event.
    private static func correcting(_ id: String, with correction: JSONValue, at location: EventLocation) throws(LedgerError) -> JSONValue {
        guard case .object(var members) = correction else {
            throw LedgerError(.rejected, "the correction must be one event, a JSON object like those `append` takes", location: location, pointer: "")
        }
        var meta: [(String, JSONValue)] = []
        if let index = members.firstIndex(where: { $0.0 == "meta" }) {
            guard case .object(let given) = members[index].1 else {
                throw LedgerError(.rejected, "must be an object of strings", location: location, pointer: "/meta")
            }
            meta = given
            members.remove(at: index)
        }
        if let named = meta.first(where: { $0.0 == "corrects" })?.1 {
            guard named == .string(id) else {
                throw LedgerError(.rejected, "names \(named.compactText), but the event retracted is \(id): leave it out, and it is set", location: location, pointer: "/meta/corrects")
            }
        } else {
            meta.append(("corrects", .string(id)))
        }
        members.append(("meta", .object(meta)))
        return .object(members)
    }

    private static func retractionEvent(of target: StoredEvent, reason: String, occurredOn: LocalDate, actor: String, source: String) throws(LedgerError) -> JSONValue {
        guard let id = try target.json()["id"]?.stringValue else {
            throw LedgerError(.verificationFailed, "the stored event at seq \(target.seq) has no id")
        }
        return .object([
            ("type", "EventRetracted"), ("schemaVersion", 1), ("occurredOn", .string(occurredOn.description)),
            ("data", .object([("targetEventId", .string(id)), ("reason", .string(reason))])),
            ("meta", .object([("actor", .string(actor)), ("source", .string(source))])),
        ])
    }
}
