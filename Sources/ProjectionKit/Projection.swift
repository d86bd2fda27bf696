public import CareLedger

/// A read model's fold: which events it reads, and the facts it keeps of each.
///
/// A projection is a pure function from one event to keyed facts. The engine
/// (``ProjectionStore``) appends those facts to their records, marks them retracted when an
/// `EventRetracted` names their event (by asking the projection again which facts that event gave),
/// and commits each projection's checkpoint in the same transaction as its records. Because a
/// fold only ever appends facts and marks them, state kept incrementally equals state rebuilt from
/// zero, whatever the chunking.
public protocol Projection: Sendable {
    /// Its name on the command line (`projections rebuild caseload`) and in the store.
    var name: String { get }
    /// Its code version: raise it whenever ``facts(for:)`` changes, and the projection rebuilds
    /// itself from zero the next time it is opened.
    var version: Int { get }
    /// The event types it reads; the engine does not even parse the others for it.
    var interests: Set<EventType> { get }
    /// The facts it keeps of `event`, and where.
    func facts(for event: ProjectedEvent) -> [KeyedFact]
    /// Index entries derived from one record's whole state as the ledger knows it now (with
    /// every retraction applied), such as "cases not closed by day N". The engine keeps them in
    /// step with the record, so queries known at the head can use them instead of a full scan;
    /// a query known at an earlier instant must not. Their keys must be plain keys that no
    /// ``facts(for:)`` produces; entries sharing a key make one record, in the order given.
    func derived(from key: RecordKey, facts: [Fact]) -> [KeyedFact]
    /// Counts derived from one record's whole state as the ledger knows it now (every retraction
    /// applied), summed across records under each ``Tally/key``: for queries known at the head
    /// that would otherwise read one record per row counted. A query known at an earlier instant
    /// must not use them.
    func tallies(from key: RecordKey, facts: [Fact]) -> [Tally]
}

extension Projection {
    /// No derived index.
    public func derived(from key: RecordKey, facts: [Fact]) -> [KeyedFact] { [] }

    /// No tallies.
    public func tallies(from key: RecordKey, facts: [Fact]) -> [Tally] { [] }
}
