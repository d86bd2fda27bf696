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

    /// How a digest is written, for a refusal to end with.
    public static let writtenForm = "write it as SEQ:HASH, as careledger digest and GET /v1/digest give it (1200:9f86d0…, 64 hex digits)"

    /// Why `text` is not `SEQ:HASH`, in words that say what to fix (digests are copied by hand
    /// from board papers, and cut short or mistyped there); `nil` when it is one.
    public static func problem(with text: String) -> String? {
        guard PublishedDigest(text) == nil else { return nil }
        let form = writtenForm
        guard let colon = text.firstIndex(of: ":") else { return "it has no colon: \(form)" }
        let seq = text[..<colon], hash = text[text.index(after: colon)...]
        guard let number = UInt64(seq), number >= 1 else {
            return "\"\(seq)\" before the colon is not a seq, a whole number from 1 up: \(form)"
        }
        if let wrong = hash.first(where: { !$0.isHexDigit }) {
            return "the hash holds \"\(wrong)\", which is not a hex digit (0 to 9, a to f): \(form)"
        }
        return "the hash has \(hash.count) hex digits, not 64 (was it cut short when copied?): \(form)"
    }
}
