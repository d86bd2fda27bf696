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
    public static func retraction(of target: StoredEvent, reason: String, occurredOn: LocalDate, actor: String) throws(LedgerError) -> [UInt8] {
        guard let id = try target.json()["id"]?.stringValue else {
            throw LedgerError(.verificationFailed, "the stored event at seq \(target.seq) has no id")
        }
        let event: JSONValue = .object([
            ("type", "EventRetracted"), ("schemaVersion", 1), ("occurredOn", .string(occurredOn.description)),
            ("data", .object([("targetEventId", .string(id)), ("reason", .string(reason))])),
            ("meta", .object([("actor", .string(actor)), ("source", "careledger retract")])),
        ])
        return event.canonicalBytes
    }
}
