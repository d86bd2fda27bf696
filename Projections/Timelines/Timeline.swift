public import CareLedger
public import ProjectionKit
public import LedgerJSON

/// Whose timeline (SPEC 5.4).
public enum TimelineKind: String, Sendable, CaseIterable {
    case worker, provider, partner, `case`

    /// Whether a board may read it at all (limited to organisational events).
    public var isOrganisational: Bool { self == .provider || self == .partner }
}

/// One line of a timeline.
public struct TimelineEntry: Sendable, Equatable {
    public var seq: Seq
    public var occurredOn: LocalDate
    public var recordedAt: Instant
    public var type: EventType
    public var summary: String
    /// The seq of the `EventRetracted` that hides it, when one is known at the timeline's
    /// instant: `retractedBy` in the JSON, so that a reader goes from a retracted row to its
    /// retraction (and its right fact beside that) without searching the timeline for it.
    public var retractedBy: Seq?
    /// Whether an `EventRetracted` known at the timeline's instant hides it.
    public var retracted: Bool { retractedBy != nil }
    /// For organisational events: the provider or partner.
    public var organisation: (key: String, id: String)?
    /// The event a retraction took back, or a right fact corrects: `retracts` or `corrects` in
    /// the JSON, the seq a reader finds beside it, where the event itself names only an id.
    public var names: NamedEvent? = nil

    /// Another event an entry's event is about, by seq.
    public enum NamedEvent: Sendable, Equatable {
        /// An `EventRetracted`'s target.
        case retracts(Seq)
        /// The event a right fact's `meta.corrects` names.
        case corrects(Seq)

        var member: (String, JSONValue) {
            switch self {
            case .retracts(let seq): ("retracts", .integer(Int64(seq.rawValue)))
            case .corrects(let seq): ("corrects", .integer(Int64(seq.rawValue)))
            }
        }
    }

    public static func == (a: TimelineEntry, b: TimelineEntry) -> Bool {
        a.seq == b.seq && a.retracted == b.retracted && a.summary == b.summary
    }

    func json(withOrganisation: Bool = false) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("seq", .integer(Int64(seq.rawValue))), ("occurredOn", .date(occurredOn)),
            ("recordedAt", .string(recordedAt.description)), ("type", .string(type.rawValue)),
        ]
        if withOrganisation, let organisation { members.append((organisation.key, .string(organisation.id))) }
        members += [("summary", .string(summary)), ("retracted", .bool(retracted))]
        if let retractedBy { members.append(("retractedBy", .integer(Int64(retractedBy.rawValue)))) }
        if let names { members.append(names.member) }
        return .object(members)
    }

    var cells: [String] {
        [String(seq.rawValue), occurredOn.description, recordedAt.description, type.rawValue, retractedBy.map { "by seq \($0)" } ?? "", summary]
    }
}

/// A worker's, provider's, partner's or case's timeline, as known at an instant.
public struct Timeline: Sendable {
    public var kind: TimelineKind
    public var id: String
    public var knownAt: Instant
    /// Ordered by `occurredOn`, then `seq`.
    public var entries: [TimelineEntry]

    public var json: JSONValue {
        .object([("kind", .string(kind.rawValue)), ("id", .string(id)), ("knownAt", .string(knownAt.description)),
                 ("events", .array(entries.map { $0.json() }))])
    }

    public var table: ReportTable {
        ReportTable(title: "Timeline of \(kind.rawValue) \(id), known at \(knownAt)",
                    columns: ["seq", "occurredOn", "recordedAt", "type", "retracted", "summary"],
                    rows: entries.map(\.cells), footer: ["Events: \(entries.count)"])
    }
}
