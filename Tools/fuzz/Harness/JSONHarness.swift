import LedgerJSON

/// The tape parser and the RFC 8785 writer that every event's hash rests on: a text that parses
/// has a canonical form that parses again to itself, and the tree of values (`JSONValue`, as
/// retractions and `record` build events) writes the same bytes.
enum JSONHarness {
    static func run(_ bytes: [UInt8]) {
        var document = JSONDocument()
        do { try document.parse(bytes) } catch { return }
        let canonical = canonicalForm(of: document)
        var again = JSONDocument()
        do { try again.parse(canonical) } catch { fatalError("the canonical form does not parse: \(error): \(text(canonical))") }
        precondition(canonicalForm(of: again) == canonical, "the canonical form is not its own: \(text(canonical))")
        // JSONValue keeps an integer beyond 2^53 exact where the tape writes JCS's double; no
        // event reaches that, each schema bounding its integers at 2^53 - 1.
        let ordinary = document.tokens.indices.allSatisfy { index in
            document.kind(index) != .number || (document.double(index).isFinite && abs(document.double(index)) < 9_007_199_254_740_992)
        }
        guard ordinary else { return }
        var tree = CanonicalJSONWriter()
        JSONValue(document, at: document.root).write(into: &tree, sorted: true)
        precondition(tree.bytes == canonical, "the tree writes \(text(tree.bytes)), the tape \(text(canonical))")
    }

    private static func canonicalForm(of document: JSONDocument) -> [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.write(document, value: document.root)
        return writer.bytes
    }

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
