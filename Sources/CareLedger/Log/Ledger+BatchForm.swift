internal import LedgerJSON

/// The forms a batch is written in (SPEC 2 and 8): NDJSON lines, one event object, or
/// `{"events": [...], "expectedVersions": {...}}`, and the words for input in none of them.
extension Ledger {
    /// Parses one line of NDJSON into `document`, refusing it, as line `lineNumber`, when it is
    /// over 64 KiB or not JSON.
    static func parse(_ bytes: UnsafeRawBufferPointer, into document: inout JSONDocument, lineNumber: Int) throws(LedgerError) {
        if bytes.count > EventPreparer.maximumEventSize { throw EventPreparer.tooLarge(bytes.count, at: .line(lineNumber)) }
        do { try document.parse(bytes) } catch {
            throw LedgerError(.rejected, notJSON(bytes) ?? "not JSON: \(error.message) (column \(error.offset + 1))", location: .line(lineNumber))
        }
    }

    /// What a line that does not even begin as JSON is, in words: the parser's own message for
    /// `type,workerRef` was "expected true", from its first letter.
    private static func notJSON(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let first = bytes.firstIndex(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }),
              ![UInt8(ascii: "{"), UInt8(ascii: "[")].contains(bytes[first]) else { return nil }
        let start = String(decoding: bytes[first..<min(bytes.count, first + 24)], as: UTF8.self)
        let looksTabular = bytes.contains(UInt8(ascii: ",")) || bytes.contains(UInt8(ascii: "\t")) || bytes.contains(UInt8(ascii: ";"))
        return "not JSON: an event is a JSON object on a line of its own, beginning with {, and this line begins \"\(start)\""
            + (looksTabular ? " (a CSV or spreadsheet row? `careledger record TYPE --rows FILE` records a spreadsheet's rows, as POST /v1/events?type=TYPE does a CSV body)" : "")
    }

    /// Whether the object at `document`'s root is the batch form, `{"events": [...], …}`: it has
    /// `events`, or, having no `type` of an event, a member a slip away from `events` or
    /// `expectedVersions` (`{"event": [...]}`), which ``batchForm(_:)`` then names, where an event's
    /// checks would only have said that `/type` is missing.
    static func isBatchForm(_ document: JSONDocument) -> Bool {
        if document.member(document.root, named: "events") != nil { return true }
        guard document.member(document.root, named: "type") == nil else { return false }
        return document.members(document.root).contains { key, _ in
            NearestName.suggestion(for: document.string(key), among: ["events", "expectedVersions"]) != nil
        }
    }

    /// The events (their roots in `document`) and the expected versions of a batch form.
    func batchForm(_ document: JSONDocument) throws(LedgerError) -> ([Int], [StreamID: StreamVersion]) {
        var roots: [Int] = []
        var expected: [StreamID: StreamVersion] = [:]
        for (key, value) in document.members(document.root) {
            switch document.string(key) {
            case "events":
                guard document.kind(value) == .array else { throw LedgerError(.rejected, "must be an array of events", pointer: "/events") }
                roots = Array(document.elements(value))
            case "expectedVersions":
                guard document.kind(value) == .object else {
                    throw LedgerError(.rejected, "must be an object of stream to version", pointer: "/expectedVersions")
                }
                for (streamKey, version) in document.members(value) {
                    let name = document.string(streamKey)
                    guard let stream = StreamID(name) else {
                        throw LedgerError(.rejected, "\"\(name)\" is not a stream name such as worker-W-00123", pointer: "/expectedVersions/\(name)")
                    }
                    // A number, not the text of one: `"4"` is a client's slip, as it would be in an event.
                    guard document.kind(version) == .number, let number = document.integer(version), number >= 0 else {
                        throw LedgerError(.rejected, "must be a version: a whole number, 0 for a stream that must not exist yet", pointer: "/expectedVersions/\(name)")
                    }
                    expected[stream] = StreamVersion(UInt64(number))
                }
            case let other:
                let guess = NearestName.suggestion(for: other, among: ["events", "expectedVersions"]).map { "; did you mean \($0)?" } ?? ""
                throw LedgerError(.rejected, "is not a known field of a batch\(guess) (known: events, expectedVersions)", pointer: "/\(other)")
            }
        }
        guard !roots.isEmpty else { throw LedgerError(.rejected, "the batch holds no events", pointer: "/events") }
        return (roots, expected)
    }
}

/// Splits a text into its non-blank lines (without `\n` or `\r\n`), numbered from 1.
struct LineSplitter {
    let bytes: [UInt8]
    var position = 0
    var number = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> (Int, UnsafeRawBufferPointer)? {
        while position < bytes.count {
            number += 1
            let start = position
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            position = end + 1
            var trimmed = end
            if trimmed > start, bytes[trimmed - 1] == UInt8(ascii: "\r") { trimmed -= 1 }
            if bytes[start..<trimmed].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return bytes.withUnsafeBytes { all in (number, UnsafeRawBufferPointer(rebasing: all[start..<trimmed])) }
        }
        return nil
    }
}
