public import CareLedger

/// One thing a projection learnt from one event, stamped with both of its times: `seq` (when the
/// ledger learnt it: transaction time, since `recordedAt` rises with seq), `occurredOn` (when it
/// happened: valid time) and, once an `EventRetracted` hides it, the seq of that retraction.
///
/// Projections keep facts rather than answers, so one stored state serves every "as of D, known
/// at T" (SPEC section 5): a query filters facts through a ``Viewpoint``.
public struct Fact: Sendable, Equatable {
    /// The seq of the event this fact comes from.
    public var seq: Seq
    /// The event's `occurredOn`.
    public var occurredOn: LocalDate
    /// The seq of the `EventRetracted` that hid the event, if any has.
    public var retractedAt: Seq?
    /// What kind of fact this is, in the projection's own vocabulary.
    public var tag: UInt8
    /// A yes/no the fact carries (such as `viaReplacement`).
    public var flag: Bool
    /// A second date the fact carries (such as `windowEndsOn`).
    public var date: LocalDate?
    /// The ids and enumeration values the fact carries, in the order its projection defines.
    public var texts: [String]

    /// A fact from the event at `seq`, dated `occurredOn`.
    @inlinable
    public init(seq: Seq, occurredOn: LocalDate, tag: UInt8, flag: Bool = false, date: LocalDate? = nil, texts: [String] = []) {
        self.seq = seq
        self.occurredOn = occurredOn
        self.retractedAt = nil
        self.tag = tag
        self.flag = flag
        self.date = date
        self.texts = texts
    }

    /// The text at `index`, or `""` when the fact has fewer.
    public subscript(index: Int) -> String { index < texts.count ? texts[index] : "" }
}

/// A fact and the record it belongs in.
public struct KeyedFact: Sendable {
    public var key: RecordKey
    public var fact: Fact

    public init(_ key: RecordKey, _ fact: Fact) {
        self.key = key
        self.fact = fact
    }
}
