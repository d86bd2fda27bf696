public import CareLedger
internal import LMDBStore

/// Where two stores of the same projections first differ: a record or a sum that one holds and
/// the other does not, or holds with another value.
public struct StoreDifference: Sendable, CustomStringConvertible {
    /// The projection whose record or sum differs.
    public let projection: String
    /// Whether it is a sum (``Tally``) rather than a record.
    public let isSum: Bool
    /// The key, as stored.
    public let key: [UInt8]
    /// Which store holds the key: this one, the other, or both (with different values).
    public let heldBy: Holder

    public enum Holder: Sendable {
        case this, other, both
    }

    public var description: String {
        let what = "\(projection) \(isSum ? "sum" : "record") \(Self.printable(key))"
        return switch heldBy {
        case .both: "\(what) holds another value"
        case .this: "\(what) is not in the rebuild"
        case .other: "\(what) is missing"
        }
    }

    /// A key as text: printable ASCII as it is, other bytes as `\xHH`.
    static func printable(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            if byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let digits = Array("0123456789abcdef")
                text += "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
            }
        }
        return text
    }
}

extension ProjectionStore {
    /// Each projection's checkpoint, by name.
    public func checkpointsByProjection() throws(LedgerError) -> [String: Checkpoint] {
        try read { reader in
            Dictionary(uniqueKeysWithValues: try projections.map { ($0.name, try reader.checkpoint($0.name)) })
        }
    }

    /// The first record or sum, in key order projection by projection, in which this store
    /// differs from `other` (a store of the same projections), and how many records and sums were
    /// compared. The kept read models are checked this way against a rebuild from the log: the
    /// engine makes the same bytes incrementally as from zero (the engine tests hold it to that).
    public func firstDifference(from other: ProjectionStore) throws(LedgerError) -> (difference: StoreDifference?, compared: Int) {
        var compared = 0
        do {
            return try environment.read { mine in
                try other.environment.read { theirs in
                    for projection in projections {
                        let name = projection.name
                        guard let otherRecords = other.databases[name], let otherSums = other.tallyDatabases[name] else {
                            throw LedgerError(.usage, "the other store does not keep the projection \(name)")
                        }
                        for (isSum, here, there) in [(false, databases[name]!, otherRecords), (true, tallyDatabases[name]!, otherSums)] {
                            let found = try mine.withCursor(here) { a in
                                try theirs.withCursor(there) { b in try Self.firstDifference(a, b, counting: &compared) }
                            }
                            if let (key, holder) = found {
                                return (StoreDifference(projection: name, isSum: isSum, key: key, heldBy: holder), compared)
                            }
                        }
                    }
                    return (nil, compared)
                }
            }
        } catch {
            throw Self.failure(error, "comparing the read models", folder: environment.path)
        }
    }

    /// Walks two databases in key order together: the first key only one holds, or both with
    /// other values.
    private static func firstDifference(_ a: Cursor, _ b: Cursor, counting compared: inout Int) throws -> ([UInt8], StoreDifference.Holder)? {
        var inA = try a.move(.first), inB = try b.move(.first)
        while inA || inB {
            compared += 1
            let order = inA && inB ? LMDBKeyOrder.compare(a.key, b.key) : (inA ? -1 : 1)
            if order < 0 { return (Array(a.key), .this) }
            if order > 0 { return (Array(b.key), .other) }
            if !a.value.elementsEqual(b.value) { return (Array(a.key), .both) }
            inA = try a.move(.next)
            inB = try b.move(.next)
        }
        return nil
    }
}
