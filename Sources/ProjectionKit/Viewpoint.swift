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

extension Array where Element == Fact {
    /// The facts of `tag` that `view` sees.
    public func seen(_ tag: UInt8, by view: Viewpoint) -> [Fact] {
        filter { $0.tag == tag && view.sees($0) }
    }

    /// The latest (by `occurredOn`, then `seq`) fact of `tag` that `view` sees.
    public func latest(_ tag: UInt8, seenBy view: Viewpoint) -> Fact? {
        var best: Fact?
        for fact in self where fact.tag == tag && view.sees(fact) {
            if let current = best, (current.occurredOn, current.seq.rawValue) > (fact.occurredOn, fact.seq.rawValue) { continue }
            best = fact
        }
        return best
    }

    /// The earliest (by `occurredOn`, then `seq`) fact of `tag` that `view` sees.
    public func earliest(_ tag: UInt8, seenBy view: Viewpoint) -> Fact? {
        var best: Fact?
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

extension Fact: Stamped {}

/// A fact's times and tag, read without its texts.
public struct FactStamp: Stamped, Sendable {
    public var seq: Seq
    public var occurredOn: LocalDate
    public var retractedAt: Seq?
    public var tag: UInt8
    public var flag: Bool
    public var date: LocalDate?
}
