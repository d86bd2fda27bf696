public import CareLedger

/// Where a query stands on SPEC section 5's two axes: **as of** a date (valid time) and **known
/// at** an instant (transaction time), the latter turned into the last seq recorded by then.
///
/// A fact is seen when the ledger knew it at `knownAt`, nothing known by then retracted it, and
/// it happened on or before `asOf`.
public struct Viewpoint: Sendable, Equatable {
    /// The valid-time date: only facts with `occurredOn <= asOf` count.
    public var asOf: LocalDate
    /// The last seq whose `recordedAt` is at or before the query's known-at instant.
    public var knownAt: Seq

    public init(asOf: LocalDate, knownAt: Seq) {
        self.asOf = asOf
        self.knownAt = knownAt
    }

    /// Whether the fact was known, and not retracted, at `knownAt` (whatever its date).
    @inline(__always)
    public func knows(_ fact: some Stamped) -> Bool {
        guard fact.seq <= knownAt else { return false }
        if let retractedAt = fact.retractedAt, retractedAt <= knownAt { return false }
        return true
    }

    /// Whether the fact is known at `knownAt`, not retracted then, and dated on or before `asOf`.
    @inline(__always)
    public func sees(_ fact: some Stamped) -> Bool { fact.occurredOn <= asOf && knows(fact) }

    /// The same knowledge, as of another date.
    public func asOf(_ date: LocalDate) -> Viewpoint { Viewpoint(asOf: date, knownAt: knownAt) }
}

extension Sequence where Element: FactReading {
    /// The latest (by `occurredOn`, then `seq`) fact of `tag` that `view` sees.
    @inlinable
    public func latest(_ tag: UInt8, seenBy view: Viewpoint) -> Element? {
        var best: Element?
        for fact in self where fact.tag == tag && view.sees(fact) {
            if let current = best, (current.occurredOn, current.seq.rawValue) > (fact.occurredOn, fact.seq.rawValue) { continue }
            best = fact
        }
        return best
    }

    /// The earliest (by `occurredOn`, then `seq`) fact of `tag` that `view` sees.
    @inlinable
    public func earliest(_ tag: UInt8, seenBy view: Viewpoint) -> Element? {
        var best: Element?
        for fact in self where fact.tag == tag && view.sees(fact) {
            if let current = best, (current.occurredOn, current.seq.rawValue) < (fact.occurredOn, fact.seq.rawValue) { continue }
            best = fact
        }
        return best
    }
}

/// Both times of a fact and its retraction: all that ``Viewpoint`` needs to decide whether a
/// query sees it.
public protocol Stamped {
    var seq: Seq { get }
    var occurredOn: LocalDate { get }
    var retractedAt: Seq? { get }
}

/// A fact as a query reads it, decoded (``Fact``) or in place (``FactView``).
public protocol FactReading: Stamped {
    var tag: UInt8 { get }
    var flag: Bool { get }
    var date: LocalDate? { get }
    /// The text at `index`, or `""` when the fact has fewer.
    subscript(index: Int) -> String { get }
}

extension Fact: FactReading {}
