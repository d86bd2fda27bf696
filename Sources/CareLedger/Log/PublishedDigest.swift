/// A head published earlier: `SEQ:HASH`, as `careledger digest` prints it, a board paper quotes
/// it beside its figures and the dashboard shows it. A later verification checks that the log
/// still extends it: that the event at `seq` still has `hash`, so nothing up to it was rewritten.
public struct PublishedDigest: Hashable, Sendable, CustomStringConvertible {
    public let seq: Seq
    public let hash: EventHash

    public init(seq: Seq, hash: EventHash) {
        self.seq = seq
        self.hash = hash
    }

    /// The head `head` as published.
    public init(_ head: LogHead) { self.init(seq: head.seq, hash: head.hash) }

    /// Parses `SEQ:HASH` (a seq, a colon, 64 hex digits); `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let seq = UInt64(parts[0]), let hash = EventHash(hex: parts[1]) else { return nil }
        self.init(seq: Seq(seq), hash: hash)
    }

    public var description: String { "\(seq):\(hash)" }
}
