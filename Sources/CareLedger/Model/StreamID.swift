/// The name of a stream, such as `worker-W-00123`: a kind, a dash and an id.
///
/// Streams are derived by the ledger from an event's type and data (the schema's `x-stream`
/// template), never chosen freely, so a `StreamID` is made only from a kind and a checked id.
public struct StreamID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// A stream name as a person or client typed it; `nil` unless it is `kind-id` with a lowercase
    /// kind and a well-formed id.
    public init?(_ text: String) {
        guard let dash = text.firstIndex(of: "-"), dash != text.startIndex else { return nil }
        let kind = text[..<dash]
        let id = text[text.index(after: dash)...]
        guard kind.allSatisfy({ $0 >= "a" && $0 <= "z" }), EntityID.isWellFormed(id.utf8) else { return nil }
        self.rawValue = text
    }

    init(uncheckedName: String) { self.rawValue = uncheckedName }

    public static func < (a: StreamID, b: StreamID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { rawValue }
}

/// Rules for the opaque ids carried in events (`workerRef`, `caseId`, …).
public enum EntityID {
    /// The rule of ``isWellFormed(_:)`` in words, for a refusal to end with.
    public static let form = "1 to 64 characters from A-Z, a-z, 0-9 and . _ : -"

    /// Whether `utf8` is 1 to 64 characters from `[A-Za-z0-9._:-]`.
    public static func isWellFormed<C: Collection>(_ utf8: C) -> Bool where C.Element == UInt8 {
        let count = utf8.count
        guard count >= 1, count <= 64 else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: ":"), UInt8(ascii: "-"):
                return true
            default: return false
            }
        }
    }
}
